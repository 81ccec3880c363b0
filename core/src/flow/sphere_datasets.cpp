// The built-in S^2 datasets (sphere_datasets.hpp, THEORY.md §10.5). Every point is scaled to unit
// length here, so the engine's own scaling on the sphere (normalizedToSphere) changes nothing.
// Any thread.
#include "flow/sphere_datasets.hpp"

#include <cmath>
#include <numbers>
#include <utility>

#include "flow/sphere_sampling.hpp"

namespace driftlab::sphere_data {
namespace {

using seeded::Rng;
constexpr double kPi = std::numbers::pi;

// mixture of vMF caps: cap k with probability weights[k] around column k of centres (unit
// vectors). The centres and weights are the modes, so modes_covered, mode_tv and the mode shares
// (THEORY.md §8.3, nearest centre = largest cosine on the sphere) work as for the plane mixtures.
Dataset capMixture(int n, Rng& rng, Points centres, std::vector<double> weights) {
  centres.colwise().normalize();
  Dataset ds;
  ds.points.resize(3, n);
  for (int i = 0; i < n; ++i) {
    const int k = rng.categorical(weights);
    ds.points.col(i) = sphere_sampling::vmfSample(centres.col(k), kCapKappa, rng);
  }
  ds.mode_centres = std::move(centres);
  ds.mode_weights = std::move(weights);
  return ds;
}

Vec fromAngles(double polar, double longitude) {
  Vec x(3);
  x << std::sin(polar) * std::cos(longitude), std::sin(polar) * std::sin(longitude), std::cos(polar);
  return x;
}

}  // namespace

Dataset vmfCaps(int n, Rng& rng) {
  Points c = Points::Zero(3, 6);
  for (int k = 0; k < 3; ++k) {
    c(k, 2 * k) = 1.0;
    c(k, 2 * k + 1) = -1.0;
  }
  return capMixture(n, rng, c, std::vector<double>(6, 1.0 / 6.0));
}

Dataset unequalCaps(int n, Rng& rng) {
  Points c(3, 3);
  for (int k = 0; k < 3; ++k) c.col(k) = fromAngles(kPi / 2.0, 2.0 * kPi * k / 3.0);
  return capMixture(n, rng, c, {0.2, 0.3, 0.5});
}

Dataset antipodalCaps(int n, Rng& rng) {
  Points c = Points::Zero(3, 2);
  c(2, 0) = 1.0;
  c(2, 1) = -1.0;
  return capMixture(n, rng, c, {0.5, 0.5});
}

Dataset band(int n, Rng& rng) {
  Dataset ds;
  ds.points.resize(3, n);
  for (int i = 0; i < n; ++i) {
    const double latitude = 0.1 * rng.normal();
    const double longitude = 2.0 * kPi * rng.uniform();
    ds.points.col(i) = fromAngles(kPi / 2.0 - latitude, longitude).normalized();
  }
  return ds;
}

Dataset spiral(int n, Rng& rng) {
  Dataset ds;
  ds.points.resize(3, n);
  for (int i = 0; i < n; ++i) {
    const double t = rng.uniform();
    const Vec on_curve = fromAngles(kPi * (0.1 + 0.8 * t), 6.0 * kPi * t);
    // tangent N(0, 0.03^2 I): an isotropic 3-D normal vector projected onto the tangent plane is
    // isotropic there
    Vec g(3);
    for (Eigen::Index r = 0; r < 3; ++r) g(r) = 0.03 * rng.normal();
    g -= g.dot(on_curve) * on_curve;
    ds.points.col(i) = sphere_sampling::expMap(on_curve, g);
  }
  return ds;
}

}  // namespace driftlab::sphere_data
