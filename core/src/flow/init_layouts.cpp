// Initial particle layouts (law q at t = 0). THEORY.md §9.2: DM's figure shows "middle",
// "far-away" and "collapsed" starts but publishes no settings, so far and collapsed are our
// choices (THEORY.md §14). Any thread: every call owns its own random generator.
#include <cmath>
#include <cstdio>
#include <string>

#include "driftlab/flow/datasets.hpp"
#include "driftlab/base/error.hpp"
#include "base/rng.hpp"
#include "flow/sphere_layouts.hpp"

namespace driftlab {
namespace {

using seeded::Rng;

struct LayoutEntry {
  const char* name;
  const char* description;
  std::uint64_t salt;  // distinct random stream per layout
};

constexpr LayoutEntry kLayouts[] = {
    {"gaussian", "N(0, 0.5^2 I) around the origin (DM's 'middle' start)", 0x47617573ULL},
    {"far", "blob (std 0.1) centred at data mean + 2.5 * max(data std, 0.1) in every coordinate; "
            "our choice (THEORY.md §14: DM's settings unpublished)", 0x466172ULL},
    {"collapsed", "all particles within 1e-3 of data mean + 0.05 in every coordinate; "
                  "our choice (THEORY.md §14: DM's settings unpublished)", 0x436f6cULL},
    {"uniform", "uniform in the box [-1.5, 1.5]^d", 0x556e69ULL},
    {"one_mode", "N((-0.8, 0, ...), 0.2^2 I): every particle on the left mode of the bimodal datasets",
     0x4f6e65ULL},
    {"split_90_10", "90 % of the particles on N((-0.8, 0, ...), 0.2^2 I), 10 % on N((0.8, 0, ...), 0.2^2 I): "
                    "the bimodal datasets' modes, filled 90/10", 0x393031ULL},
    // on the unit sphere S^{d-1}, d >= 3, for geometry=sphere (sphere_layouts.cpp, THEORY.md §10.5)
    {"sphere_collapsed_cap", "S^(d-1), d >= 3: all particles within 1e-3 rad of (1, 2, 3, 0, ...) / sqrt(14)",
     0x5343436170ULL},
    {"sphere_uniform", "S^(d-1), d >= 3: uniform on the unit sphere (normalized Gaussian vectors)", 0x5355556eULL},
    {"sphere_far_cap",
     "S^(d-1), d >= 3: a cap of radius 0.1 rad centred at the one of the 26 directions {-1,0,1}^3 (first three "
     "coordinates) farthest from its nearest data point",
     0x5346436170ULL},
};

// mean of the data and its RMS per-coordinate standard deviation (0 when there are no data)
void dataMoments(const Points& data, Vec& mean, double& std_dev) {
  mean = Vec::Zero(data.rows());
  std_dev = 0.0;
  if (data.cols() == 0) return;
  mean = data.rowwise().mean();
  const double ss = (data.colwise() - mean).squaredNorm();
  std_dev = std::sqrt(ss / static_cast<double>(data.cols() * data.rows()));
}

}  // namespace

Points initialParticles(std::string_view kind, int n, std::uint64_t seed, const Points& data) {
  const LayoutEntry* entry = nullptr;
  for (const auto& e : kLayouts) {
    if (kind == e.name) entry = &e;
  }
  if (entry == nullptr) {
    std::string known;
    for (const auto& e : kLayouts) known += (known.empty() ? "" : ", ") + std::string(e.name);
    detail::throwInvalidArgument("init: unknown layout '" + std::string(kind) + "' (known: " + known + ")");
  }
  if (n < 1 || n > kMaxPoints) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "init %s: particle count must be between 1 and %lld (got %d)", entry->name,
                  kMaxPoints, n);
    detail::throwInvalidArgument(buf);
  }
  const Eigen::Index d = data.rows();
  DRIFTLAB_CHECK(d >= 1, std::string("init ") + entry->name + ": data have dimension 0");
  DRIFTLAB_CHECK(data.allFinite(), std::string("init ") + entry->name + ": data contain non-finite values");

  Rng rng(seeded::mixSeed(seed, entry->salt));
  const std::string_view name = entry->name;
  if (sphere_layouts::isSphereLayout(name)) {
    if (d < 3) {
      detail::throwInvalidArgument(std::string("init ") + entry->name +
                                   ": a layout on the sphere needs data of at least 3 coordinates (got " +
                                   std::to_string(d) + ")");
    }
    return sphere_layouts::place(name, n, rng, data);
  }
  Points x(d, n);
  if (name == "gaussian") {
    for (int i = 0; i < n; ++i)
      for (Eigen::Index r = 0; r < d; ++r) x(r, i) = 0.5 * rng.normal();
  } else if (name == "one_mode" || name == "split_90_10") {
    // fixed positions, not relative to the data: the layouts fill the modes of equal_bimodal and
    // unequal_bimodal unevenly, to ask whether a flow moves mass between modes (THEORY.md §5.5)
    const int n_right = name == "one_mode" ? 0 : n / 10;
    for (int i = 0; i < n; ++i) {
      x(0, i) = (i < n - n_right ? -0.8 : 0.8) + 0.2 * rng.normal();
      for (Eigen::Index r = 1; r < d; ++r) x(r, i) = 0.2 * rng.normal();
    }
  } else if (name == "uniform") {
    for (int i = 0; i < n; ++i)
      for (Eigen::Index r = 0; r < d; ++r) x(r, i) = rng.uniform(-1.5, 1.5);
  } else {
    Vec mean;
    double std_dev = 0.0;
    dataMoments(data, mean, std_dev);
    if (name == "far") {
      const Vec centre = mean.array() + 2.5 * std::max(std_dev, 0.1);
      for (int i = 0; i < n; ++i)
        for (Eigen::Index r = 0; r < d; ++r) x(r, i) = centre(r) + 0.1 * rng.normal();
    } else {  // collapsed: uniform in the ball of radius 0.9e-3 (strictly inside 1e-3)
      const Vec centre = mean.array() + 0.05;
      constexpr double kRadius = 0.9e-3;
      Vec dir(d);
      for (int i = 0; i < n; ++i) {
        double norm = 0.0;
        do {
          for (Eigen::Index r = 0; r < d; ++r) dir(r) = rng.normal();
          norm = dir.norm();
        } while (norm == 0.0);
        const double radius = kRadius * std::pow(rng.uniform(), 1.0 / static_cast<double>(d));
        x.col(i) = centre + (radius / norm) * dir;
      }
    }
  }
  return x;
}

std::vector<NamedDescription> initCatalog() {
  std::vector<NamedDescription> out;
  for (const auto& e : kLayouts) out.push_back({e.name, e.description});
  return out;
}

bool isInitName(std::string_view name) {
  for (const auto& e : kLayouts) {
    if (name == e.name) return true;
  }
  return false;
}

}  // namespace driftlab
