// keepLargeAllocationsMapped() (allocator.hpp, issue 4): a freed multi-MiB array is reused without
// new page faults. Before the fix the function compiled to nothing (its glibc check ran before
// any libc header) and every million-particle step faulted ~70 MB back in.
#include <doctest/doctest.h>

#include <sys/resource.h>

#include <cstdlib>
#include <cstring>

#include "driftlab/allocator.hpp"

namespace {
long minorFaults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}
}  // namespace

TEST_CASE("allocator: a freed 16 MiB array is reused without page faults") {
#if defined(__GLIBC__)
  driftlab::keepLargeAllocationsMapped();
  constexpr std::size_t kBytes = std::size_t(16) << 20;  // one 2 x 1e6 double array
  for (int round = 0; round < 2; ++round) {               // the first round may fault pages in
    char* block = static_cast<char*>(std::malloc(kBytes));
    REQUIRE(block != nullptr);
    const long before = minorFaults();
    std::memset(block, round, kBytes);
    const long faults = minorFaults() - before;
    std::free(block);
    // 16 MiB is 4096 pages; a mapped, reused block faults none of them (allow a few for the
    // test runner's own activity)
    if (round == 1) CHECK(faults < 64);
  }
#else
  MESSAGE("not glibc: keepLargeAllocationsMapped() is a no-op");
#endif
}
