// The held-out images of a file-backed dataset: the digits are one fixed set of 1797 images, so
// "fresh data" for the memorization ratio (THEORY.md §8.6) can only be the images a run did not
// train on. Any thread.
#include <set>
#include <vector>

#include "driftlab/flow/datasets.hpp"

namespace driftlab {

std::optional<Points> heldOutImages(std::string_view name, const Points& training) {
  if (name != "digits" && name != "digits_sphere") return std::nullopt;
  constexpr int kImages = 1797;  // the whole file, in one seeded order (THEORY.md §9.1)
  const Points all = sampleDataset(name, kImages, 0).points;
  if (training.rows() != all.rows()) return std::nullopt;  // not these images (e.g. normalized copies)
  // exact matches: the training columns are copies of the file's values, computed the same way
  std::set<std::vector<double>> used;
  for (Eigen::Index j = 0; j < training.cols(); ++j)
    used.emplace(training.col(j).data(), training.col(j).data() + training.rows());
  std::vector<Eigen::Index> kept;
  std::set<std::vector<double>> seen;  // an image repeated in the file counts once
  for (Eigen::Index j = 0; j < all.cols(); ++j) {
    std::vector<double> image(all.col(j).data(), all.col(j).data() + all.rows());
    if (used.count(image) == 0 && seen.insert(image).second) kept.push_back(j);
  }
  Points out(all.rows(), static_cast<Eigen::Index>(kept.size()));
  for (std::size_t k = 0; k < kept.size(); ++k) out.col(static_cast<Eigen::Index>(k)) = all.col(kept[k]);
  return out;
}

}  // namespace driftlab
