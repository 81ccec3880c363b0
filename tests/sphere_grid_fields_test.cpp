// The heat-map fields of a flow on S^2 (run/field_grids.hpp, computeSphereGridFields): a
// longitude x latitude grid whose log densities are normalized over the sphere (they integrate
// to 1 over it, THEORY.md §10.6) and whose speed is the tangent velocity the particles feel.
#include <doctest/doctest.h>

#include <cmath>

#include "driftlab/field/velocity.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/run/flow_worker.hpp"
#include "run/field_grids.hpp"
#include "worker_wait.hpp"

using namespace driftlab;

namespace {

// integral over S^2 of exp(values) on the lon x lat grid: cell area cos(lat) dlon dlat
double sphereIntegral(const GridField& g) {
  const double dlon = (double(g.x1) - g.x0) / g.nx, dlat = (double(g.y1) - g.y0) / g.ny;
  double total = 0.0;
  for (int iy = 0; iy < g.ny; ++iy) {
    const double lat = g.y0 + (iy + 0.5) * dlat;
    for (int ix = 0; ix < g.nx; ++ix) total += std::exp(double(g.values[std::size_t(iy * g.nx + ix)])) * std::cos(lat);
  }
  return total * dlon * dlat;
}

}  // namespace

TEST_CASE("sphere grid fields: sphere-normalized log densities and the tangent speed on a lon x lat grid") {
  const Points data = sampleDataset("sphere_vmf_caps", 600, 3).points;
  const Points particles = sampleDataset("sphere_antipodal_caps", 400, 4).points;
  detail::GridView view;
  view.density_n = 128;
  for (const KernelKind kind : {KernelKind::Gaussian, KernelKind::Cauchy}) {
    CAPTURE(std::string(kernelName(kind)));
    VelocityOptions opt;
    opt.kernel.kind = kind;
    opt.kernel.h = 0.35;
    opt.weights = DivergenceWeights::single(Divergence::ReverseKL);
    const detail::GridFields f = detail::computeSphereGridFields(particles, data, opt, view);
    REQUIRE(f.log_p.nx == 128);
    REQUIRE(f.log_p.ny == 64);
    CHECK(f.log_p.x0 == doctest::Approx(-M_PI));
    CHECK(f.log_p.y1 == doctest::Approx(M_PI / 2));
    REQUIRE(f.log_q.values.size() == 128u * 64u);
    REQUIRE(f.speed.values.size() == 128u * 64u);
    // normalized over the sphere, also the Cauchy kernel, which has no normalizer in R^3
    CHECK(sphereIntegral(f.log_p) == doctest::Approx(1.0).epsilon(0.01));
    CHECK(sphereIntegral(f.log_q) == doctest::Approx(1.0).epsilon(0.01));
    // node (ix, iy) = (37, 50): the tangent part of the field there
    const double lon = -M_PI + (37 + 0.5) * 2 * M_PI / 128, lat = -M_PI / 2 + (50 + 0.5) * M_PI / 64;
    Points node(3, 1);
    node << std::cos(lat) * std::cos(lon), std::cos(lat) * std::sin(lon), std::sin(lat);
    const Vec v = evaluateField(node, {}, particles, data, opt).v.col(0);
    const Vec tangent = v - v.dot(node.col(0)) * node.col(0);
    CHECK(tangent.norm() > 0.0);
    CHECK(f.speed.values[50 * 128 + 37] == doctest::Approx(tangent.norm()).epsilon(1e-5));
    // the quiver grid: quiver_n x quiver_n / 2 tangent vectors, 3 components each
    REQUIRE(f.velocity.components == 3);
    REQUIRE(f.velocity.nx == view.quiver_n);
    REQUIRE(f.velocity.ny == view.quiver_n / 2);
    REQUIRE(f.velocity.values.size() == 3u * view.quiver_n * (view.quiver_n / 2));
    double worst_dot = 0.0;
    for (int iy = 0; iy < f.velocity.ny; ++iy) {
      const double la = -M_PI / 2 + (iy + 0.5) * M_PI / f.velocity.ny;
      for (int ix = 0; ix < f.velocity.nx; ++ix) {
        const double lo = -M_PI + (ix + 0.5) * 2 * M_PI / f.velocity.nx;
        const float* q = f.velocity.values.data() + 3 * (iy * f.velocity.nx + ix);
        const double dot = q[0] * std::cos(la) * std::cos(lo) + q[1] * std::cos(la) * std::sin(lo) + q[2] * std::sin(la);
        worst_dot = std::max(worst_dot, std::abs(dot) / std::max(1.0, double(std::hypot(q[0], q[1], q[2]))));
      }
    }
    CHECK(worst_dot < 1e-5);  // tangent (float storage)
  }
  // points off S^2 have no such fields
  CHECK(detail::computeSphereGridFields(Points::Zero(2, 3), Points::Zero(2, 3), VelocityOptions{}, view).log_p.empty());
}

TEST_CASE("sphere grid fields: a running flow on S^2 publishes them with its active terms") {
  FlowParams p = presetScenario("sphere_caps_from_collapsed").params;
  p.particles = 200;
  p.samples = 300;
  FlowWorker w(p);
  auto s = driftlab::testing::waitFor(w, [](const Snapshot& x) { return !x.log_p.empty() && !x.velocity.empty(); });
  REQUIRE(s);
  CHECK(s->velocity.components == 3);
  CHECK(s->log_p.nx == 2 * s->log_p.ny);
  // the quiver of the sphere has no breakdown: the terms come from the weights, as before
  std::vector<Divergence> active;
  for (int d = 0; d < kNumDivergences; ++d)
    if (p.weights.w[static_cast<std::size_t>(d)] > 0.0) active.push_back(static_cast<Divergence>(d));
  CHECK(s->terms == active);
  CHECK(!active.empty());
}
