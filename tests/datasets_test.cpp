// Built-in datasets and initial layouts (THEORY.md §9.1, §9.2): ranges, seeding, the checkerboard and
// mixture definitions, layout geometry and the input errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "error_of.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/base/error.hpp"

using namespace driftlab;
using driftlab::testing::errorOf;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("datasets: catalog lists the eleven built-in names with descriptions") {
  const auto cat = datasetCatalog();
  REQUIRE(cat.size() == 11);
  for (const char* name : {"eight_gaussians", "twenty_five_gaussians", "two_moons", "checkerboard", "swiss_roll",
                           "rings", "pinwheel", "spiral", "banana", "unequal_bimodal", "equal_bimodal"}) {
    CHECK(isDatasetName(name));
    const auto it = std::find_if(cat.begin(), cat.end(), [&](const auto& e) { return e.name == name; });
    REQUIRE(it != cat.end());
    CHECK(it->description.size() > 10);
  }
  CHECK_FALSE(isDatasetName("csv"));
  CHECK_FALSE(isDatasetName(""));
}

TEST_CASE("datasets: every dataset is 2-D, finite and roughly inside [-1, 1]^2") {
  for (const auto& e : datasetCatalog()) {
    CAPTURE(e.name);
    const Dataset ds = sampleDataset(e.name, 2000, 7);
    REQUIRE(ds.points.rows() == 2);
    REQUIRE(ds.points.cols() == 2000);
    CHECK(ds.points.allFinite());
    CHECK(ds.points.cwiseAbs().maxCoeff() < 2.0);
    int inside = 0;
    for (Eigen::Index i = 0; i < ds.points.cols(); ++i) inside += ds.points.col(i).cwiseAbs().maxCoeff() <= 1.25;
    CHECK(inside >= 0.95 * 2000);
    // spread over the box, not collapsed: the coordinates' standard deviation is of order 0.5
    const Vec mean = ds.points.rowwise().mean();
    const double sd = std::sqrt((ds.points.colwise() - mean).squaredNorm() / (2.0 * 2000));
    CHECK(sd > 0.2);
    CHECK(sd < 1.0);
  }
}

TEST_CASE("datasets: a single sample is valid for every dataset") {
  for (const auto& e : datasetCatalog()) {
    CAPTURE(e.name);
    const Dataset ds = sampleDataset(e.name, 1, 3);
    REQUIRE(ds.points.rows() == 2);
    REQUIRE(ds.points.cols() == 1);
    CHECK(ds.points.allFinite());
    CHECK(ds.points.cwiseAbs().maxCoeff() < 2.0);
  }
}

TEST_CASE("datasets: the same seed gives identical points, another seed differs") {
  for (const auto& e : datasetCatalog()) {
    CAPTURE(e.name);
    const Dataset a = sampleDataset(e.name, 300, 11);
    const Dataset b = sampleDataset(e.name, 300, 11);
    const Dataset c = sampleDataset(e.name, 300, 12);
    CHECK(a.points == b.points);
    CHECK(a.mode_centres == b.mode_centres);
    CHECK((a.points - c.points).cwiseAbs().maxCoeff() > 1e-3);
  }
}

TEST_CASE("datasets: unknown names and bad sample counts throw one line naming the value") {
  const std::string unknown = errorOf([] { sampleDataset("nope", 10, 1); });
  CHECK(contains(unknown, "'nope'"));
  CHECK(contains(unknown, "eight_gaussians"));
  CHECK(contains(errorOf([] { sampleDataset("two_moons", 0, 1); }), "(got 0)"));
  CHECK(contains(errorOf([] { sampleDataset("two_moons", -5, 1); }), "(got -5)"));
  CHECK(contains(errorOf([] { sampleDataset("rings", static_cast<int>(kMaxPoints) + 1, 1); }), "(got 50000001)"));
  for (const std::string& msg : {unknown, errorOf([] { sampleDataset("two_moons", 0, 1); })}) {
    CHECK(msg.find('\n') == std::string::npos);
  }
}

