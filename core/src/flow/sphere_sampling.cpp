// Random points on the unit sphere (sphere_sampling.hpp). Any thread.
#include "flow/sphere_sampling.hpp"

#include <algorithm>
#include <cmath>

namespace driftlab::sphere_sampling {

double vmfCosine(double kappa, double u) {
  // e^{-2 kappa} underflows to 0 for kappa > ~372; u > 0 keeps the logarithm finite there
  const double w = 1.0 + std::log(u + (1.0 - u) * std::exp(-2.0 * kappa)) / kappa;
  return std::clamp(w, -1.0, 1.0);
}

Vec vmfSample(const Vec& mu, double kappa, seeded::Rng& rng) {
  const double w = vmfCosine(kappa, 1.0 - rng.uniform());  // u in (0, 1]
  const Vec t = randomTangentDirection(mu, rng);
  Vec x = w * mu + std::sqrt(std::max(0.0, 1.0 - w * w)) * t;
  x.normalize();
  return x;
}

Vec randomTangentDirection(const Vec& x, seeded::Rng& rng) {
  Vec g(x.size());
  double norm = 0.0;
  do {  // a draw (anti)parallel to x has probability 0; retry rather than divide by ~0
    for (Eigen::Index r = 0; r < g.size(); ++r) g(r) = rng.normal();
    g -= g.dot(x) * x;
    norm = g.norm();
  } while (!(norm > 1e-8));
  return g / norm;
}

Vec expMap(const Vec& x, const Vec& t) {
  const double len = t.norm();
  if (!(len > 0.0)) return x.normalized();
  Vec y = std::cos(len) * x + (std::sin(len) / len) * t;
  y.normalize();
  return y;
}

Vec uniformOnSphere(Eigen::Index d, seeded::Rng& rng) {
  Vec g(d);
  double norm = 0.0;
  do {
    for (Eigen::Index r = 0; r < d; ++r) g(r) = rng.normal();
    norm = g.norm();
  } while (!(norm > 1e-8));
  return g / norm;
}

}  // namespace driftlab::sphere_sampling
