// Grid fields for the FlowWorker's snapshots: velocity (with attraction / repulsion / per-term
// breakdown) on the quiver grid, log p_hat / log q_hat / |v| on the density grid. The values are
// the same plug-in (or exact smoothed) field the particles feel, evaluated at grid nodes that are
// not particles (no self-exclusion). Any thread (pure).
#include "run/field_grids.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/field/bridge_paths.hpp"
#include "driftlab/flow/geometry.hpp"

namespace driftlab::detail {

namespace {

GridField makeGrid(const GridView& view, int nx, int ny, int components) {
  GridField g;
  g.x0 = view.x0;
  g.y0 = view.y0;
  g.x1 = view.x1;
  g.y1 = view.y1;
  g.nx = nx;
  g.ny = ny;
  g.components = components;
  return g;
}

// a d x E matrix as a d-component grid of nx x ny nodes (d values per node, in node order); empty
// if the field was not computed
GridField vectorGrid(const GridView& view, int nx, int ny, const Points& v) {
  if (v.rows() < 1 || v.cols() != static_cast<Eigen::Index>(nx) * ny) return GridField{};
  GridField g = makeGrid(view, nx, ny, static_cast<int>(v.rows()));
  g.values.assign(v.data(), v.data() + v.size());  // column-major: a node's components are adjacent
  return g;
}

// one value per node; empty if the values were not computed
GridField scalarGrid(const GridView& view, int nx, int ny, const Vec& s) {
  if (s.size() != static_cast<Eigen::Index>(nx) * ny) return GridField{};
  GridField g = makeGrid(view, nx, ny, 1);
  g.values.assign(s.data(), s.data() + s.size());
  return g;
}

}  // namespace

GridView paddedDataView(const Points& data, const GridView& resolution) {
  GridView v = resolution;
  if (data.rows() < 2 || data.cols() == 0) return v;
  const double x_lo = data.row(0).minCoeff(), x_hi = data.row(0).maxCoeff();
  const double y_lo = data.row(1).minCoeff(), y_hi = data.row(1).maxCoeff();
  const double w = x_hi > x_lo ? x_hi - x_lo : 1.0;
  const double h = y_hi > y_lo ? y_hi - y_lo : 1.0;
  const double cx = 0.5 * (x_lo + x_hi), cy = 0.5 * (y_lo + y_hi);
  // half extent grows by 25% of the full extent on each side: (w/2 + w/4)
  v.x0 = static_cast<float>(cx - 0.75 * w);
  v.x1 = static_cast<float>(cx + 0.75 * w);
  v.y0 = static_cast<float>(cy - 0.75 * h);
  v.y1 = static_cast<float>(cy + 0.75 * h);
  return v;
}

void validateGridView(const GridView& view) {
  const bool finite = std::isfinite(view.x0) && std::isfinite(view.y0) && std::isfinite(view.x1) &&
                      std::isfinite(view.y1);
  DRIFTLAB_CHECK(finite && view.x0 < view.x1 && view.y0 < view.y1,
                 "view: rectangle must be finite with x0 < x1 and y0 < y1 (got [" + std::to_string(view.x0) + ", " +
                     std::to_string(view.x1) + "] x [" + std::to_string(view.y0) + ", " + std::to_string(view.y1) +
                     "])");
  DRIFTLAB_CHECK(view.quiver_n >= 2 && view.quiver_n <= 256,
                 "view: quiver_n must be in [2, 256] (got " + std::to_string(view.quiver_n) + ")");
  DRIFTLAB_CHECK(view.density_n >= 2 && view.density_n <= 512,
                 "view: density_n must be in [2, 512] (got " + std::to_string(view.density_n) + ")");
}

Points gridNodes(const GridView& view, int nx, int ny) {
  Points nodes(2, static_cast<Eigen::Index>(nx) * ny);
  const double dx = (static_cast<double>(view.x1) - view.x0) / nx;
  const double dy = (static_cast<double>(view.y1) - view.y0) / ny;
  for (int iy = 0; iy < ny; ++iy) {
    for (int ix = 0; ix < nx; ++ix) {
      const Eigen::Index e = static_cast<Eigen::Index>(iy) * nx + ix;
      nodes(0, e) = view.x0 + (ix + 0.5) * dx;
      nodes(1, e) = view.y0 + (iy + 0.5) * dy;
    }
  }
  return nodes;
}

GridFields computeGridFields(const Points& particles, const Points& data, const VelocityOptions& opt,
                             const GridView& view) {
  GridFields out;
  if (particles.rows() != 2 || data.rows() != 2) return out;
  // multi-scale: each scale is normalized by its RMS over the particles (THEORY.md §3.6); compute once
  std::vector<double> norms;
  if (!opt.extra_bandwidths.empty()) norms = multiScaleNorms(particles, data, opt);

  // quiver grid: velocity and its breakdown
  {
    FieldRequest req;
    req.breakdown = true;
    const Points nodes = gridNodes(view, view.quiver_n, view.quiver_n);
    const FieldResult f = evaluateField(nodes, {}, particles, data, opt, req, norms);
    const int n = view.quiver_n;
    out.velocity = vectorGrid(view, n, n, f.v);
    out.attraction = vectorGrid(view, n, n, f.attraction);
    out.repulsion = vectorGrid(view, n, n, f.repulsion);
    out.terms = f.terms;
    for (const Points& t : f.per_term) out.per_term.push_back(vectorGrid(view, n, n, t));
    if (out.per_term.size() != out.terms.size()) out.per_term.clear();
  }

  // density grid: log densities and speed
  {
    FieldRequest req;
    req.densities = true;
    const Points nodes = gridNodes(view, view.density_n, view.density_n);
    const FieldResult f = evaluateField(nodes, {}, particles, data, opt, req, norms);
    const int n = view.density_n;
    out.log_p = scalarGrid(view, n, n, f.log_p);
    out.log_q = scalarGrid(view, n, n, f.log_q);
    if (f.v.cols() == nodes.cols()) out.speed = scalarGrid(view, n, n, f.v.colwise().norm().transpose());
  }
  return out;
}

GridField quiverGridOf(const GridView& view, const std::function<Points(const Points&)>& drift) {
  const int n = view.quiver_n;
  return vectorGrid(view, n, n, drift(gridNodes(view, n, n)));
}

GridFields computeDfmGridFields(const Points& particles, const Points& data, const VelocityOptions& opt,
                                const GridView& view, const std::function<Points(const Points&)>& drift,
                                const DfmBridge& bridge, double t) {
  GridFields out;
  if (particles.rows() != 2 || data.rows() != 2) return out;
  out.velocity = quiverGridOf(view, drift);
  const int n = view.density_n;
  const Points nodes = gridNodes(view, n, n);
  out.log_p = scalarGrid(view, n, n, bridgeMarginalLogDensity(nodes, data, bridge, t));
  FieldRequest req;
  req.densities = true;
  const FieldResult f = evaluateField(nodes, {}, particles, data, opt, req, {});
  out.log_q = scalarGrid(view, n, n, f.log_q);
  out.speed = scalarGrid(view, n, n, drift(nodes).colwise().norm().transpose());
  return out;
}

GridFields computeSphereGridFields(const Points& particles, const Points& data, const VelocityOptions& opt,
                                   const GridView& view) {
  GridFields out;
  if (particles.rows() != 3 || data.rows() != 3) return out;
  constexpr double kPi = 3.14159265358979323846;
  GridView lon_lat;
  lon_lat.x0 = static_cast<float>(-kPi);
  lon_lat.x1 = static_cast<float>(kPi);
  lon_lat.y0 = static_cast<float>(-kPi / 2);
  lon_lat.y1 = static_cast<float>(kPi / 2);
  const auto sphereNodes = [&](int nx, int ny) {
    const Points angles = gridNodes(lon_lat, nx, ny);
    Points nodes(3, angles.cols());
    for (Eigen::Index e = 0; e < angles.cols(); ++e) {
      const double lon = angles(0, e), lat = angles(1, e);
      nodes.col(e) << std::cos(lat) * std::cos(lon), std::cos(lat) * std::sin(lon), std::sin(lat);
    }
    return nodes;
  };
  // the tangent part of a field, as the particles feel it (THEORY.md §10.2)
  const std::unique_ptr<Geometry> sphere = makeGeometry(GeometryKind::Sphere);
  const auto tangent = [&](const Points& nodes, Points v) {
    if (v.cols() == nodes.cols()) sphere->projectTangent(nodes, v);
    return v;
  };
  std::vector<double> norms;
  if (!opt.extra_bandwidths.empty()) norms = multiScaleNorms(particles, data, opt);

  // quiver grid: the tangent velocity
  {
    const int nx = view.quiver_n, ny = std::max(2, view.quiver_n / 2);
    const Points nodes = sphereNodes(nx, ny);
    const FieldResult f = evaluateField(nodes, {}, particles, data, opt, {}, norms);
    out.velocity = vectorGrid(lon_lat, nx, ny, tangent(nodes, f.v));
  }

  // density grid
  const int nx = view.density_n, ny = std::max(2, view.density_n / 2);
  const Points nodes = sphereNodes(nx, ny);
  FieldRequest req;
  req.densities = true;
  req.sphere_densities = true;
  const FieldResult f = evaluateField(nodes, {}, particles, data, opt, req, norms);
  out.log_p = scalarGrid(lon_lat, nx, ny, f.log_p);
  out.log_q = scalarGrid(lon_lat, nx, ny, f.log_q);
  if (f.v.cols() == nodes.cols()) out.speed = scalarGrid(lon_lat, nx, ny, tangent(nodes, f.v).colwise().norm().transpose());
  return out;
}

GridView gridViewFrom(const cmd::SetView& c) {
  GridView v;
  v.x0 = c.x0;
  v.y0 = c.y0;
  v.x1 = c.x1;
  v.y1 = c.y1;
  v.quiver_n = c.quiver_n;
  v.density_n = c.density_n;
  validateGridView(v);
  return v;
}

void putGridFields(Snapshot& s, const GridFields& fields, const DivergenceWeights& weights) {
  s.velocity = fields.velocity;
  s.attraction = fields.attraction;
  s.repulsion = fields.repulsion;
  s.per_term = fields.per_term;
  // the terms come with the 2-D quiver's breakdown; the sphere's quiver has none
  if (!fields.terms.empty()) {
    s.terms = fields.terms;
  } else {
    for (int d = 0; d < kNumDivergences; ++d)
      if (weights.w[static_cast<std::size_t>(d)] > 0.0) s.terms.push_back(static_cast<Divergence>(d));
  }
  s.log_p = fields.log_p;
  s.log_q = fields.log_q;
  s.speed = fields.speed;
}

}  // namespace driftlab::detail
