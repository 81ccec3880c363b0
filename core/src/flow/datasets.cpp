// Built-in 2-D datasets, seeded and scaled to roughly [-1, 1]^2. THEORY.md §9.1. The 64-D digits
// datasets read from a file are in digits_dataset.cpp, the 3-D ones on S^2 in sphere_datasets.cpp;
// both tables are looked up here.
// Any thread: every call owns its own random generator.
#include "driftlab/flow/datasets.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/base/fnv1a.hpp"
#include "base/rng.hpp"
#include "flow/digits_dataset.hpp"
#include "flow/sphere_datasets.hpp"

namespace driftlab {
namespace {

using seeded::Rng;
constexpr double kPi = std::numbers::pi;

// FNV-1a of the dataset name: each dataset draws from its own stream of the user's seed
std::uint64_t nameSalt(std::string_view name) { return fnv1a(name.data(), name.size()); }

// Isotropic Gaussian mixture: component k with probability weights[k], centre column k of
// centres, standard deviation std in every coordinate.
Dataset gaussianMixture(int n, Rng& rng, Points centres, std::vector<double> weights, double std_dev) {
  Dataset ds;
  ds.points.resize(centres.rows(), n);
  for (int i = 0; i < n; ++i) {
    const int k = rng.categorical(weights);
    for (Eigen::Index r = 0; r < centres.rows(); ++r) ds.points(r, i) = centres(r, k) + std_dev * rng.normal();
  }
  ds.mode_centres = std::move(centres);
  ds.mode_weights = std::move(weights);
  return ds;
}

// 8 modes on the unit circle, std 0.05: points stay within about [-1.2, 1.2]^2 (THEORY.md §9.1, ours)
Dataset eightGaussians(int n, Rng& rng) {
  Points c(2, 8);
  for (int k = 0; k < 8; ++k) {
    c(0, k) = std::cos(2.0 * kPi * k / 8.0);
    c(1, k) = std::sin(2.0 * kPi * k / 8.0);
  }
  return gaussianMixture(n, rng, c, std::vector<double>(8, 1.0 / 8.0), 0.05);
}

// 5 x 5 grid of modes at {-1, -0.5, 0, 0.5, 1}^2, std 0.05
Dataset twentyFiveGaussians(int n, Rng& rng) {
  Points c(2, 25);
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 5; ++j) {
      c(0, 5 * i + j) = 0.5 * (i - 2);
      c(1, 5 * i + j) = 0.5 * (j - 2);
    }
  }
  return gaussianMixture(n, rng, c, std::vector<double>(25, 1.0 / 25.0), 0.05);
}

// Third-party DM-style test mixture (THEORY.md §9.1): centres (-2, 0) weight 0.3 and (2, 0)
// weight 0.7, std 0.5; everything scaled by 0.4 into the box.
Dataset unequalBimodal(int n, Rng& rng) {
  constexpr double kScale = 0.4;
  Points c(2, 2);
  c << -2.0 * kScale, 2.0 * kScale, 0.0, 0.0;
  return gaussianMixture(n, rng, c, {0.3, 0.7}, 0.5 * kScale);
}

// The same geometry with equal weights: a fixture for the coverage lessons (THEORY.md §5.5 items
// 3-4), where the lesson layouts "one_mode" and "split_90_10" start the particles on these modes.
Dataset equalBimodal(int n, Rng& rng) {
  constexpr double kScale = 0.4;
  Points c(2, 2);
  c << -2.0 * kScale, 2.0 * kScale, 0.0, 0.0;
  return gaussianMixture(n, rng, c, {0.5, 0.5}, 0.5 * kScale);
}

// scikit-learn style moons (upper: (cos t, sin t), lower: (1 - cos t, 0.5 - sin t), t in [0, pi]),
// centred and scaled by 2/3 to x in [-1, 1], y in [-0.5, 0.5]; noise std 0.05
Dataset twoMoons(int n, Rng& rng) {
  Dataset ds;
  ds.points.resize(2, n);
  for (int i = 0; i < n; ++i) {
    const bool upper = rng.uniform() < 0.5;
    const double t = kPi * rng.uniform();
    double x = upper ? std::cos(t) : 1.0 - std::cos(t);
    double y = upper ? std::sin(t) : 0.5 - std::sin(t);
    ds.points(0, i) = (x - 0.5) * (2.0 / 3.0) + 0.05 * rng.normal();
    ds.points(1, i) = (y - 0.25) * (2.0 / 3.0) + 0.05 * rng.normal();
  }
  return ds;
}