TEST_CASE("datasets: checkerboard points lie in the black squares up to the 0.05 noise") {
  // DM notebook (THEORY.md §9.1): cell (i, j) of the 4x4 board on [-1, 1]^2 is filled when i and j
  // have the same parity; cell index = floor(2 x + 2).
  const Dataset ds = sampleDataset("checkerboard", 4000, 3);
  auto black = [](double x, double y) {
    const int i = static_cast<int>(std::floor(2.0 * x + 2.0)), j = static_cast<int>(std::floor(2.0 * y + 2.0));
    return i >= 0 && i < 4 && j >= 0 && j < 4 && (i - j) % 2 == 0;
  };
  int in_black = 0, near_black = 0;
  std::array<int, 16> per_cell{};
  for (Eigen::Index k = 0; k < ds.points.cols(); ++k) {
    const double x = ds.points(0, k), y = ds.points(1, k);
    in_black += black(x, y);
    // 6 noise standard deviations: some black square contains a point within 0.3 (Chebyshev)
    bool near = false;
    for (double dx : {-0.3, 0.0, 0.3})
      for (double dy : {-0.3, 0.0, 0.3}) near = near || black(x + dx, y + dy);
    near_black += near;
    const int i = static_cast<int>(std::floor(2.0 * x + 2.0)), j = static_cast<int>(std::floor(2.0 * y + 2.0));
    if (i >= 0 && i < 4 && j >= 0 && j < 4) ++per_cell[static_cast<std::size_t>(4 * i + j)];
  }
  CHECK(near_black == 4000);
  // noise 0.05 on cells of side 0.5 moves ~15% of the points out of their square
  CHECK(in_black > 0.75 * 4000);
  // the 8 black cells are filled evenly (~1/8 of the mass each before noise), white ones thinly
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) {
      CAPTURE(i);
      CAPTURE(j);
      if ((i - j) % 2 == 0) {
        CHECK(per_cell[static_cast<std::size_t>(4 * i + j)] > 0.08 * 4000);
      } else {
        CHECK(per_cell[static_cast<std::size_t>(4 * i + j)] < 0.05 * 4000);
      }
    }
  }
}

TEST_CASE("datasets: mixture centres and weights match the samples' nearest-centre fractions") {
  struct Expect {
    const char* name;
    int modes;
  };
  for (const Expect& ex : {Expect{"eight_gaussians", 8}, Expect{"twenty_five_gaussians", 25},
                           Expect{"unequal_bimodal", 2}, Expect{"equal_bimodal", 2}}) {
    CAPTURE(ex.name);
    constexpr int kN = 20000;
    const Dataset ds = sampleDataset(ex.name, kN, 5);
    REQUIRE(ds.mode_centres.rows() == 2);
    REQUIRE(ds.mode_centres.cols() == ex.modes);
    REQUIRE(ds.mode_weights.size() == static_cast<std::size_t>(ex.modes));
    double total = 0.0;
    for (double w : ds.mode_weights) total += w;
    CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
    std::vector<int> count(static_cast<std::size_t>(ex.modes), 0);
    for (Eigen::Index i = 0; i < kN; ++i) {
      Eigen::Index best = 0;
      (ds.mode_centres.colwise() - ds.points.col(i)).colwise().squaredNorm().minCoeff(&best);
      ++count[static_cast<std::size_t>(best)];
    }
    for (int k = 0; k < ex.modes; ++k) {
      const double w = ds.mode_weights[static_cast<std::size_t>(k)];
      const double frac = static_cast<double>(count[static_cast<std::size_t>(k)]) / kN;
      // binomial standard error; 5 sigma (the modes are well separated, so nearest-centre
      // assignment equals the component up to a few points)
      CHECK(std::abs(frac - w) < 5.0 * std::sqrt(w * (1.0 - w) / kN) + 2e-3);
    }
  }
  // THEORY.md §9.1: eight_gaussians centres on the unit circle; unequal_bimodal (+-2,0) * 0.4 with
  // weights 0.3 / 0.7
  const Dataset eight = sampleDataset("eight_gaussians", 10, 1);
  for (Eigen::Index k = 0; k < 8; ++k) CHECK(eight.mode_centres.col(k).norm() == doctest::Approx(1.0).epsilon(1e-12));
  const Dataset bi = sampleDataset("unequal_bimodal", 10, 1);
  CHECK(bi.mode_centres(0, 0) == doctest::Approx(-0.8).epsilon(1e-12));
  CHECK(bi.mode_centres(0, 1) == doctest::Approx(0.8).epsilon(1e-12));
  CHECK(bi.mode_weights[0] == doctest::Approx(0.3).epsilon(1e-12));
  CHECK(bi.mode_weights[1] == doctest::Approx(0.7).epsilon(1e-12));
  // non-mixtures have no centres
  const Dataset moons = sampleDataset("two_moons", 10, 1);
  CHECK(moons.mode_centres.cols() == 0);
  CHECK(moons.mode_weights.empty());
}

TEST_CASE("datasets: swiss roll follows the DM notebook formula") {
  // (t cos t, t sin t) / max|.| + N(0, 0.03^2): the largest coordinate is 1 up to the noise and
  // every point lies near the normalized curve, whose radius is t / max|.|, with angle t.
  const Dataset ds = sampleDataset("swiss_roll", 1000, 9);
  const double max_abs = ds.points.cwiseAbs().maxCoeff();
  CHECK(max_abs > 1.0 - 0.15);
  CHECK(max_abs < 1.0 + 0.15);
  const double kPi = std::acos(-1.0);
  const double scale = 4.5 * kPi;  // max |t sin t| on [pi/2, 9pi/2], reached near t = 9pi/2
  int near_curve = 0;
  for (Eigen::Index i = 0; i < ds.points.cols(); ++i) {
    double best = 1e9;
    for (int s = 0; s <= 2000; ++s) {
      const double t = kPi / 2 + 4 * kPi * s / 2000.0;
      best = std::min(best, std::hypot(ds.points(0, i) - t * std::cos(t) / scale,
                                       ds.points(1, i) - t * std::sin(t) / scale));
    }
    near_curve += best < 0.2;
  }
  CHECK(near_curve == 1000);
}

