// Internal seeded random numbers for datasets, initial layouts and metric subsampling.
// std::mt19937_64 is specified bit-exactly by the standard, but std::uniform_real_distribution
// and std::normal_distribution are not; we derive uniforms and normals ourselves so that the
// same seed gives the same points with every standard library. Not thread-safe: one Rng per
// thread (cheap to construct).
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace driftlab::seeded {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  std::uint64_t nextU64() { return engine_(); }
  // uniform on [0, 1) with 53 random bits
  double uniform();
  // uniform on [lo, hi)
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // standard normal by the Box-Muller transform (the second value of each pair is cached)
  double normal();
  // uniform integer in [0, n), n >= 1, without modulo bias
  std::uint64_t below(std::uint64_t n);
  // index drawn from the discrete distribution with the given (non-negative, not all zero) weights
  int categorical(const std::vector<double>& weights);

 private:
  std::mt19937_64 engine_;
  double cached_normal_ = 0.0;
  bool has_cached_ = false;
};

// Mixes a seed with a salt (splitmix64 finalizer) so that different uses of one user seed
// (e.g. the particle and the data subsample) draw independent streams.
std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t salt);

// k distinct indices of [0, n) in increasing order, chosen uniformly (partial Fisher-Yates);
// all of 0..n-1 when k >= n.
std::vector<int> sampleIndices(int n, int k, std::uint64_t seed);

}  // namespace driftlab::seeded