// DM notebook formula (THEORY.md §9.1): b in {0,1}, i = 2 B1 + b, j = 2 B2 + b, u, v ~ U[0,1],
// point ((i + u, j + v) - 2) / 2 + N(0, 0.05^2): the 8 "black" cells of a 4 x 4 board on [-1,1]^2
// are those whose cell indices have equal parity.
Dataset checkerboard(int n, Rng& rng) {
  Dataset ds;
  ds.points.resize(2, n);
  for (int i = 0; i < n; ++i) {
    const int b = rng.uniform() < 0.5 ? 0 : 1;
    const int b1 = rng.uniform() < 0.5 ? 0 : 1;
    const int b2 = rng.uniform() < 0.5 ? 0 : 1;
    const int ci = 2 * b1 + b;
    const int cj = 2 * b2 + b;
    const double u = rng.uniform();
    const double v = rng.uniform();
    ds.points(0, i) = (ci + u - 2.0) / 2.0 + 0.05 * rng.normal();
    ds.points(1, i) = (cj + v - 2.0) / 2.0 + 0.05 * rng.normal();
  }
  return ds;
}

// DM notebook formula (THEORY.md §9.1): t = pi/2 + 4 pi U, (t cos t, t sin t) divided by the
// largest absolute coordinate of the sample, + N(0, 0.03^2).
Dataset swissRoll(int n, Rng& rng) {
  Dataset ds;
  ds.points.resize(2, n);
  double max_abs = 0.0;
  for (int i = 0; i < n; ++i) {
    const double t = kPi / 2.0 + 4.0 * kPi * rng.uniform();
    ds.points(0, i) = t * std::cos(t);
    ds.points(1, i) = t * std::sin(t);
    max_abs = std::max({max_abs, std::abs(ds.points(0, i)), std::abs(ds.points(1, i))});
  }
  ds.points /= max_abs;  // max_abs >= pi/2 * |cos or sin| > 0 for every t
  for (int i = 0; i < n; ++i) {
    ds.points(0, i) += 0.03 * rng.normal();
    ds.points(1, i) += 0.03 * rng.normal();
  }
  return ds;
}

// three concentric circles of radius 1/3, 2/3, 1; ring chosen with probability proportional to
// its radius (uniform density along the curves); noise std 0.03
Dataset rings(int n, Rng& rng) {
  Dataset ds;
  ds.points.resize(2, n);
  const std::vector<double> radius_weights = {1.0, 2.0, 3.0};
  for (int i = 0; i < n; ++i) {
    const double r = (rng.categorical(radius_weights) + 1) / 3.0;
    const double a = 2.0 * kPi * rng.uniform();
    ds.points(0, i) = r * std::cos(a) + 0.03 * rng.normal();
    ds.points(1, i) = r * std::sin(a) + 0.03 * rng.normal();
  }
  return ds;
}

// FFJORD-style pinwheel: 5 arms, radial std 0.3, tangential std 0.1, twist rate 0.25,
// scaled by 0.6 so that the arms end near the unit circle
Dataset pinwheel(int n, Rng& rng) {
  Dataset ds;
  ds.points.resize(2, n);
  constexpr int kArms = 5;
  for (int i = 0; i < n; ++i) {
    const int arm = static_cast<int>(rng.below(kArms));
    const double fr = 1.0 + 0.3 * rng.normal();
    const double ft = 0.1 * rng.normal();
    const double angle = 2.0 * kPi * arm / kArms + 0.25 * std::exp(fr);
    const double c = std::cos(angle), s = std::sin(angle);
    ds.points(0, i) = 0.6 * (c * fr - s * ft);
    ds.points(1, i) = 0.6 * (s * fr + c * ft);
  }
  return ds;
}

// two interleaved spiral arms (FFJORD "2spirals" shape): s = 3 pi sqrt(U), arm point
// (-s cos s, s sin s) / (3 pi), the second arm mirrored through the origin; noise std 0.03
Dataset spiral(int n, Rng& rng) {
  Dataset ds;
  ds.points.resize(2, n);
  for (int i = 0; i < n; ++i) {
    const double s = 3.0 * kPi * std::sqrt(rng.uniform());
    const double sign = rng.uniform() < 0.5 ? 1.0 : -1.0;
    ds.points(0, i) = sign * (-s * std::cos(s)) / (3.0 * kPi) + 0.03 * rng.normal();
    ds.points(1, i) = sign * (s * std::sin(s)) / (3.0 * kPi) + 0.03 * rng.normal();
  }
  return ds;
}

// curved Gaussian: x ~ N(0, 0.4^2), y = x^2 - 0.4 + N(0, 0.1^2)
Dataset banana(int n, Rng& rng) {
  Dataset ds;
  ds.points.resize(2, n);
  for (int i = 0; i < n; ++i) {
    const double x = 0.4 * rng.normal();
    ds.points(0, i) = x;
    ds.points(1, i) = x * x - 0.4 + 0.1 * rng.normal();
  }
  return ds;
}

struct DatasetEntry {
  const char* name;
  const char* description;
  Dataset (*sample)(int, Rng&);
};

