// Built-in 2-D datasets (seeded, scaled to roughly [-1, 1]^2) and initial particle layouts.
// THEORY.md §9.1 gives the checkerboard, Swiss roll and mixture definitions. Any thread.
#pragma once

#include <cstdint>
#include <string>
#include <optional>
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
// spiral, banana, unequal_bimodal, equal_bimodal, the 64-D digits and digits_sphere (read from the
// python3-sklearn file, io/digits.hpp; n above its 1797 images repeats some), and the 3-D unit
// vectors on S^2 for geometry=sphere: sphere_vmf_caps, sphere_unequal_caps, sphere_antipodal_caps,
// sphere_band, sphere_spiral (THEORY.md §10.5). Throws
// InvalidArgument for an unknown name, n < 1, or (digits) a missing or malformed file.
Dataset sampleDataset(std::string_view name, int n, std::uint64_t seed);
// the 2-D datasets drawn from a formula
// The images of `digits` or `digits_sphere` that are not columns of `training` (exact matches,
// duplicates once): a held-out set for the memorization ratio (THEORY.md §8.6). Empty when every
// image is in use; nullopt for any other dataset or when training has another row count. Throws
// like sampleDataset when the file is missing. Any thread.
std::optional<Points> heldOutImages(std::string_view name, const Points& training);

std::vector<NamedDescription> datasetCatalog();
// the datasets outside the plane: those read from files (digits, digits_sphere) and the S^2 ones
std::vector<NamedDescription> realDatasetCatalog();
// a name of either catalog
bool isDatasetName(std::string_view name);

// Initial particle layouts: gaussian (N(0, 0.5^2 I)), far (a blob far from the data), collapsed
// (all within 1e-3 of one point), uniform (box [-1.5, 1.5]^2), one_mode and split_90_10 (the
// bimodal datasets' modes filled 100/0 and 90/10); on the unit sphere S^{d-1}, for geometry=sphere
// and data of d >= 3 coordinates: sphere_collapsed_cap, sphere_uniform, sphere_far_cap (THEORY.md
// §10.5). dim is taken from data.
// Throws InvalidArgument for an unknown name, n < 1, or a sphere layout on data of d < 3.
Points initialParticles(std::string_view kind, int n, std::uint64_t seed, const Points& data);
std::vector<NamedDescription> initCatalog();
bool isInitName(std::string_view name);

}  // namespace driftlab
