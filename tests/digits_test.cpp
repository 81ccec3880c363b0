// The scikit-learn digits (io/digits.hpp) and the digits / digits_sphere datasets: the file's
// known counts and sums, the preprocessing of each dataset, its class-mean modes, the errors, and
// the velocity field in d = 64 against the brute-force double loop. These tests need the file of
// python3-sklearn (scripts/quickstart.sh installs it): without it they fail, naming the package.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/field/velocity.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/flow/geometry.hpp"
#include "driftlab/io/digits.hpp"
#include "error_of.hpp"
#include "math_brute_force.hpp"
#include "test_files.hpp"

using namespace driftlab;
using driftlab::testing::errorOf;

namespace {

// sets DRIFTLAB_DIGITS_CSV_GZ for one scope, then restores what was there
class DigitsPathOverride {
 public:
  explicit DigitsPathOverride(const std::string& path) {
    if (const char* old = std::getenv("DRIFTLAB_DIGITS_CSV_GZ")) old_ = old, had_ = true;
    ::setenv("DRIFTLAB_DIGITS_CSV_GZ", path.c_str(), 1);
  }
  ~DigitsPathOverride() {
    if (had_) {
      ::setenv("DRIFTLAB_DIGITS_CSV_GZ", old_.c_str(), 1);
    } else {
      ::unsetenv("DRIFTLAB_DIGITS_CSV_GZ");
    }
  }
  DigitsPathOverride(const DigitsPathOverride&) = delete;
  DigitsPathOverride& operator=(const DigitsPathOverride&) = delete;

 private:
  std::string old_;
  bool had_ = false;
};

std::string tmpPath(const std::string& name) { return driftlab::testing::processTmpDir("digits_test") + "/" + name; }

void writeText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// one CSV line of 64 pixels all equal to `pixel` and the class
std::string digitLine(int pixel, int label) {
  std::string s;
  for (int i = 0; i < 64; ++i) s += std::to_string(pixel) + ",";
  return s + std::to_string(label) + "\n";
}

}  // namespace

TEST_CASE("digits: the python3-sklearn file holds 1797 images of 64 pixels 0..16 with the known class counts") {
  const Digits dg = loadDigits();  // a missing file throws "... install python3-sklearn ..."
  REQUIRE(dg.pixels.rows() == 64);
  REQUIRE(dg.pixels.cols() == 1797);
  REQUIRE(dg.labels.size() == 1797);
  std::array<int, 10> counts{};
  for (int c : dg.labels) {
    REQUIRE(c >= 0);
    REQUIRE(c <= 9);
    ++counts[static_cast<std::size_t>(c)];
  }
  CHECK(counts == std::array<int, 10>{178, 182, 177, 183, 181, 182, 181, 179, 174, 180});
  CHECK(dg.pixels.minCoeff() == 0.0);
  CHECK(dg.pixels.maxCoeff() == 16.0);
  // sums computed once from the file with Python (all pixels; the first image; the last one, an 8)
  CHECK(dg.pixels.sum() == 561718.0);
  CHECK(dg.pixels.squaredNorm() == 6907012.0);
  CHECK(dg.pixels.col(0).sum() == 294.0);
  CHECK(dg.labels.back() == 8);
  CHECK(dg.pixels.col(1796).sum() == 392.0);
  // row-major 8 x 8: the first image starts 0,0,5,13,9,1,0,0
  CHECK(dg.pixels(2, 0) == 5.0);
  CHECK(dg.pixels(3, 0) == 13.0);
}

TEST_CASE("digits: the dataset is every image / 16 with the class means as modes and the class frequencies as weights") {
  const Digits dg = loadDigits();
  const Dataset all = sampleDataset("digits", 1797, 5);
  REQUIRE(all.points.rows() == 64);
  REQUIRE(all.points.cols() == 1797);
  CHECK(all.points == dg.pixels / 16.0);
  CHECK(sampleDataset("digits", 1797, 6).points == all.points);  // the whole set does not depend on the seed
  REQUIRE(all.mode_centres.rows() == 64);
  REQUIRE(all.mode_centres.cols() == 10);
  REQUIRE(all.mode_weights.size() == 10);
  CHECK(all.mode_weights[0] == doctest::Approx(178.0 / 1797).epsilon(1e-15));
  CHECK(all.mode_weights[8] == doctest::Approx(174.0 / 1797).epsilon(1e-15));
  double weight_sum = 0.0;
  for (double w : all.mode_weights) weight_sum += w;
  CHECK(weight_sum == doctest::Approx(1.0).epsilon(1e-15));
  for (int k = 0; k < 10; ++k) {
    Vec mean = Vec::Zero(64);
    int count = 0;
    for (int i = 0; i < 1797; ++i) {
      if (dg.labels[static_cast<std::size_t>(i)] != k) continue;
      mean += dg.pixels.col(i) / 16.0;
      ++count;
    }
    mean /= count;
    CAPTURE(k);
    CHECK((all.mode_centres.col(k) - mean).cwiseAbs().maxCoeff() < 1e-14);
  }
  // the modes metric gives each point to its nearest class mean: the data itself covers all 10
  CHECK(modesCovered(all.points, all.mode_centres, all.mode_weights) == 10);

  // M < 1797: a seeded subsample of distinct images, the same for the same seed
  const Dataset a = sampleDataset("digits", 300, 11), b = sampleDataset("digits", 300, 11), c = sampleDataset("digits", 300, 12);
  REQUIRE(a.points.cols() == 300);
  CHECK(a.points == b.points);
  CHECK(a.points != c.points);
  CHECK(a.mode_centres == all.mode_centres);
  for (Eigen::Index j = 0; j < a.points.cols(); ++j) {
    bool found = false;
    for (Eigen::Index i = 0; i < all.points.cols() && !found; ++i) found = a.points.col(j) == all.points.col(i);
    CHECK(found);
  }
  // M > 1797: the whole set once, then seeded repeats (so a 2048-point metrics set exists)
  const Dataset more = sampleDataset("digits", 2048, 3);
  REQUIRE(more.points.cols() == 2048);
  CHECK(more.points.leftCols(1797) == all.points);
  CHECK(more.points.rightCols(251) == sampleDataset("digits", 2048, 3).points.rightCols(251));
  CHECK(more.points.rightCols(251) != sampleDataset("digits", 2048, 4).points.rightCols(251));
  for (Eigen::Index j = 1797; j < 2048; ++j) {
    bool found = false;
    for (Eigen::Index i = 0; i < all.points.cols() && !found; ++i) found = more.points.col(j) == all.points.col(i);
    CHECK(found);
  }
}

