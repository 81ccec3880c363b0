// The digits datasets (digits_dataset.hpp). Any thread: the one shared thing, the images read
// from the file, sits behind a mutex.
//
// Modes: the class means, weighted by the class frequencies of the whole file. modesCovered
// (field/metrics.hpp) gives each particle to its nearest centre, so the mode metrics are those of
// the nearest-class-mean classifier (THEORY.md §8.3). A sample count below the file's 1797 images
// takes a seeded subsample without repetition, 1797 is the whole file in its order, and a larger
// count is the whole file plus draws with replacement: every caller gets the number of points it
// asked for (the generator draws 2048-point metric sets and batches of any size), as close to the
// file's own distribution as that count allows.
#include "flow/digits_dataset.hpp"

#include <memory>
#include <mutex>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/class_modes.hpp"
#include "driftlab/io/digits.hpp"

namespace driftlab::digits_data {
namespace {

// The file's images, read once per path: the generator draws a data batch from its dataset every
// training step, and reading the 260 KB file costs about 4 ms. A file changed in place under the
// same path is not seen again (it belongs to a Debian package); another path (the environment
// variable) is read anew. Any thread.
std::shared_ptr<const Digits> cachedDigits() {
  static std::mutex mutex;
  static std::string cached_path;
  static std::shared_ptr<const Digits> cached;
  const std::string path = digitsPath();
  const std::lock_guard<std::mutex> lock(mutex);
  if (!cached || path != cached_path) {
    cached = std::make_shared<const Digits>(loadDigits(path));
    cached_path = path;
  }
  return cached;
}

Dataset build(int n, seeded::Rng& rng, bool on_sphere) {
  const std::shared_ptr<const Digits> file = cachedDigits();
  const Digits& dg = *file;
  const auto total = dg.pixels.cols();
  Points all = dg.pixels / 16.0;
  if (on_sphere) {
    const Vec mean = all.rowwise().mean();
    all.colwise() -= mean;
    for (Eigen::Index i = 0; i < total; ++i) {
      const double norm = all.col(i).norm();
      if (!(norm > 0.0)) {
        detail::throwInvalidArgument("dataset digits_sphere: image " + std::to_string(i + 1) +
                                     " equals the mean image and has no direction");
      }
      all.col(i) /= norm;
    }
  }

  // class means and frequencies over the whole file (classes absent from it are left out)
  // (on the sphere a centre is the class mean's direction)
  ClassModes modes = classModes(all, dg.labels, "dataset digits", on_sphere);
  Dataset ds;
  ds.mode_centres = std::move(modes.centres);
  ds.mode_weights = std::move(modes.weights);

  if (n == total) {
    ds.points = std::move(all);
  } else if (n < total) {
    const std::vector<int> idx = seeded::sampleIndices(static_cast<int>(total), n, rng.nextU64());
    ds.points.resize(all.rows(), n);
    for (int j = 0; j < n; ++j) ds.points.col(j) = all.col(idx[static_cast<std::size_t>(j)]);
  } else {
    ds.points.resize(all.rows(), n);
    ds.points.leftCols(total) = all;
    for (Eigen::Index j = total; j < n; ++j) {
      ds.points.col(j) = all.col(static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(total))));
    }
  }
  return ds;
}

}  // namespace

Dataset plain(int n, seeded::Rng& rng) { return build(n, rng, false); }
Dataset sphere(int n, seeded::Rng& rng) { return build(n, rng, true); }

}  // namespace driftlab::digits_data