constexpr DatasetEntry kDatasets[] = {
    {"eight_gaussians", "8 Gaussian modes (std 0.05) on the unit circle, equal weights; mixture", eightGaussians},
    {"twenty_five_gaussians", "5x5 grid of Gaussian modes (std 0.05) at {-1,-0.5,0,0.5,1}^2, equal weights; mixture",
     twentyFiveGaussians},
    {"two_moons", "two interleaved half circles, noise std 0.05", twoMoons},
    {"checkerboard", "4x4 checkerboard on [-1,1]^2, 8 filled squares, noise std 0.05 (DM notebook)", checkerboard},
    {"swiss_roll", "2-D Swiss roll t in [pi/2, 9pi/2], scaled to max |coordinate| 1, noise std 0.03 (DM notebook)",
     swissRoll},
    {"rings", "three concentric circles of radius 1/3, 2/3, 1, noise std 0.03", rings},
    {"pinwheel", "5-arm pinwheel (radial std 0.3, tangential std 0.1, twist 0.25), scaled by 0.6", pinwheel},
    {"spiral", "two interleaved spiral arms (1.5 turns each), noise std 0.03", spiral},
    {"banana", "curved Gaussian: x ~ N(0, 0.4^2), y = x^2 - 0.4 + N(0, 0.1^2)", banana},
    {"unequal_bimodal", "2 Gaussian modes at (-0.8,0) weight 0.3 and (0.8,0) weight 0.7, std 0.2; mixture",
     unequalBimodal},
    {"equal_bimodal", "2 Gaussian modes at (-0.8,0) and (0.8,0), weights 0.5 / 0.5, std 0.2; mixture",
     equalBimodal},
};

// the datasets outside the plane, not in the 2-D catalog: the 64-D digits read from a file, and the
// 3-D points on S^2 meant for geometry=sphere (THEORY.md §10.5; in the plane they are 3-D points
// like a CSV's, so no geometry is refused)
constexpr DatasetEntry kRealDatasets[] = {
    {"digits",
     "1797 8x8 handwritten digits (scikit-learn), 64-D pixels / 16 in [0,1]; 10 class-mean modes weighted by "
     "class frequency; M < 1797 a seeded subsample, M > 1797 adds repeats; needs python3-sklearn",
     digits_data::plain},
    {"digits_sphere",
     "the digits minus the mean image, each scaled to unit length (points on S^63); 10 class-mean directions as "
     "modes; M < 1797 a seeded subsample, M > 1797 adds repeats; needs python3-sklearn",
     digits_data::sphere},
    {"sphere_vmf_caps",
     "S^2 (use geometry=sphere): 6 von Mises-Fisher caps (kappa 50) at +-e1, +-e2, +-e3, equal weights; mixture",
     sphere_data::vmfCaps},
    {"sphere_unequal_caps",
     "S^2 (use geometry=sphere): 3 vMF caps (kappa 50) on the equator 120 deg apart, weights 0.2 / 0.3 / 0.5; "
     "mixture",
     sphere_data::unequalCaps},
    {"sphere_antipodal_caps", "S^2 (use geometry=sphere): 2 vMF caps (kappa 50) at +-e3, weights 0.5 / 0.5; mixture",
     sphere_data::antipodalCaps},
    {"sphere_band", "S^2 (use geometry=sphere): band around the equator, latitude std 0.1 rad", sphere_data::band},
    {"sphere_spiral",
     "S^2 (use geometry=sphere): spiral of 3 turns from polar angle 0.1 pi to 0.9 pi, tangent noise std 0.03 rad",
     sphere_data::spiral},
};

// the entry called name in either table, nullptr if none
const DatasetEntry* findDataset(std::string_view name) {
  for (const auto& e : kDatasets)
    if (name == e.name) return &e;
  for (const auto& e : kRealDatasets)
    if (name == e.name) return &e;
  return nullptr;
}

std::string knownNames() {
  std::string s;
  for (const auto& e : kDatasets) {
    if (!s.empty()) s += ", ";
    s += e.name;
  }
  for (const auto& e : kRealDatasets) s += std::string(", ") + e.name;
  return s;
}

}  // namespace

Dataset sampleDataset(std::string_view name, int n, std::uint64_t seed) {
  if (const DatasetEntry* found = findDataset(name)) {
    const DatasetEntry& e = *found;
    if (n < 1 || n > kMaxPoints) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "dataset %s: sample count must be between 1 and %lld (got %d)", e.name,
                    kMaxPoints, n);
      detail::throwInvalidArgument(buf);
    }
    Rng rng(seeded::mixSeed(seed, nameSalt(e.name)));
    return e.sample(n, rng);
  }
  detail::throwInvalidArgument("dataset: unknown name '" + std::string(name) + "' (known: " + knownNames() + ")");
}

std::vector<NamedDescription> datasetCatalog() {
  std::vector<NamedDescription> out;
  for (const auto& e : kDatasets) out.push_back({e.name, e.description});
  return out;
}

std::vector<NamedDescription> realDatasetCatalog() {
  std::vector<NamedDescription> out;
  for (const auto& e : kRealDatasets) out.push_back({e.name, e.description});
  return out;
}

bool isDatasetName(std::string_view name) { return findDataset(name) != nullptr; }

}  // namespace driftlab
