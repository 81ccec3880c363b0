// keepLargeAllocationsMapped() (allocator.hpp): a freed multi-MiB array is reused without
// new page faults. Before the fix the function compiled to nothing (its glibc check ran before
// any libc header) and every million-particle step faulted ~70 MB back in.
#include <doctest/doctest.h>

#include <sys/resource.h>

#include <cstdlib>
#include <cstring>

#include "driftlab/base/allocator.hpp"

// AddressSanitizer replaces malloc with its own allocator (quarantined, poisoned blocks), so glibc's
// mmap thresholds that keepLargeAllocationsMapped() tunes are not in play there
#if defined(__SANITIZE_ADDRESS__)
#define DRIFTLAB_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DRIFTLAB_UNDER_ASAN 1
#endif
#endif

namespace {
[[maybe_unused]] long minorFaults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}
}  // namespace

TEST_CASE("allocator: a freed 40 MiB array is reused without page faults") {
#if defined(DRIFTLAB_UNDER_ASAN)
  MESSAGE("skipped under AddressSanitizer: its allocator, not glibc's, serves malloc, so page reuse is not measurable");
#elif defined(__GLIBC__)
  driftlab::keepLargeAllocationsMapped();
  // one 2 x 2.5e6 double array: above glibc's largest dynamic mmap threshold (32 MiB)
  constexpr std::size_t kBytes = std::size_t(40) << 20;
  for (int round = 0; round < 2; ++round) {  // the first round may fault pages in
    char* block = static_cast<char*>(std::malloc(kBytes));
    REQUIRE(block != nullptr);
    const long before = minorFaults();
    std::memset(block, round, kBytes);
    const long faults = minorFaults() - before;
    std::free(block);
    // 40 MiB is 10 240 pages; a mapped, reused block faults none of them (allow a few for the
    // test runner's own activity)
    if (round == 1) CHECK(faults < 64);
  }
#else
  MESSAGE("not glibc: keepLargeAllocationsMapped() is a no-op");
#endif
}
