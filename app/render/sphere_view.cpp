#include "render/sphere_view.hpp"

#include <algorithm>
#include <cmath>

#include "render/colormap.hpp"

namespace driftlab::app::render {

namespace {

constexpr int kMaxTrailParticles = 1500;  // per-frame CPU projection of rows x particles vertices
constexpr int kMaxArrows = 5000;
constexpr float kArrowLength = 0.16f;     // world length of an arrow at |v| >= p90 (sphere radius 1)
constexpr float kNormalizedLength = 0.09f;

void copyColumns(const PointsF& m, std::vector<float>& out) {
  out.clear();
  if (m.rows() != 3) return;
  out.resize(static_cast<std::size_t>(m.cols()) * 3);
  for (Eigen::Index i = 0; i < m.cols(); ++i)
    for (int k = 0; k < 3; ++k) out[3 * static_cast<std::size_t>(i) + k] = m(k, i);
}

// the snapshot's quiver field on S^2 (core's computeSphereGridFields: 3 components per node over
// the longitude x latitude rectangle); a latitude row keeps every k-th node, k ~ 1 / cos(latitude),
// so the arrows are about as far apart near the poles as at the equator
void thinnedQuiver(const GridField& g, std::vector<float>& nodes, std::vector<float>& vectors) {
  nodes.clear();
  vectors.clear();
  if (g.components != 3 || g.nx < 1 || g.ny < 1 || g.values.size() != 3u * g.nx * g.ny) return;
  const float dlon = (g.x1 - g.x0) / static_cast<float>(g.nx), dlat = (g.y1 - g.y0) / static_cast<float>(g.ny);
  for (int iy = 0; iy < g.ny; ++iy) {
    const float lat = g.y0 + (static_cast<float>(iy) + 0.5f) * dlat;
    const int keep = std::max(1, static_cast<int>(std::lround(1.f / std::max(std::cos(lat), 1e-3f))));
    for (int ix = 0; ix < g.nx; ix += keep) {
      const float lon = g.x0 + (static_cast<float>(ix) + 0.5f) * dlon;
      nodes.insert(nodes.end(), {std::cos(lat) * std::cos(lon), std::cos(lat) * std::sin(lon), std::sin(lat)});
      const float* v = g.values.data() + 3 * (static_cast<std::size_t>(iy) * g.nx + ix);
      vectors.insert(vectors.end(), {v[0], v[1], v[2]});
    }
  }
}

// on the hemisphere that faces the camera: p . (eye - p) > 0 (tangent-plane test, |p| ~ 1)
bool facing(const float* p, Vec3f e) {
  return p[0] * (e.x - p[0]) + p[1] * (e.y - p[1]) + p[2] * (e.z - p[2]) > 0;
}

}  // namespace

// the camera's matrix, computed once per frame (OrbitCamera::toScreen builds it per call)
SphereView::Projector::Projector(const OrbitCamera& cam)
    : m(cam.viewProjection()), w(cam.viewportWidth()), h(cam.viewportHeight()) {}

// screen pixel of a world point as a point of the pixel-space camera (y up: h - screen y)
bool SphereView::Projector::operator()(const float* p, float& x, float& y) const {
  const float cx = m[0] * p[0] + m[4] * p[1] + m[8] * p[2] + m[12];
  const float cy = m[1] * p[0] + m[5] * p[1] + m[9] * p[2] + m[13];
  const float cw = m[3] * p[0] + m[7] * p[1] + m[11] * p[2] + m[15];
  if (!(cw > 1e-6f)) return false;
  x = (cx / cw + 1.f) * 0.5f * w;
  y = (cy / cw + 1.f) * 0.5f * h;
  return std::isfinite(x) && std::isfinite(y);
}

void SphereView::adopt(const Snapshot& s, const ViewOptions& view, int trail_stride, bool restart) {
  copyColumns(s.particles, particles_);
  copyColumns(s.velocities, velocities_);
  copyColumns(s.data, data_);
  thinnedQuiver(s.velocity, quiver_nodes_, quiver_vectors_);
  // the picked particle's path grows by one point per adopted snapshot
  if (restart) picked_path_.clear();
  followPicked(view, true);
  if (view.show_trails) pushTrail(std::max(trail_stride, 1), std::max(view.trail_length, 2), restart);
}

void SphereView::pushTrail(int stride, int rows, bool restart) {
  const int n = static_cast<int>(particles_.size() / 3);
  const int tn = (n + stride - 1) / stride;
  if (restart || tn != trail_n_ || rows != rows_) {
    trail_n_ = tn;
    rows_ = rows;
    filled_ = 0;
    newest_ = -1;
    ring_.assign(static_cast<std::size_t>(tn) * static_cast<std::size_t>(rows) * 3, 0.f);
  }
  if (tn == 0) return;
  newest_ = (newest_ + 1) % rows_;
  filled_ = std::min(filled_ + 1, rows_);
  float* row = ring_.data() + static_cast<std::size_t>(newest_) * static_cast<std::size_t>(tn) * 3;
  for (int j = 0; j < tn; ++j)
    for (int k = 0; k < 3; ++k) row[3 * j + k] = particles_[3 * static_cast<std::size_t>(j) * stride + k];
}

void SphereView::drawTrails(const OrbitCamera& cam, const Projector& toPixel, const Camera& pix, const ViewOptions& view,
                            const SphereColors& colors, bool back) {
  const int rows = std::min(filled_, view.trail_length);
  if (!view.show_trails || rows < 2 || static_cast<int>(colors.trails.size()) < trail_n_) return;
  const Vec3f e = cam.eye();
  const int skip = std::max(1, (trail_n_ + kMaxTrailParticles - 1) / kMaxTrailParticles);
  line_vertices_.clear();
  for (int j = 0; j < trail_n_; j += skip) {
    for (int k = 0; k + 1 < rows; ++k) {  // k = 0: the oldest shown segment
      const int ra = (newest_ - (rows - 1 - k) + 2 * rows_) % rows_, rb = (ra + 1) % rows_;
      const float* a = ring_.data() + (static_cast<std::size_t>(ra) * trail_n_ + j) * 3;
      const float* b = ring_.data() + (static_cast<std::size_t>(rb) * trail_n_ + j) * 3;
      if (facing(b, e) == back) continue;
      LineVertex va{}, vb{};
      if (!toPixel(a, va.x, va.y) || !toPixel(b, vb.x, vb.y)) continue;
      const float age = static_cast<float>(rows - 2 - k) / static_cast<float>(std::max(rows - 2, 1));
      Rgba8 c = colors.trails[static_cast<std::size_t>(j)];
      c.a = static_cast<std::uint8_t>(std::lround(c.a * (1.f - age) * (1.f - age)));
      va.color = vb.color = c;
      line_vertices_.push_back(va);
      line_vertices_.push_back(vb);
    }
  }
  lines_.draw(pix, line_vertices_, false);
}

void SphereView::followPicked(const ViewOptions& view, bool grow) {
  const bool new_pick = view.picked_particle != picked_;
  if (new_pick) picked_path_.clear();
  picked_ = view.picked_particle;
  if ((grow || new_pick) && picked_ >= 0 && 3 * static_cast<std::size_t>(picked_) + 2 < particles_.size()) {
    const float* p = particles_.data() + 3 * static_cast<std::size_t>(picked_);
    picked_path_.insert(picked_path_.end(), {p[0], p[1], p[2]});
  }
}

// the path in the 2-D view's path colour, the hemisphere `back` or the front one; on the front
// pass also a ring around the particle
void SphereView::drawPicked(const OrbitCamera& cam, const Projector& toPixel, const Camera& pix, bool back) {
  picked_vertices_.clear();
  const Vec3f e = cam.eye();
  const Rgba8 colour{255, 255, 120, static_cast<std::uint8_t>(back ? 110 : 230)};
  for (std::size_t i = 3; i + 2 < picked_path_.size(); i += 3) {
    const float* a = picked_path_.data() + i - 3;
    const float* b = picked_path_.data() + i;
    if (facing(b, e) == back) continue;
    LineVertex va{}, vb{};
    if (!toPixel(a, va.x, va.y) || !toPixel(b, vb.x, vb.y)) continue;
    va.color = vb.color = colour;
    picked_vertices_.push_back(va);
    picked_vertices_.push_back(vb);
  }
  if (picked_ >= 0 && 3 * static_cast<std::size_t>(picked_) + 2 < particles_.size()) {
    const float* p = particles_.data() + 3 * static_cast<std::size_t>(picked_);
    float cx = 0, cy = 0;
    if (facing(p, e) != back && toPixel(p, cx, cy)) {
      constexpr int kSides = 24;
      for (int k = 0; k < kSides; ++k) {
        const float a0 = 6.2831853f * k / kSides, a1 = 6.2831853f * (k + 1) / kSides;
        picked_vertices_.push_back({cx + 8.f * std::cos(a0), cy + 8.f * std::sin(a0), colour});
        picked_vertices_.push_back({cx + 8.f * std::cos(a1), cy + 8.f * std::sin(a1), colour});
      }
    }
  }
  picked_lines_.draw(pix, picked_vertices_, false);
}

void SphereView::buildArrows(const OrbitCamera& cam, const Projector& toPixel, const ViewOptions& view) {
  arrow_back_.clear();
  arrow_front_.clear();
  if (view.show_quiver) appendArrows(quiver_nodes_, quiver_vectors_, cam, toPixel, view, 0.75f);
  if (view.show_particle_arrows && velocities_.size() == particles_.size())
    appendArrows(particles_, velocities_, cam, toPixel, view, 0.95f);
}

void SphereView::appendArrows(const std::vector<float>& base, const std::vector<float>& vec, const OrbitCamera& cam,
                              const Projector& toPixel, const ViewOptions& view, float front_alpha) {
  const int n = static_cast<int>(base.size() / 3);
  if (n == 0 || vec.size() != base.size()) return;
  std::vector<float> mags(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) mags[i] = std::hypot(vec[3 * i], vec[3 * i + 1], vec[3 * i + 2]);
  // the 2-D view's Proportional reference: length and colour ~ |v| / p90, clipped at p90
  std::vector<float> finite;
  for (float m : mags)
    if (std::isfinite(m)) finite.push_back(m);
  float p90 = 0;
  if (!finite.empty()) {
    auto k = static_cast<std::size_t>(0.9f * static_cast<float>(finite.size() - 1));
    std::nth_element(finite.begin(), finite.begin() + static_cast<long>(k), finite.end());
    p90 = finite[k];
  }
  const Vec3f e = cam.eye();
  const int stride = std::max(1, (n + kMaxArrows - 1) / kMaxArrows);
  for (int i = 0; i < n; i += stride) {
    const float m = mags[i];
    if (!std::isfinite(m) || m <= 0) continue;
    const float r = p90 > 0 ? std::min(m / p90, 1.f) : 1.f;
    const float len = view.arrow_mode == ArrowMode::Normalized ? kNormalizedLength : kArrowLength * r;
    const float* p = base.data() + 3 * static_cast<std::size_t>(i);
    const float* v = vec.data() + 3 * static_cast<std::size_t>(i);
    const float tip[3] = {p[0] + v[0] / m * len, p[1] + v[1] / m * len, p[2] + v[2] / m * len};
    float bx = 0, by = 0, tx = 0, ty = 0;
    if (!toPixel(p, bx, by) || !toPixel(tip, tx, ty)) continue;
    const bool front = facing(p, e);
    ArrowInstance a{bx, by, tx - bx, ty - by,
                    toRgba8(sampleColorMap(ColorMap::Viridis, 0.25f + 0.7f * r), front ? front_alpha : 0.5f)};
    (front ? arrow_front_ : arrow_back_).push_back(a);
  }
}

void SphereView::draw(const OrbitCamera& cam, const ViewOptions& view, float dpi_scale, const SphereColors& colors,
                      const SphereHeat& heat) {
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_DEPTH_TEST);
  // the 2-D layers draw in a camera whose world units are the screen's logical pixels (y up)
  const float w = cam.viewportWidth(), h = cam.viewportHeight();
  Camera pix;
  pix.setViewport(w, h);
  pix.fit(0, 0, w, h, 0.f);
  const Vec3f e = cam.eye();
  const Projector toPixel(cam);
  // split a point set into the hemispheres and upload each half to its layer
  auto split = [&](const std::vector<float>& pts, int stride, const std::vector<Rgba8>& cols, PointLayer& back,
                   PointLayer& front) {
    xy_back_.clear();
    xy_front_.clear();
    col_back_.clear();
    col_front_.clear();
    const std::size_t n = pts.size() / 3;
    stride = std::max(stride, 1);
    for (std::size_t j = 0; j < cols.size() && j * stride < n; ++j) {
      const float* p = pts.data() + 3 * j * stride;
      float x = 0, y = 0;
      if (!toPixel(p, x, y)) continue;
      const bool f = facing(p, e);
      (f ? xy_front_ : xy_back_).insert((f ? xy_front_ : xy_back_).end(), {x, y});
      Rgba8 c = cols[j];
      if (!f) c.a = static_cast<std::uint8_t>(c.a * 0.8f);
      (f ? col_front_ : col_back_).push_back(c);
    }
    back.upload(xy_back_.data(), col_back_.data(), static_cast<int>(col_back_.size()));
    front.upload(xy_front_.data(), col_front_.data(), static_cast<int>(col_front_.size()));
  };
  if (view.show_data) split(data_, colors.data_stride, colors.data, data_back_, data_front_);
  if (view.show_particles) split(particles_, colors.particle_stride, colors.particles, particles_back_, particles_front_);
  buildArrows(cam, toPixel, view);