TEST_CASE("init layouts: catalog, dimensions and input errors") {
  const auto cat = initCatalog();
  REQUIRE(cat.size() == 9);
  for (const char* name : {"gaussian", "far", "collapsed", "uniform", "one_mode", "split_90_10", "sphere_collapsed_cap",
                           "sphere_uniform", "sphere_far_cap"})
    CHECK(isInitName(name));
  CHECK_FALSE(isInitName("csv"));
  for (const auto& e : cat) {
    if (e.name == "far" || e.name == "collapsed") CHECK(contains(e.description, "our choice"));
  }
  const Points data3 = Points::Random(3, 50);
  for (const auto& e : cat) {
    CAPTURE(e.name);
    const Points x = initialParticles(e.name, 40, 3, data3);
    CHECK(x.rows() == 3);
    CHECK(x.cols() == 40);
    CHECK(x.allFinite());
    CHECK(x == initialParticles(e.name, 40, 3, data3));
    CHECK(x != initialParticles(e.name, 40, 4, data3));
  }
  // the bimodal lesson layouts (THEORY.md §9.2): one_mode fills the left mode only, split_90_10 puts
  // n / 10 particles on the right mode
  const Points data2 = Points::Random(2, 50);
  const Points one = initialParticles("one_mode", 1000, 1, data2);
  const Points split = initialParticles("split_90_10", 1000, 1, data2);
  CHECK((one.row(0).array() < 0.0).count() > 990);
  CHECK((split.row(0).array() > 0.0).count() >= 95);
  CHECK((split.row(0).array() > 0.0).count() <= 110);
  CHECK(contains(errorOf([&] { initialParticles("middle", 10, 1, data3); }), "'middle'"));
  CHECK(contains(errorOf([&] { initialParticles("gaussian", 0, 1, data3); }), "(got 0)"));
  CHECK(contains(errorOf([&] { initialParticles("far", static_cast<int>(kMaxPoints) + 1, 1, data3); }),
                 "(got 50000001)"));
}

TEST_CASE("init layouts: gaussian, uniform, far and collapsed have the documented geometry") {
  const Dataset ds = sampleDataset("eight_gaussians", 4000, 1);
  const Vec mean = ds.points.rowwise().mean();
  constexpr int kN = 20000;
  // gaussian: N(0, 0.5^2 I)
  const Points g = initialParticles("gaussian", kN, 2, ds.points);
  const Vec gm = g.rowwise().mean();
  CHECK(gm.norm() < 5.0 * 0.5 / std::sqrt(kN));
  const double gsd = std::sqrt((g.colwise() - gm).squaredNorm() / (2.0 * kN));
  CHECK(gsd == doctest::Approx(0.5).epsilon(0.02));
  // uniform: box [-1.5, 1.5]^2, variance 3^2 / 12 = 0.75 per coordinate
  const Points u = initialParticles("uniform", kN, 2, ds.points);
  CHECK(u.maxCoeff() < 1.5);
  CHECK(u.minCoeff() >= -1.5);
  const Vec um = u.rowwise().mean();
  CHECK(std::sqrt((u.colwise() - um).squaredNorm() / (2.0 * kN)) == doctest::Approx(std::sqrt(0.75)).epsilon(0.02));
  // far: blob of std 0.1 at data mean + 2.5 * max(data std, 0.1) per coordinate
  const double data_sd = std::sqrt((ds.points.colwise() - mean).squaredNorm() / (2.0 * 4000));
  const Points f = initialParticles("far", kN, 2, ds.points);
  const Vec fm = f.rowwise().mean();
  const Vec expected_centre = mean.array() + 2.5 * std::max(data_sd, 0.1);
  CHECK((fm - expected_centre).norm() < 5.0 * 0.1 / std::sqrt(kN));
  CHECK(std::sqrt((f.colwise() - fm).squaredNorm() / (2.0 * kN)) == doctest::Approx(0.1).epsilon(0.02));
  // every far particle is well outside the data (all data lie within ~1.3 of the origin)
  CHECK((f.colwise() - mean).colwise().norm().minCoeff() > 1.5);
  // collapsed: all within 1e-3 of data mean + (0.05, 0.05)
  const Points c = initialParticles("collapsed", kN, 2, ds.points);
  const Vec centre = mean.array() + 0.05;
  CHECK((c.colwise() - centre).colwise().norm().maxCoeff() <= 1e-3);
  CHECK((c.colwise() - centre).colwise().norm().maxCoeff() > 1e-4);  // not all on one point
  // a dataset with tiny spread still gets a far blob 0.25 away per coordinate (std floored at 0.1)
  const Points tight = Points::Constant(2, 10, 0.3);
  const Points f2 = initialParticles("far", 5000, 1, tight);
  CHECK((f2.rowwise().mean() - Vec::Constant(2, 0.55)).norm() < 0.02);
}
