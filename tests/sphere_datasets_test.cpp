// The built-in datasets and initial layouts on S^2 (THEORY.md §10.5): unit vectors, seeding, the
// von Mises-Fisher sampler against its closed-form mean, the caps' weights, the layouts' geometry,
// and a flow through the engine that covers every cap.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>
#include <string>

#include "error_of.hpp"
#include "base/rng.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/scenario.hpp"
#include "flow/sphere_layouts.hpp"
#include "flow/sphere_sampling.hpp"

using namespace driftlab;
using driftlab::testing::errorOf;

namespace {

constexpr const char* kSphereDatasets[] = {"sphere_vmf_caps", "sphere_unequal_caps", "sphere_antipodal_caps",
                                           "sphere_band", "sphere_spiral"};
constexpr const char* kSphereInits[] = {"sphere_collapsed_cap", "sphere_uniform", "sphere_far_cap"};

double worstNormError(const Points& x) {
  double worst = 0.0;
  for (Eigen::Index i = 0; i < x.cols(); ++i) worst = std::max(worst, std::abs(x.col(i).norm() - 1.0));
  return worst;
}

// largest geodesic distance of a column of x from the unit vector c
double largestAngleFrom(const Points& x, const Vec& c) {
  double worst = 0.0;
  for (Eigen::Index i = 0; i < x.cols(); ++i) worst = std::max(worst, std::acos(std::clamp(x.col(i).dot(c), -1.0, 1.0)));
  return worst;
}

}  // namespace

TEST_CASE("sphere datasets: 3-D unit vectors and unit mode centres, seeded, listed with the real datasets") {
  const auto cat = realDatasetCatalog();
  for (const char* name : kSphereDatasets) {
    CAPTURE(name);
    CHECK(isDatasetName(name));
    CHECK(std::any_of(cat.begin(), cat.end(), [&](const auto& e) {
      return e.name == name && e.description.find("geometry=sphere") != std::string::npos;
    }));
    const Dataset a = sampleDataset(name, 3000, 7);
    REQUIRE(a.points.rows() == 3);
    REQUIRE(a.points.cols() == 3000);
    CHECK(worstNormError(a.points) <= 1e-12);
    const Dataset b = sampleDataset(name, 3000, 7);
    const Dataset c = sampleDataset(name, 3000, 8);
    CHECK(a.points == b.points);
    CHECK(a.mode_centres == b.mode_centres);
    CHECK((a.points - c.points).cwiseAbs().maxCoeff() > 1e-3);
    CHECK(sampleDataset(name, 1, 3).points.cols() == 1);
    if (a.mode_centres.cols() > 0) {
      CHECK(worstNormError(a.mode_centres) <= 1e-12);
      REQUIRE(a.mode_weights.size() == static_cast<std::size_t>(a.mode_centres.cols()));
      CHECK(std::accumulate(a.mode_weights.begin(), a.mode_weights.end(), 0.0) == doctest::Approx(1.0).epsilon(1e-12));
    }
  }
  // the mixtures carry modes, the band and the spiral do not
  CHECK(sampleDataset("sphere_vmf_caps", 10, 1).mode_centres.cols() == 6);
  CHECK(sampleDataset("sphere_unequal_caps", 10, 1).mode_centres.cols() == 3);
  CHECK(sampleDataset("sphere_antipodal_caps", 10, 1).mode_centres.cols() == 2);
  CHECK(sampleDataset("sphere_band", 10, 1).mode_centres.cols() == 0);
  CHECK(sampleDataset("sphere_spiral", 10, 1).mode_centres.cols() == 0);
}