  // back hemisphere, then the translucent sphere over it, then the front hemisphere
  drawTrails(cam, toPixel, pix, view, colors, true);
  if (view.show_data) data_back_.draw(pix, view.data_size, dpi_scale, PointLayer::Square);
  if (view.show_particles) particles_back_.draw(pix, view.particle_size, dpi_scale, PointLayer::Disc);
  arrows_back_.draw(pix, arrow_back_, 0.9f, 5.5f, dpi_scale);
  drawPicked(cam, toPixel, pix, true);
  sphere_.draw(cam, dpi_scale, view.show_grid, heat);
  drawTrails(cam, toPixel, pix, view, colors, false);
  if (view.show_data) data_front_.draw(pix, view.data_size, dpi_scale, PointLayer::Square);
  if (view.show_particles) particles_front_.draw(pix, view.particle_size, dpi_scale, PointLayer::Disc);
  arrows_front_.draw(pix, arrow_front_, 0.9f, 5.5f, dpi_scale);
  drawPicked(cam, toPixel, pix, false);
}

std::string SphereView::error() const {
  for (const LayerBase* l : {static_cast<const LayerBase*>(&sphere_), static_cast<const LayerBase*>(&data_back_),
                             static_cast<const LayerBase*>(&particles_back_), static_cast<const LayerBase*>(&arrows_back_),
                             static_cast<const LayerBase*>(&lines_), static_cast<const LayerBase*>(&picked_lines_)})
    if (!l->error().empty()) return l->error();
  return {};
}

}  // namespace driftlab::app::render
