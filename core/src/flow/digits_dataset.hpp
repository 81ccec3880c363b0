// The built-in datasets made from the scikit-learn digits (io/digits.hpp): `digits` and
// `digits_sphere`. Internal to datasets.cpp. Any thread.
#pragma once

#include "base/rng.hpp"
#include "driftlab/flow/datasets.hpp"

namespace driftlab::digits_data {

// digits: every image's 64 pixel values divided by 16, so coordinates lie in [0, 1] like the
// other datasets' scale (kernel bandwidths of order 0.1 - 1 fit both).
Dataset plain(int n, seeded::Rng& rng);
// digits_sphere: the same images minus the mean image of all 1797, each scaled to unit length
// (points on S^63, THEORY.md §10): the geometry of cosine similarity between centred images.
Dataset sphere(int n, seeded::Rng& rng);

}  // namespace driftlab::digits_data
