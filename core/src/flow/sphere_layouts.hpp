// The initial layouts on the unit sphere S^{d-1} (THEORY.md §10.5): sphere_collapsed_cap,
// sphere_uniform, sphere_far_cap. Internal to init_layouts.cpp. Any thread: every call owns its
// random generator.
#pragma once

#include <string_view>

#include "base/rng.hpp"
#include "driftlab/base/types.hpp"

namespace driftlab::sphere_layouts {

// geodesic radius of sphere_far_cap: particles uniform in the tangent ball of this radius, mapped
// by Exp (THEORY.md §10.1)
inline constexpr double kFarCapRadius = 0.1;
// geodesic radius of sphere_collapsed_cap (strictly inside the documented 1e-3 rad)
inline constexpr double kCollapsedRadius = 0.9e-3;

// true for the names above
bool isSphereLayout(std::string_view name);

// n unit vectors in R^d, d = data.rows() >= 3 (the caller checks). sphere_collapsed_cap: within
// 1e-3 rad of the fixed point (1, 2, 3, 0, ...) / sqrt(14); sphere_uniform: uniform on S^{d-1};
// sphere_far_cap: within 0.1 rad of farCapCentre(data).
Points place(std::string_view name, int n, seeded::Rng& rng, const Points& data);

// the centre of sphere_far_cap: of the 26 directions with entries in {-1, 0, 1} in the first three
// coordinates (0 elsewhere, scaled to unit length), the one whose nearest data direction is
// farthest away (largest smallest angle; the first in the order (-1,-1,-1), (-1,-1,0), ... on a
// tie). Zero data points are skipped; no data: the first direction.
Vec farCapCentre(const Points& data);

// the centre of sphere_collapsed_cap in d dimensions
Vec collapsedCapCentre(Eigen::Index d);

}  // namespace driftlab::sphere_layouts
