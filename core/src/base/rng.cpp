#include "base/rng.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace driftlab::seeded {

Rng::Rng(std::uint64_t seed) : engine_(mixSeed(seed, 0x6a09e667f3bcc909ULL)) {}

double Rng::uniform() {
  return static_cast<double>(engine_() >> 11) * 0x1.0p-53;
}

double Rng::normal() {
  if (has_cached_) {
    has_cached_ = false;
    return cached_normal_;
  }
  // u1 in (0, 1] so that log(u1) is finite
  const double u1 = 1.0 - uniform();
  const double u2 = uniform();
  const double r = std::sqrt(-2.0 * std::log(u1));
  const double theta = 2.0 * std::numbers::pi * u2;
  cached_normal_ = r * std::sin(theta);
  has_cached_ = true;
  return r * std::cos(theta);
}

std::uint64_t Rng::below(std::uint64_t n) {
  if (n <= 1) return 0;
  // rejection sampling: accept only values below the largest multiple of n
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  std::uint64_t v = engine_();
  while (v >= limit) v = engine_();
  return v % n;
}

int Rng::categorical(const std::vector<double>& weights) {
  double total = 0.0;
  for (double w : weights) total += w;
  const double u = uniform() * total;
  double acc = 0.0;
  for (std::size_t k = 0; k < weights.size(); ++k) {
    acc += weights[k];
    if (u < acc) return static_cast<int>(k);
  }
  // rounding can leave u == total: return the last index with positive weight
  for (std::size_t k = weights.size(); k-- > 0;) {
    if (weights[k] > 0.0) return static_cast<int>(k);
  }
  return 0;
}

std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t salt) {
  std::uint64_t z = seed + 0x9e3779b97f4a7c15ULL * (salt + 1);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::vector<int> sampleIndices(int n, int k, std::uint64_t seed) {
  std::vector<int> idx(static_cast<std::size_t>(std::max(n, 0)));
  for (int i = 0; i < n; ++i) idx[static_cast<std::size_t>(i)] = i;
  if (k >= n) return idx;
  Rng rng(seed);
  for (int i = 0; i < k; ++i) {
    const auto j = static_cast<std::size_t>(i) + rng.below(static_cast<std::uint64_t>(n - i));
    std::swap(idx[static_cast<std::size_t>(i)], idx[j]);
  }
  idx.resize(static_cast<std::size_t>(std::max(k, 0)));
  std::sort(idx.begin(), idx.end());
  return idx;
}

}  // namespace driftlab::seeded
