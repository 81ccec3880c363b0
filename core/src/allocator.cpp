// See driftlab/allocator.hpp. Main thread, before other threads start.
#include "driftlab/allocator.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace driftlab {

void keepLargeAllocationsMapped() {
#if defined(__GLIBC__)
  constexpr int kOneGiB = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kOneGiB);
  mallopt(M_TRIM_THRESHOLD, kOneGiB);
#endif
}

}  // namespace driftlab
