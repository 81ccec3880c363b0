// The initial layouts on the sphere (sphere_layouts.hpp, THEORY.md §10.5). Every particle is a unit
// vector here already; on the sphere the engine's own scaling (normalizedToSphere) then changes
// nothing. Any thread.
#include "flow/sphere_layouts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "flow/sphere_sampling.hpp"

namespace driftlab::sphere_layouts {
namespace {

// n points uniform in the tangent ball of geodesic radius `radius` at the unit vector centre,
// mapped onto the sphere by Exp: all within `radius` of centre along great circles
Points cap(const Vec& centre, double radius, int n, seeded::Rng& rng) {
  const auto d = centre.size();
  Points x(d, n);
  for (int i = 0; i < n; ++i) {
    const Vec dir = sphere_sampling::randomTangentDirection(centre, rng);
    const double r = radius * std::pow(rng.uniform(), 1.0 / static_cast<double>(d - 1));
    x.col(i) = sphere_sampling::expMap(centre, r * dir);
  }
  return x;
}

}  // namespace

bool isSphereLayout(std::string_view name) {
  return name == "sphere_collapsed_cap" || name == "sphere_uniform" || name == "sphere_far_cap";
}

Vec collapsedCapCentre(Eigen::Index d) {
  Vec c = Vec::Zero(d);
  c.head(3) << 1.0, 2.0, 3.0;
  return c.normalized();
}

Vec farCapCentre(const Points& data) {
  const auto d = data.rows();
  Vec best = Vec::Zero(d);
  double best_cos = std::numeric_limits<double>::infinity();  // cosine to the nearest data direction
  for (int a = -1; a <= 1; ++a) {
    for (int b = -1; b <= 1; ++b) {
      for (int c = -1; c <= 1; ++c) {
        if (a == 0 && b == 0 && c == 0) continue;
        Vec dir = Vec::Zero(d);
        dir.head(3) << a, b, c;
        dir.normalize();
        double nearest = -1.0;
        for (Eigen::Index j = 0; j < data.cols(); ++j) {
          const double norm = data.col(j).norm();
          if (norm > 0.0) nearest = std::max(nearest, dir.dot(data.col(j)) / norm);
        }
        if (nearest < best_cos) {
          best_cos = nearest;
          best = dir;
        }
      }
    }
  }
  return best;
}

Points place(std::string_view name, int n, seeded::Rng& rng, const Points& data) {
  const auto d = data.rows();
  if (name == "sphere_uniform") {
    Points x(d, n);
    for (int i = 0; i < n; ++i) x.col(i) = sphere_sampling::uniformOnSphere(d, rng);
    return x;
  }
  if (name == "sphere_collapsed_cap") return cap(collapsedCapCentre(d), kCollapsedRadius, n, rng);
  return cap(farCapCentre(data), kFarCapRadius, n, rng);
}

}  // namespace driftlab::sphere_layouts