TEST_CASE("digits_sphere: centred unit vectors on S^63, class directions as unit modes") {
  const Digits dg = loadDigits();
  const Dataset s = sampleDataset("digits_sphere", 1797, 1);
  REQUIRE(s.points.rows() == 64);
  REQUIRE(s.points.cols() == 1797);
  Points centred = dg.pixels / 16.0;
  const Vec mean = centred.rowwise().mean();
  centred.colwise() -= mean;
  Vec weighted_sum = Vec::Zero(64);
  for (Eigen::Index i = 0; i < 1797; ++i) {
    CHECK(std::abs(s.points.col(i).norm() - 1.0) < 1e-12);
    // the same direction as the centred image
    CHECK((s.points.col(i) - centred.col(i).normalized()).cwiseAbs().maxCoeff() < 1e-15);
    weighted_sum += centred.col(i).norm() * s.points.col(i);
  }
  // centred before scaling: the points weighted by their lengths sum to zero
  CHECK(weighted_sum.norm() < 1e-11);
  // and the plain mean direction is far from any single point (|mean| well below 1)
  CHECK(s.points.rowwise().mean().norm() < 0.2);
  // the sphere geometry takes them as they are
  int renormalized = -1;
  const Points on = normalizedToSphere(s.points, "digits_sphere", 1e-12, &renormalized);
  CHECK(renormalized == 0);
  CHECK((on - s.points).cwiseAbs().maxCoeff() < 1e-15);
  REQUIRE(s.mode_centres.cols() == 10);
  for (int k = 0; k < 10; ++k) CHECK(std::abs(s.mode_centres.col(k).norm() - 1.0) < 1e-12);
  CHECK(modesCovered(s.points, s.mode_centres, s.mode_weights) == 10);
}

TEST_CASE("digits: DRIFTLAB_DIGITS_CSV_GZ overrides the path; a missing or malformed file is one line") {
  {
    const std::string missing = tmpPath("no_such_digits.csv.gz");
    DigitsPathOverride env(missing);
    CHECK(digitsPath() == missing);
    CHECK(errorOf([] { sampleDataset("digits", 10, 1); }) ==
          missing + ": digits dataset not found (install python3-sklearn, or set DRIFTLAB_DIGITS_CSV_GZ to its "
                    "digits.csv.gz)");
  }
  CHECK(digitsPath() == (std::getenv("DRIFTLAB_DIGITS_CSV_GZ") ? std::getenv("DRIFTLAB_DIGITS_CSV_GZ") : kDefaultDigitsPath));
  // a plain (not gzipped) CSV is read too
  const std::string small = tmpPath("small.csv");
  writeText(small, digitLine(16, 3) + digitLine(0, 7) + "\n" + digitLine(8, 3));
  {
    DigitsPathOverride env(small);
    const Digits dg = loadDigits();
    REQUIRE(dg.pixels.cols() == 3);
    CHECK(dg.labels == std::vector<int>{3, 7, 3});
    CHECK(dg.pixels.col(2).sum() == 8.0 * 64);
    const Dataset ds = sampleDataset("digits", 3, 1);
    REQUIRE(ds.mode_centres.cols() == 2);  // classes absent from the file are no modes
    CHECK(ds.mode_centres(0, 0) == 0.75);  // class 3: (16 + 8) / 2 / 16
    CHECK(ds.mode_weights == std::vector<double>{2.0 / 3.0, 1.0 / 3.0});
    CHECK(sampleDataset("digits", 4, 1).points.cols() == 4);
    // the third image (all 8) is the mean of 16, 0 and 8: it has no direction on the sphere
    CHECK(errorOf([] { sampleDataset("digits_sphere", 2, 1); }) ==
          "dataset digits_sphere: image 3 equals the mean image and has no direction");
  }
  const std::string bad = tmpPath("bad.csv");
  const auto errorFor = [&](const std::string& text) {
    writeText(bad, text);
    return errorOf([&] { loadDigits(bad); });
  };
  CHECK(errorFor(digitLine(1, 0) + "1,2,3\n") == bad + ":2: expected 65 values (64 pixels and the class), found 3");
  CHECK(errorFor(digitLine(17, 0)) == bad + ":1: 1: pixel value 17 is not in 0..16");
  CHECK(errorFor(digitLine(1, 10)) == bad + ":1: 65: class 10 is not in 0..9");
  CHECK(errorFor("a" + digitLine(1, 1)) == bad + ":1: 1: not an integer: 'a1'");
  CHECK(errorFor("\n\n") == bad + ": no digits in the file");
}