TEST_CASE("sphere datasets: the vMF sampler's mean cosine and mean vector match coth(kappa) - 1/kappa") {
  // On S^2 the density of w = x . mu is proportional to e^{kappa w} on [-1, 1]: E w = A = coth kappa -
  // 1/kappa, E w^2 = 1 - 2 A / kappa, and by symmetry about mu E x = A mu. Tolerance: 5 Monte-Carlo
  // standard errors sqrt(Var / n) (a false failure has probability ~6e-7 per check).
  Vec mu(3);
  mu << 1.0, -2.0, 2.0;
  mu /= 3.0;
  constexpr int kN = 200000;
  for (const double kappa : {0.5, 5.0, 50.0}) {
    CAPTURE(kappa);
    seeded::Rng rng(static_cast<std::uint64_t>(kappa * 10.0) + 1);
    double sum_w = 0.0;
    Vec sum_x = Vec::Zero(3);
    for (int i = 0; i < kN; ++i) {
      const Vec x = sphere_sampling::vmfSample(mu, kappa, rng);
      REQUIRE(std::abs(x.norm() - 1.0) <= 1e-12);
      sum_w += x.dot(mu);
      sum_x += x;
    }
    const double a = 1.0 / std::tanh(kappa) - 1.0 / kappa;
    const double var_w = 1.0 - 2.0 * a / kappa - a * a;
    const double mean_w = sum_w / kN;
    MESSAGE("kappa " << kappa << ": mean cosine " << mean_w << " vs " << a << " (5 SE = " << 5.0 * std::sqrt(var_w / kN)
                     << ")");
    CHECK(std::abs(mean_w - a) < 5.0 * std::sqrt(var_w / kN));
    // every coordinate's variance is at most E x_r^2 <= 1
    CHECK((sum_x / kN - a * mu).cwiseAbs().maxCoeff() < 5.0 * std::sqrt(1.0 / kN));
  }
  // the inverse CDF's ends, and no overflow where e^{-2 kappa} underflows
  CHECK(sphere_sampling::vmfCosine(5.0, 1.0) == 1.0);
  CHECK(sphere_sampling::vmfCosine(5.0, 1e-300) == doctest::Approx(-1.0).epsilon(1e-9));
  const double w_big = sphere_sampling::vmfCosine(1000.0, 1e-300);
  CHECK(std::isfinite(w_big));
  CHECK(w_big >= -1.0);
}

TEST_CASE("sphere datasets: the caps' empirical shares match their weights") {
  // nearest-centre shares (THEORY.md §8.3); the caps' kappa 50 puts ~4e-7 of a cap's mass past the
  // 45-degree boundary to its neighbour, so the tolerance is the multinomial one: 5 sqrt(w (1 - w) / n)
  constexpr int kN = 20000;
  for (const char* name : {"sphere_vmf_caps", "sphere_unequal_caps", "sphere_antipodal_caps"}) {
    CAPTURE(name);
    const Dataset ds = sampleDataset(name, kN, 5);
    const ModeMass mass = modeMass(ds.points, ds.mode_centres, ds.mode_weights);
    REQUIRE(mass.share.size() == ds.mode_weights.size());
    for (std::size_t k = 0; k < mass.share.size(); ++k) {
      CAPTURE(k);
      const double w = ds.mode_weights[k];
      CHECK(std::abs(mass.share[k] - w) < 5.0 * std::sqrt(w * (1.0 - w) / kN));
    }
    // every point lies within the cap's 99.99 % radius (1 - cos r = ln(1e4) / kappa) of its nearest centre
    const double r = std::acos(1.0 - std::log(1e4) / 50.0);
    int outside = 0;
    for (Eigen::Index i = 0; i < ds.points.cols(); ++i) {
      const double best = (ds.mode_centres.transpose() * ds.points.col(i)).maxCoeff();
      outside += std::acos(std::clamp(best, -1.0, 1.0)) > r;
    }
    CHECK(outside < 10);  // expected 2
  }
  const Dataset unequal = sampleDataset("sphere_unequal_caps", 10, 1);
  CHECK(unequal.mode_weights == std::vector<double>{0.2, 0.3, 0.5});
}

TEST_CASE("sphere datasets: the band's latitude and the spiral's polar range") {
  const Dataset band = sampleDataset("sphere_band", 20000, 2);
  double ss = 0.0;
  for (Eigen::Index i = 0; i < band.points.cols(); ++i) ss += std::pow(std::asin(band.points(2, i)), 2);
  CHECK(std::sqrt(ss / 20000.0) == doctest::Approx(0.1).epsilon(0.03));
  const Dataset spiral = sampleDataset("sphere_spiral", 20000, 2);
  // polar angle pi (0.1 + 0.8 t) plus noise of std 0.03 rad: inside [0.1 pi, 0.9 pi] widened by 6 std
  for (Eigen::Index i = 0; i < spiral.points.cols(); ++i) {
    const double polar = std::acos(std::clamp(spiral.points(2, i), -1.0, 1.0));
    REQUIRE(polar > 0.1 * std::numbers::pi - 0.18);
    REQUIRE(polar < 0.9 * std::numbers::pi + 0.18);
  }
}

