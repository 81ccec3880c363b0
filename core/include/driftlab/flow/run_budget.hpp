// What a run will cost before it starts: peak memory from its sizes, refused with the numbers when
// it cannot fit in the memory the machine has free, and a warning when the bandwidth is so far
// from the data's scale that nothing will visibly happen. Pure except availableMemoryBytes (reads
// /proc/meminfo); any thread.
#pragma once

#include <cstdint>
#include <string>

#include "driftlab/base/types.hpp"

namespace driftlab {

struct RunSize {
  long long particles = 0;  // N
  long long data = 0;       // M
  long long dim = 0;        // d
  bool heun = false;        // two field evaluations per step keep two more N x d arrays
};

// Peak resident bytes of a particle run of this size, rounded up. Measured: N = 1024, M = 1,
// d = 20 000 peaked at 0.81 GB (Euler) and 1.13 GB (Heun), i.e. 4.9 and 6.9 N x d float64 arrays;
// the estimate counts 5.5 and 7.5, 3 for the data, plus a fixed 64 MB for the program.
std::uint64_t estimatePeakBytes(const RunSize& size);

// MemAvailable of /proc/meminfo in bytes; 0 when it cannot be read (no check is then made)
std::uint64_t availableMemoryBytes();

// throws InvalidArgument "run needs about 9.8 GB (1024 particles and 1 data point in 200000
// dimensions) but only 7.1 GB of memory are available" when the estimate exceeds `available`
// (0 = unknown: no check)
void checkMemoryFits(const RunSize& size, std::uint64_t available);

// "1.5 GB", "320 MB", "12 kB": three significant digits at most
std::string formatBytes(double bytes);

// The median distance between data points (over a fixed subsample of at most 512 points); 0 for
// fewer than two distinct points.
double medianPairwiseDistance(const Points& data);

// "" when h is within a factor 1e3 of the data's median pairwise distance (or the data has no
// scale); otherwise one line saying which way and what the user will see
std::string bandwidthScaleWarning(double h, const Points& data);

}  // namespace driftlab