TEST_CASE("digits: the velocity field in d = 64 matches the brute-force double loop, float64 to 1e-12, float32 to 1e-5") {
  // 200 digits as data, 150 others as particles; the exact float64 path (the library default) and
  // the exact float32 path (float products, float64 totals: kde/dense_kde.hpp)
  const Points all = sampleDataset("digits", 1797, 1).points;
  const Points y = all.leftCols(200);
  const Points x = all.middleCols(400, 150);
  for (KernelKind kind : {KernelKind::Gaussian, KernelKind::Laplacian}) {
    for (Divergence t : {Divergence::Drift, Divergence::ReverseKL, Divergence::Chi2, Divergence::MMD}) {
      VelocityOptions o;
      o.kernel.kind = kind;
      o.kernel.h = 1.5;  // distances between digit images / 16 are about 2 - 3.5
      o.weights = DivergenceWeights::single(t);
      o.leave_one_out = true;
      REQUIRE(o.path == ComputePath::Exact64);
      const Points v = particleVelocity(x, y, o);
      VelocityOptions o32 = o;
      o32.path = ComputePath::Exact32;
      const Points v32 = particleVelocity(x, y, o32);
      bf::Opts b;
      b.loo = true;
      b.alpha = o.alpha;
      b.chi2_full = o.chi2 == Chi2Convention::Full;
      b.rmin = o.ratio_min;
      b.rmax = o.ratio_max;
      const Points ref = bf::field(t, x, bf::iota(150), x, y, o.kernel, b);
      const std::string kname = kernelName(kind), dname = divergenceName(t);
      CAPTURE(kname);
      CAPTURE(dname);
      REQUIRE(v.rows() == 64);
      CHECK(ref.cwiseAbs().maxCoeff() > 0.0);
      CHECK(bf::relErr(v, ref) < 1e-12);
      CHECK(bf::relErr(v32, ref) < 1e-5);
      CHECK(bf::relErr(v32, ref) > 0.0);  // the float32 products did run
    }
  }
}

TEST_CASE("digits: the held-out images are the file's images a run did not train on") {
  const Points all = sampleDataset("digits", 1797, 0).points;
  const Points training = sampleDataset("digits", 1000, 3).points;
  const std::optional<Points> held = heldOutImages("digits", training);
  REQUIRE(held.has_value());
  // none of them is a training image, each is an image of the file, and together they cover the rest
  // (the file repeats a few images, counted once: at most 797 are left)
  int in_training = 0, in_file = 0;
  for (Eigen::Index j = 0; j < held->cols(); ++j) {
    if ((training.colwise() - held->col(j)).colwise().squaredNorm().minCoeff() == 0.0) ++in_training;
    if ((all.colwise() - held->col(j)).colwise().squaredNorm().minCoeff() == 0.0) ++in_file;
  }
  MESSAGE("held out " << held->cols() << " of 1797 images after training on 1000 draws");
  CHECK(in_training == 0);
  CHECK(in_file == held->cols());
  CHECK(held->cols() <= 797);
  CHECK(held->cols() >= 780);
  // the training images are copies of themselves (ratio 0), the held-out images are not
  CHECK(heldOutImages("digits", all)->cols() == 0);
  CHECK(heldOutImages("digits_sphere", sampleDataset("digits_sphere", 1500, 2).points)->cols() >= 280);
  CHECK_FALSE(heldOutImages("two_moons", training).has_value());
  CHECK_FALSE(heldOutImages("digits", Points(3, 10)).has_value());

  // the CLI's memorization line uses them; with all 1797 images in use it says there are none
  const std::string dir = driftlab::testing::processTmpDir("digits_test");
  const auto part = driftlab::testing::runCliIn(
      dir, "run --set dataset=digits --set samples=1000 --set particles=100 --set bandwidth=2 --steps 0 --no-progress");
  CHECK(part.code == 0);
  CHECK(part.out.find("memorization: median distance to the nearest training point") != std::string::npos);
  const auto whole = driftlab::testing::runCliIn(
      dir, "run --set dataset=digits --set samples=1797 --set particles=100 --set bandwidth=2 --steps 0 --no-progress");
  CHECK(whole.code == 0);
  CHECK(whole.out.find("memorization: no held-out images") != std::string::npos);
}
