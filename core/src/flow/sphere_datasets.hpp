// The built-in datasets on S^2 (3-D unit vectors, THEORY.md §10.5), meant for geometry=sphere.
// Internal to datasets.cpp. Any thread: every call owns its random generator.
#pragma once

#include "base/rng.hpp"
#include "driftlab/flow/datasets.hpp"

namespace driftlab::sphere_data {

// von Mises-Fisher concentration of every cap: angular spread ~ 1/sqrt(kappa) = 0.14 rad, 99 % of a
// cap's mass within 0.43 rad (1 - cos r = ln(100) / kappa) of its centre
inline constexpr double kCapKappa = 50.0;

// 6 caps at +-e1, +-e2, +-e3 (90 degrees apart), equal weights
Dataset vmfCaps(int n, seeded::Rng& rng);
// 3 caps on the equator, 120 degrees apart, weights 0.2 / 0.3 / 0.5
Dataset unequalCaps(int n, seeded::Rng& rng);
// 2 caps at +-e3, weights 0.5 / 0.5
Dataset antipodalCaps(int n, seeded::Rng& rng);
// a band around the equator: latitude N(0, 0.1^2) rad, longitude uniform; no modes
Dataset band(int n, seeded::Rng& rng);
// a spiral from near the north pole to near the south one: t ~ U[0, 1], polar angle
// pi (0.1 + 0.8 t), longitude 6 pi t (3 turns), moved by tangent noise of std 0.03 rad; no modes
Dataset spiral(int n, seeded::Rng& rng);

}  // namespace driftlab::sphere_data
