// Built-in 2-D datasets (seeded, scaled to roughly [-1, 1]^2) and initial particle layouts.
// THEORY.md §9.1 gives the checkerboard, Swiss roll and mixture definitions. Any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "driftlab/kde/kernel.hpp"  // NamedDescription
#include "driftlab/base/types.hpp"

namespace driftlab {

struct Dataset {
  Points points;                  // d x n
  Points mode_centres;            // d x K for mixture datasets, d x 0 otherwise
  std::vector<double> mode_weights;  // K weights summing to 1 (empty if not a mixture)
};

// eight_gaussians, twenty_five_gaussians, two_moons, checkerboard, swiss_roll, rings, pinwheel,
// spiral, banana, unequal_bimodal, equal_bimodal, and the 64-D digits and digits_sphere (read from the
// python3-sklearn file, io/digits.hpp; n above its 1797 images repeats some). Throws
// InvalidArgument for an unknown name, n < 1, or (digits) a missing or malformed file.
Dataset sampleDataset(std::string_view name, int n, std::uint64_t seed);
// the 2-D datasets drawn from a formula
std::vector<NamedDescription> datasetCatalog();
// the datasets read from files (digits, digits_sphere)
std::vector<NamedDescription> realDatasetCatalog();
// a name of either catalog
bool isDatasetName(std::string_view name);

// Initial particle layouts: gaussian (N(0, 0.5^2 I)), far (a blob far from the data), collapsed
// (all within 1e-3 of one point), uniform (box [-1.5, 1.5]^2), one_mode and split_90_10 (the
// bimodal datasets' modes filled 100/0 and 90/10). dim is taken from data.
// Throws InvalidArgument for an unknown name or n < 1.
Points initialParticles(std::string_view kind, int n, std::uint64_t seed, const Points& data);
std::vector<NamedDescription> initCatalog();
bool isInitName(std::string_view name);

}  // namespace driftlab
