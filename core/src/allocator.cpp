// See driftlab/allocator.hpp. Main thread, before other threads start.
#include "driftlab/allocator.hpp"

#include <cstdlib>  // defines __GLIBC__ (through <features.h>); without a libc header first the
                    // check below was always false and this function did nothing

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace driftlab {

void keepLargeAllocationsMapped() {
#if defined(__GLIBC__)
  // glibc caps the mmap threshold at half its arena heap size (32 MiB on 64-bit) and, in 2.36,
  // reports success for a larger value while ignoring it; setting the trim threshold also freezes
  // the dynamic threshold, which left every allocation above 128 KiB on fresh mmap()s (measured:
  // ~17 000 page faults, ~36 ms of system time per million-particle step). 32 MiB is the largest
  // accepted value and covers every per-step array up to 2 x 2 million doubles.
  constexpr int kMmapThreshold = 32 << 20;
  constexpr int kOneGiB = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  mallopt(M_TRIM_THRESHOLD, kOneGiB);
#endif
}

}  // namespace driftlab