TEST_CASE("sphere layouts: unit vectors, seeded, with the documented geometry") {
  const Dataset caps = sampleDataset("sphere_vmf_caps", 2000, 1);
  constexpr int kN = 20000;
  for (const char* name : kSphereInits) {
    CAPTURE(name);
    REQUIRE(isInitName(name));
    const Points x = initialParticles(name, kN, 3, caps.points);
    REQUIRE(x.rows() == 3);
    REQUIRE(x.cols() == kN);
    CHECK(worstNormError(x) <= 1e-12);
    CHECK(x == initialParticles(name, kN, 3, caps.points));
    CHECK(x != initialParticles(name, kN, 4, caps.points));
  }
  // collapsed: within 1e-3 rad of (1, 2, 3) / sqrt(14), not all on one point
  const Points collapsed = initialParticles("sphere_collapsed_cap", kN, 1, caps.points);
  Vec c(3);
  c << 1.0, 2.0, 3.0;
  c.normalize();
  CHECK(largestAngleFrom(collapsed, c) <= 1e-3);
  CHECK(largestAngleFrom(collapsed, c) > 1e-4);
  // uniform: E x = 0 and E x_r^2 = 1/3 (5 standard errors)
  const Points u = initialParticles("sphere_uniform", kN, 1, caps.points);
  CHECK(u.rowwise().mean().cwiseAbs().maxCoeff() < 5.0 * std::sqrt(1.0 / (3.0 * kN)));
  for (Eigen::Index r = 0; r < 3; ++r) CHECK(u.row(r).squaredNorm() / kN == doctest::Approx(1.0 / 3.0).epsilon(0.02));
  // far: for the six caps at +-e_i the farthest of the 26 directions are the cube corners (54.7 degrees
  // from three caps); every particle within 0.1 rad of it and > 0.2 rad from every data point
  const Vec far = sphere_layouts::farCapCentre(caps.points);
  CHECK(far.cwiseAbs().minCoeff() == doctest::Approx(1.0 / std::sqrt(3.0)));
  const Points f = initialParticles("sphere_far_cap", kN, 1, caps.points);
  CHECK(largestAngleFrom(f, far) <= 0.1 + 1e-12);
  double nearest_cos = -1.0;
  for (Eigen::Index i = 0; i < f.cols(); ++i) nearest_cos = std::max(nearest_cos, (caps.points.transpose() * f.col(i)).maxCoeff());
  CHECK(nearest_cos < std::cos(0.2));
  // two antipodal caps at +-e3: the centre lies on the equator
  CHECK(std::abs(sphere_layouts::farCapCentre(sampleDataset("sphere_antipodal_caps", 500, 1).points)(2)) < 1e-15);
  // in more dimensions (digits_sphere is S^63) the layouts stay unit vectors of the data's dimension
  const Points x64 = initialParticles("sphere_uniform", 50, 1, Points::Random(64, 20));
  CHECK(x64.rows() == 64);
  CHECK(worstNormError(x64) <= 1e-12);
  CHECK(worstNormError(initialParticles("sphere_far_cap", 50, 1, Points::Random(64, 20))) <= 1e-12);
  // plane data are refused in one line
  CHECK(errorOf([] { initialParticles("sphere_uniform", 10, 1, Points::Random(2, 5)); }) ==
        "init sphere_uniform: a layout on the sphere needs data of at least 3 coordinates (got 2)");
}

TEST_CASE("sphere datasets: the mixed flow from a uniform start covers all six vMF caps") {
  // THEORY.md §10.5. Default flow (mixed field, Gaussian kernel h = 0.1, step 0.01) on the sphere, 300
  // steps (t = 3; the energy is flat from t = 1 on). The floor is the geodesic energy distance between
  // two independent draws of the data of the same size, averaged over 8 pairs: .00250. Measured, seeds
  // 1-3 (data seed S, init seed S + 1): 6/6 caps each, geodesic energy .00574 / .00039 / .00542 (2.3 /
  // 0.16 / 2.2 x the floor), mode_tv .039 / .028 / .038 (the uniform start's own share noise: at h = 0.1 little mass
  // crosses between caps). The bound is 3x the floor.
  constexpr std::uint64_t kFloorPairs = 8;
  double floor = 0.0;
  for (std::uint64_t k = 0; k < kFloorPairs; ++k) {
    // geodesic, as the engine's metrics measure on the sphere (THEORY.md §10.6)
    floor += energyDistance(sampleDataset("sphere_vmf_caps", 1024, 1000 + 2 * k).points,
                            sampleDataset("sphere_vmf_caps", 1024, 1001 + 2 * k).points, true);
  }
  floor /= kFloorPairs;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    CAPTURE(seed);
    FlowParams p = defaultScenario().params;
    p.geometry = GeometryKind::Sphere;
    p.dataset = "sphere_vmf_caps";
    p.init = "sphere_uniform";
    p.data_seed = seed;
    p.init_seed = seed + 1;
    REQUIRE(p.samples == 1024);
    REQUIRE(p.particles == 1024);
    FlowEngine engine(p);
    for (int k = 0; k < 300; ++k) REQUIRE(engine.step().ok);
    const Metrics m = engine.metrics();
    MESSAGE("seed " << seed << ": caps " << m.modes_covered << "/6, energy " << m.energy << ", floor " << floor
                    << ", mode_tv " << m.mode_tv);
    CHECK(m.modes_covered == 6);
    CHECK(m.energy < 3.0 * floor);
  }
}
