#include "render/scene.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "driftlab/field/divergence.hpp"
#include "render/arrow_reference.hpp"
#include "render/sphere_mode.hpp"

namespace driftlab::app::render {

namespace {

constexpr int kMaxTrailParticles = 4000;

constexpr float kMaxCells = 2.5f;         // TrueLength arrows are clipped at this many grid cells  // trails of more particles are unreadable and cost GPU memory
const Rgba8 kDataColor = kDataPointColor;
const Rgb kTotalArrow{0.92f, 0.93f, 0.96f};
const Rgb kAttraction{0.35f, 0.75f, 1.0f};
const Rgb kRepulsion{1.0f, 0.55f, 0.25f};

// q-quantile of the finite, non-negative magnitudes (robust colour and length ranges)
float quantile(std::vector<float> v, float q) {
  v.erase(std::remove_if(v.begin(), v.end(), [](float x) { return !std::isfinite(x); }), v.end());
  if (v.empty()) return 0.f;
  auto k = static_cast<std::size_t>(q * static_cast<float>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

float niceStep(float raw) {
  if (!(raw > 0) || !std::isfinite(raw)) return 1.f;
  float p = std::pow(10.f, std::floor(std::log10(raw)));
  float f = raw / p;
  return (f < 1.5f ? 1.f : f < 3.5f ? 2.f : f < 7.5f ? 5.f : 10.f) * p;
}

void addCircle(std::vector<LineVertex>& out, Vec2f c, float r, Rgba8 col) {
  constexpr int kSegments = 64;
  for (int i = 0; i < kSegments; ++i) {
    float a0 = 6.2831853f * static_cast<float>(i) / kSegments, a1 = 6.2831853f * static_cast<float>(i + 1) / kSegments;
    out.push_back({c.x + r * std::cos(a0), c.y + r * std::sin(a0), col});
    out.push_back({c.x + r * std::cos(a1), c.y + r * std::sin(a1), col});
  }
}

}  // namespace

void Scene::sync(const Snapshot& s, const ViewOptions& view) {
  bool new_snapshot = !have_snapshot_ || s.snapshot_id != snapshot_id_;
  bool colors_changed = view.coloring != last_view_.coloring;
  bool heat_changed = view.heat_map != last_view_.heat_map || view.heat_range_locked != last_view_.heat_range_locked;
  bool trails_changed = view.trail_length != last_view_.trail_length || view.show_trails != last_view_.show_trails;
  bool plane_changed = view.projection != last_view_.projection || view.proj_a != last_view_.proj_a ||
                       view.proj_b != last_view_.proj_b || view.proj_seed != last_view_.proj_seed;
  if (!new_snapshot && !colors_changed && !heat_changed && !trails_changed && !plane_changed &&
      view.picked_particle == picked_) {
    last_view_ = view;
    return;
  }
  // d > 2: the map to the plane changes only with the data or the view's choice (THEORY.md §9.4)
  const bool map_changed = (new_snapshot || plane_changed) && projection_.update(s, view);
  const bool reprojected = map_changed && have_snapshot_;
  if (new_snapshot || reprojected) {
    int n_before = static_cast<int>(particles_.size() / 2);
    projection_.points(s.particles, particles_);
    projection_.vectors(s.velocities, velocities_);
    projection_.points(s.data, data_);
    int n = static_cast<int>(particles_.size() / 2);
    // speeds and nearest modes in the flow's own dimension: a projection shortens vectors and
    // brings far points together
    speed_.clear();
    if (s.velocities.cols() == s.particles.cols() && s.velocities.rows() == s.particles.rows())
      for (Eigen::Index i = 0; i < s.velocities.cols(); ++i) speed_.push_back(s.velocities.col(i).norm());
    nearest_mode_.clear();
    if (projection_.active() && s.mode_centres.cols() > 0 && s.mode_centres.rows() == s.particles.rows())
      for (Eigen::Index i = 0; i < s.particles.cols(); ++i) {
        Eigen::Index best = 0;
        (s.mode_centres.colwise() - s.particles.col(i)).colwise().squaredNorm().minCoeff(&best);
        nearest_mode_.push_back(static_cast<int>(best));
      }
    // a reset or new seed (the history's restart count moved) restarts start colours, the heat
    // map's locked range, trails and the picked path; a seek on the timeline (the step jumped back
    // without a restart) restarts the trails only; a changed particle count restarts the trails
    // and keeps the start colours of the particles that stay; a new projection restarts the trails
    // (their old points are in the old plane)
    const std::uint64_t restarts = s.history ? s.history->restarts : 0;
    bool new_run = !have_snapshot_ || restarts != last_restarts_ || (!s.history && s.step < last_step_);
    bool restarted = new_run || s.step < last_step_ || n != n_before || reprojected;
    last_restarts_ = restarts;
    if (new_run || reprojected || start_.size() != particles_.size()) {
      if (new_run || start_full_.cols() > s.particles.cols() || start_full_.rows() != s.particles.rows()) {
        start_full_ = s.particles;
      } else if (start_full_.cols() < s.particles.cols()) {  // particles were added: new ones start where they appear
        const Eigen::Index old = start_full_.cols();
        start_full_.conservativeResize(Eigen::NoChange, s.particles.cols());
        start_full_.rightCols(s.particles.cols() - old) = s.particles.rightCols(s.particles.cols() - old);
      }
      projection_.points(start_full_, start_);
      // hue centre and radius from the starting cloud (mean and 2 x RMS radius)
      double cx = 0, cy = 0;
      for (int i = 0; i < n; ++i) { cx += start_[2 * i]; cy += start_[2 * i + 1]; }
      cx /= std::max(n, 1); cy /= std::max(n, 1);
      double r2 = 0;
      for (int i = 0; i < n; ++i) r2 += std::pow(start_[2 * i] - cx, 2) + std::pow(start_[2 * i + 1] - cy, 2);
      start_cx_ = static_cast<float>(cx);
      start_cy_ = static_cast<float>(cy);
      start_radius_ = static_cast<float>(2 * std::sqrt(r2 / std::max(n, 1))) + 1e-6f;
    }
    velocity_ = s.velocity;
    dfm_overlay_ = DfmOverlay{};
    dfm_oracle_velocity_ = GridField{};
    if (s.dfm && s.particles.rows() == 2) {
      dfm_oracle_velocity_ = s.dfm->oracle_velocity;
      dfm_overlay_.active = true;
      dfm_overlay_.t = s.dfm->t;
      dfm_overlay_.t_end = s.dfm->t_end;
      dfm_overlay_.source_std = s.params.dfm_source_std;
      dfm_overlay_.paths = s.dfm->paths;
      dfm_overlay_.knots = s.dfm->knots;
      dfm_overlay_.bridge_paths.assign(s.dfm->bridge_paths.data(), s.dfm->bridge_paths.data() + s.dfm->bridge_paths.size());
    }
    attraction_ = s.attraction;
    repulsion_ = s.repulsion;
    per_term_ = s.per_term;
    term_names_.clear();
    for (Divergence d : s.terms) term_names_.emplace_back(divergenceName(d));
    uploadData(view);
    if (new_run) picked_path_.clear();
    updateColors(s, view);
    updateTrails(s, view, restarted);
    const bool sphere = sphereView(s);
    if (sphere) sphere_view_.adopt(s, view, trail_stride_, restarted || !sphere_);
    sphere_ = sphere;
    updateHeat(s, view, new_run);
    if (reprojected) picked_path_.clear();
    last_step_ = s.step;
  } else {
    if (colors_changed) updateColors(s, view);
    if (trails_changed) updateTrails(s, view, true);
    if (trails_changed && sphere_) sphere_view_.adopt(s, view, trail_stride_, true);
    if (sphere_) sphere_view_.followPicked(view, false);  // a pick while no new snapshot comes (paused)
    if (heat_changed) updateHeat(s, view, false);
  }
  // picked particle's path grows by one point per published snapshot
  if (view.picked_particle != picked_) {
    picked_ = view.picked_particle;
    picked_path_.clear();
  }
  if (picked_ >= 0 && picked_ < static_cast<int>(particles_.size() / 2) && (new_snapshot || picked_path_.empty())) {
    picked_path_.push_back(particles_[2 * picked_]);
    picked_path_.push_back(particles_[2 * picked_ + 1]);
  }
  have_snapshot_ = true;
  snapshot_id_ = s.snapshot_id;
  last_view_ = view;
}

void Scene::forget() {
  have_snapshot_ = false;
  last_step_ = -1;
  picked_path_.clear();
}

void Scene::uploadData(const ViewOptions& view) {
  const int n = static_cast<int>(data_.size() / 2);
  data_stride_ = drawStride(n, view.max_drawn_points);
  const int drawn = (n + data_stride_ - 1) / data_stride_;
  data_colors_.assign(static_cast<std::size_t>(drawn), kDataColor);
  data_layer_.upload(stridedPoints(data_, data_stride_, drawn), data_colors_.data(), drawn);
}

// every stride-th point of xy (the points themselves when stride is 1), valid until the next call
const float* Scene::stridedPoints(const std::vector<float>& xy, int stride, int drawn) {
  if (stride == 1) return xy.data();
  drawn_points_.resize(static_cast<std::size_t>(drawn) * 2);
  for (int j = 0; j < drawn; ++j) {
    drawn_points_[2 * j] = xy[2 * static_cast<std::size_t>(j) * stride];
    drawn_points_[2 * j + 1] = xy[2 * static_cast<std::size_t>(j) * stride + 1];
  }
  return drawn_points_.data();
}

namespace {

// colour of particle i under the view's colouring (StartPosition needs the start cloud's centre and
// radius, Speed the robust top speed)
struct ParticleColorer {
  ParticleColoring mode;
  const std::vector<float>& particles;
  const std::vector<float>& velocities;
  const std::vector<float>& start;
  const std::vector<float>& speeds;       // |v| per particle (in d dimensions)
  const std::vector<int>& nearest_mode;   // d > 2: nearest mode per particle, else empty
  float cx, cy, radius, speed_hi;
  const Snapshot& s;

  Rgb operator()(std::size_t i) const {
    switch (mode) {
      case ParticleColoring::StartPosition: return positionColor(start[2 * i], start[2 * i + 1], cx, cy, radius);
      case ParticleColoring::Speed: {
        const float speed = i < speeds.size() ? speeds[i] : 0.f;
        return sampleColorMap(ColorMap::Viridis, 0.15f + 0.85f * std::min(speed / speed_hi, 1.f));
      }
      case ParticleColoring::NearestMode: {
        if (i < nearest_mode.size()) return categoryColor(nearest_mode[i]);
        int best = 0;
        float best_d = std::numeric_limits<float>::max();
        for (int k = 0; k < s.mode_centres.cols(); ++k) {
          const float dx = particles[2 * i] - s.mode_centres(0, k), dy = particles[2 * i + 1] - s.mode_centres(1, k);
          const float d = dx * dx + dy * dy;
          if (d < best_d) { best_d = d; best = k; }
        }
        return categoryColor(best);
      }
      case ParticleColoring::Plain: break;
    }
    return {1.0f, 0.62f, 0.2f};
  }
};

ParticleColorer makeColorer(const Snapshot& s, const ViewOptions& view, const std::vector<float>& particles,
                            const std::vector<float>& velocities, const std::vector<float>& start,
                            const std::vector<float>& speeds, const std::vector<int>& nearest_mode, float cx,
                            float cy, float radius) {
  ParticleColoring mode = view.coloring;
  if (mode == ParticleColoring::NearestMode && s.mode_centres.cols() == 0) mode = ParticleColoring::StartPosition;
  float speed_hi = 1;
  if (mode == ParticleColoring::Speed && !speeds.empty()) {
    std::vector<float> speed;  // robust top over at most ~4096 particles
    const std::size_t n = speeds.size(), step = std::max<std::size_t>(1, n / 4096);
    for (std::size_t i = 0; i < n; i += step) speed.push_back(speeds[i]);
    speed_hi = std::max(quantile(speed, 0.95f), 1e-12f);
  }
  return ParticleColorer{mode, particles, velocities, start, speeds, nearest_mode, cx, cy, radius, speed_hi, s};
}

}  // namespace

void Scene::updateColors(const Snapshot& s, const ViewOptions& view) {
  const int n = static_cast<int>(particles_.size() / 2);
  particle_stride_ = drawStride(n, view.max_drawn_points);
  const int drawn = (n + particle_stride_ - 1) / particle_stride_;
  const ParticleColorer colorOf = makeColorer(s, view, particles_, velocities_, start_, speed_, nearest_mode_, start_cx_, start_cy_, start_radius_);
  particle_colors_.resize(static_cast<std::size_t>(drawn));
  for (int j = 0; j < drawn; ++j)
    particle_colors_[static_cast<std::size_t>(j)] = toRgba8(colorOf(static_cast<std::size_t>(j) * particle_stride_), 0.95f);
  particle_layer_.upload(stridedPoints(particles_, particle_stride_, drawn), particle_colors_.data(), drawn);
  updateTrailColors(s, view);
}

void Scene::updateTrailColors(const Snapshot& s, const ViewOptions& view) {
  trail_colors_.clear();
  const ParticleColorer colorOf = makeColorer(s, view, particles_, velocities_, start_, speed_, nearest_mode_, start_cx_, start_cy_, start_radius_);
  for (std::size_t i = 0; i < particles_.size() / 2; i += static_cast<std::size_t>(trail_stride_)) {
    Rgba8 c = toRgba8(colorOf(i), 0.95f);
    c.a = 150;
    trail_colors_.push_back(c);
  }
}

void Scene::updateTrails(const Snapshot& s, const ViewOptions& view, bool restarted) {
  int n = static_cast<int>(particles_.size() / 2);
  if (!view.show_trails || n == 0) return;
  int stride = std::max(1, (n + kMaxTrailParticles - 1) / kMaxTrailParticles);
  int tn = (n + stride - 1) / stride;
  int rows = std::max(view.trail_length, 2);
  if (restarted || stride != trail_stride_ || tn != trail_layer_.particles() || rows != trail_layer_.rows()) {
    trail_stride_ = stride;
    trail_layer_.reset(tn, rows);
    updateTrailColors(s, view);
  }
  trail_row_.resize(static_cast<std::size_t>(tn) * 2);
  for (int j = 0; j < tn; ++j) {
    trail_row_[2 * j] = particles_[2 * j * stride];
    trail_row_[2 * j + 1] = particles_[2 * j * stride + 1];
  }
  trail_layer_.push(trail_row_.data());
}

void Scene::updateHeat(const Snapshot& s, const ViewOptions& view, bool new_run) {
  heat_legend_ = {};
  if (new_run) heat_lock_.valid = false;  // a new run fixes its own range
  const GridField* base = nullptr;
  std::vector<float> values;
  switch (view.heat_map) {
    case HeatMap::None: return;
    case HeatMap::LogP:
      base = &s.log_p;
      // mode dfm: the bridge's marginal at the sampler's t (THEORY.md §12.3)
      heat_legend_.title = s.dfm ? "log p_t(x)  (bridge marginal at t)" : "log p(x)  (data KDE)";
      break;
    case HeatMap::LogQ: base = &s.log_q; heat_legend_.title = "log q(x)  (particle KDE)"; break;
    case HeatMap::LogRatio: base = &s.log_p; heat_legend_.title = "log p/q  (clear = equilibrium)"; break;
    case HeatMap::Speed: base = &s.speed; heat_legend_.title = "log10 |v(x)|"; break;
  }
  if (projection_.active() && !sphereView(s)) {  // grid fields: d = 2 and S^2 only; the overlays say so
    heat_layer_.upload(nullptr, 0, 0, 0, 0, 0, 0);
    heat_legend_.note = "needs d = 2";
    return;
  }
  if (base->empty() || base->nx < 1 || base->ny < 1) {
    heat_legend_.visible = true;
    heat_legend_.note = "no field in this snapshot";
    heat_layer_.upload(nullptr, 0, 0, 0, 0, 0, 0);
    return;
  }
  values = base->values;
  if (view.heat_map == HeatMap::Speed) {
    // speeds span many decades (the density ratio hits its clamp in the tails): show them in log10
    for (float& v : values) v = v > 0 && std::isfinite(v) ? std::log10(v) : std::numeric_limits<float>::quiet_NaN();
  }
  if (view.heat_map == HeatMap::LogRatio) {
    if (s.log_q.values.size() != values.size()) {
      values.clear();
    } else {
      // mask regions where neither density has mass: log p - log q there is noise from the far tails
      float top = -std::numeric_limits<float>::infinity();
      for (std::size_t i = 0; i < values.size(); ++i)
        top = std::max(top, std::max(values[i], s.log_q.values[i]));
      for (std::size_t i = 0; i < values.size(); ++i) {
        float lp = values[i], lq = s.log_q.values[i];
        // fade to 0 (neutral = drawn transparent) where neither cloud has mass: no false colour in the tails
        float w = std::clamp((std::max(lp, lq) - (top - 11.f)) / 4.f, 0.f, 1.f);
        values[i] = std::isfinite(lp - lq) ? w * (lp - lq) : 0.f;
      }
    }
  }
  // ranges: log densities span ~10 nats below their max; log ratio symmetric around 0 with a floor
  // so that a converged flow stays grey instead of being stretched to full colour
  std::vector<float> finite;
  for (float v : values) if (std::isfinite(v)) finite.push_back(v);
  heat_legend_.visible = true;
  if (finite.empty()) {
    heat_legend_.note = "n/a: kernel not integrable";
    heat_layer_.upload(nullptr, 0, 0, 0, 0, 0, 0);
    return;
  }
  float hi = *std::max_element(finite.begin(), finite.end());
  float lo = *std::min_element(finite.begin(), finite.end());
  switch (view.heat_map) {
    case HeatMap::LogP:
    case HeatMap::LogQ:
      heat_legend_.map = ColorMap::Viridis;
      heat_legend_.hi = hi;
      heat_legend_.lo = std::max(lo, hi - 10.f);
      break;
    case HeatMap::LogRatio: {
      std::vector<float> mag;
      for (float v : finite) mag.push_back(std::fabs(v));
      float a = std::max(quantile(mag, 0.98f), 1.0f);
      heat_legend_.map = ColorMap::Diverging;
      heat_legend_.lo = -a;
      heat_legend_.hi = a;
      break;
    }
    default:
      heat_legend_.map = ColorMap::Magma;
      heat_legend_.lo = quantile(finite, 0.02f);
      heat_legend_.hi = std::max(quantile(finite, 0.99f), heat_legend_.lo + 1e-3f);
      break;
  }
  // locked: the run's first range, kept (per map kind); unlocked: this snapshot's range, which also
  // becomes the lock, so locking again freezes what is on screen
  const HeatLock* lead = heat_leader_ != nullptr && heat_leader_->heat_lock_.valid &&
                                 heat_leader_->heat_lock_.map == view.heat_map
                             ? &heat_leader_->heat_lock_
                             : nullptr;
  if (lead) {
    heat_legend_.lo = lead->lo;
    heat_legend_.hi = lead->hi;
    heat_lock_ = *lead;
  } else if (view.heat_range_locked && heat_lock_.valid && heat_lock_.map == view.heat_map) {
    heat_legend_.lo = heat_lock_.lo;
    heat_legend_.hi = heat_lock_.hi;
  } else {
    heat_lock_ = {true, view.heat_map, heat_legend_.lo, heat_legend_.hi};
  }
  heat_legend_.locked = view.heat_range_locked;
  if (heat_legend_.locked) heat_legend_.title += " [locked]";
  if (lead) heat_legend_.title += " (A's range)";
  heat_layer_.upload(values.data(), base->nx, base->ny, base->x0, base->y0, base->x1, base->y1);
}

void Scene::buildArrows(const Camera& cam, const ViewOptions& view) {
  arrows_.clear();
  arrow_legend_ = {};
  arrow_legend_.mode = view.arrow_mode;
  // one pass over a vector field: base points + raw vectors + colour
  struct Source {
    const float* base;      // 2 floats per arrow, or null for grid fields
    const GridField* grid;
    const float* vec;
    int count;
    Rgb color;
    bool colored_by_magnitude;
  };
  std::vector<Source> sources;
  float spacing = 24.f / cam.pixelsPerUnit();  // particle arrows alone (or no grid: d > 2) size by pixels
  if (view.show_quiver) {
    auto add = [&](const GridField& g, Rgb col, bool by_mag) {
      if (g.empty() || g.components < 2 || g.nx < 1 || g.ny < 1) return;
      sources.push_back({nullptr, &g, g.values.data(), g.nx * g.ny, col, by_mag});
      float dx = (g.x1 - g.x0) / static_cast<float>(g.nx), dy = (g.y1 - g.y0) / static_cast<float>(g.ny);
      spacing = sources.size() == 1 ? std::min(dx, dy) : std::min({spacing, dx, dy});
    };
    switch (view.split) {
      case FieldSplit::Total:
        add(view.dfm_oracle_arrows && !dfm_oracle_velocity_.empty() ? dfm_oracle_velocity_ : velocity_, kTotalArrow, true);
        break;
      case FieldSplit::AttractionRepulsion:
        add(attraction_, kAttraction, false);
        add(repulsion_, kRepulsion, false);
        arrow_legend_.entries = {{"attraction (data)", kAttraction}, {"repulsion (particles)", kRepulsion}};
        break;
      case FieldSplit::PerTerm:
        for (std::size_t t = 0; t < per_term_.size(); ++t) {
          if (view.solo_term >= 0 && static_cast<int>(t) != view.solo_term) continue;
          add(per_term_[t], categoryColor(static_cast<int>(t)), false);
          if (t < term_names_.size()) arrow_legend_.entries.push_back({term_names_[t], categoryColor(static_cast<int>(t))});
        }
        break;
    }
  }
  int n = static_cast<int>(particles_.size() / 2);
  if (view.show_particle_arrows && velocities_.size() == particles_.size() && n > 0)
    sources.push_back({particles_.data(), nullptr, velocities_.data(), n, {1.f, 1.f, 1.f}, true});
  if (sources.empty()) return;

  // the largest magnitude over everything drawn: shared so that split fields stay comparable
  float vmax = 0;
  for (const auto& src : sources)
    for (int i = 0; i < src.count; ++i) {
      float m = std::hypot(src.vec[2 * i], src.vec[2 * i + 1]);
      if (std::isfinite(m)) vmax = std::max(vmax, m);
    }
  arrow_legend_.visible = true;
  arrow_legend_.max_speed = vmax;
  // p90 of |v| over the region that holds data and particles (their box padded by 10 % of its
  // size), arrow_reference.hpp
  {
    std::vector<float> bx, by, mags;
    for (const auto& src : sources)
      for (int i = 0; i < src.count; ++i) {
        if (src.base) {
          bx.push_back(src.base[2 * i]);
          by.push_back(src.base[2 * i + 1]);
        } else {
          const GridField& g = *src.grid;
          bx.push_back(g.x0 + (g.x1 - g.x0) * (static_cast<float>(i % g.nx) + 0.5f) / static_cast<float>(g.nx));
          by.push_back(g.y0 + (g.y1 - g.y0) * (static_cast<float>(i / g.nx) + 0.5f) / static_cast<float>(g.ny));
        }
        mags.push_back(std::hypot(src.vec[2 * i], src.vec[2 * i + 1]));
      }
    const ArrowReference ref = arrowReference(bx, by, mags, bounds(), 0.1f, 0.9f);
    arrow_legend_.p90 = ref.value;
    arrow_legend_.p90_in_box = ref.in_box;
  }
  const float p90 = arrow_legend_.p90;
  // colours and log lengths use a robust top (95th percentile): far from both clouds the density
  // ratio hits its clamp and a few huge arrows would otherwise flatten every other magnitude
  {
    std::vector<float> mags;
    for (const auto& src : sources)
      for (int i = 0; i < src.count; i += std::max(1, src.count / 4096)) mags.push_back(std::hypot(src.vec[2 * i], src.vec[2 * i + 1]));
    float robust = quantile(mags, 0.95f);
    if (robust > 0) vmax = std::min(vmax, robust);
  }
  arrow_legend_.world_per_speed = view.arrow_scale;
  float len_unit = 0.85f * spacing;
  float log_ref = std::max(vmax * 1e-3f, 1e-20f);
  for (const auto& src : sources) {
    for (int i = 0; i < src.count; ++i) {
      float vx = src.vec[2 * i], vy = src.vec[2 * i + 1];
      float m = std::hypot(vx, vy);
      if (!std::isfinite(m) || m <= 0) continue;
      ArrowInstance a{};
      if (src.base) {
        a.bx = src.base[2 * i];
        a.by = src.base[2 * i + 1];
      } else {
        const GridField& g = *src.grid;
        int ix = i % g.nx, iy = i / g.nx;
        // nodes are cell centres of the rectangle (core/src/field_grids.hpp)
        a.bx = g.x0 + (g.x1 - g.x0) * (static_cast<float>(ix) + 0.5f) / static_cast<float>(g.nx);
        a.by = g.y0 + (g.y1 - g.y0) * (static_cast<float>(iy) + 0.5f) / static_cast<float>(g.ny);
      }
      float rel = vmax > 0 ? std::min(m / vmax, 1.f) : 0.f;
      float len = 0;
      bool clipped = false;
      switch (view.arrow_mode) {
        case ArrowMode::TrueLength:
          // locked scale, never rescaled per frame; arrows longer than kMaxCells grid cells are
          // clipped to that length and drawn faded (the legend says so)
          len = m * view.arrow_scale;
          if (len > kMaxCells * spacing) {
            len = kMaxCells * spacing;
            clipped = true;
            ++arrow_legend_.clipped;
          }
          break;
        case ArrowMode::Normalized: len = len_unit; break;
        case ArrowMode::Proportional:
          // length and colour ~ |v| / p90, clipped at p90 (a clipped arrow is drawn faded)
          len = 1.2f * len_unit * (p90 > 0 ? std::min(m / p90, 1.f) : 1.f);
          if (p90 > 0 && m > p90) {
            clipped = true;
            ++arrow_legend_.clipped;
          }
          break;
        case ArrowMode::LogLength:
          len = len_unit * std::min(std::log1p(m / log_ref) / std::log1p(vmax / log_ref), 1.5f);
          break;
      }
      a.vx = vx / m * len;
      a.vy = vy / m * len;
      if (view.arrow_mode == ArrowMode::Proportional) {
        const float r = p90 > 0 ? std::min(m / p90, 1.f) : 1.f;
        // clipped arrows: the top colour of the ramp (|v| >= p90), faded so the eye reads them as capped
        if (clipped) a.color = toRgba8(src.colored_by_magnitude ? sampleColorMap(ColorMap::Viridis, 0.95f) : src.color, 0.4f);
        else if (src.colored_by_magnitude) a.color = toRgba8(sampleColorMap(ColorMap::Viridis, 0.25f + 0.7f * r), 0.95f);
        else a.color = toRgba8(src.color, 0.3f + 0.7f * r);
      } else if (view.arrow_mode == ArrowMode::Normalized && src.colored_by_magnitude) {
        a.color = toRgba8(sampleColorMap(ColorMap::Viridis, 0.35f + 0.65f * std::sqrt(rel)), 0.95f);
      } else if (view.arrow_mode == ArrowMode::Normalized) {
        a.color = toRgba8(src.color, 0.25f + 0.75f * std::sqrt(rel));  // opacity carries the magnitude
      } else {
        a.color = toRgba8(src.color, clipped ? 0.35f : 0.9f);
      }
      arrows_.push_back(a);
    }
  }
}

void Scene::buildGrid(const Camera& cam, std::vector<LineVertex>& out) {
  auto r = cam.visibleRect();
  grid_step_ = niceStep(110.f / cam.pixelsPerUnit());
  const Rgba8 minor{255, 255, 255, 16}, axis{255, 255, 255, 48};
  float gx0 = std::floor(r[0] / grid_step_) * grid_step_, gy0 = std::floor(r[1] / grid_step_) * grid_step_;
  for (float x = gx0; x <= r[2]; x += grid_step_) {
    Rgba8 c = std::fabs(x) < grid_step_ * 1e-3f ? axis : minor;
    out.push_back({x, r[1], c});
    out.push_back({x, r[3], c});
  }
  for (float y = gy0; y <= r[3]; y += grid_step_) {
    Rgba8 c = std::fabs(y) < grid_step_ * 1e-3f ? axis : minor;
    out.push_back({r[0], y, c});
    out.push_back({r[2], y, c});
  }
}

void Scene::draw(const Camera& cam, const ViewOptions& view, float dpi_scale, const SceneOverlay& overlay) {
  glEnable(GL_BLEND);
  glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_DEPTH_TEST);
  // back to front: heat map, grid, trails, data, particles, arrows, overlays
  if (view.heat_map != HeatMap::None && heat_legend_.note.empty())
    heat_layer_.draw(cam, heat_legend_.map, heat_legend_.lo, heat_legend_.hi, view.heat_opacity);
  lines_.clear();
  if (view.show_grid) {
    buildGrid(cam, lines_);
    line_layer_.draw(cam, lines_, false);
  }
  if (view.show_trails) trail_layer_.draw(cam, trail_colors_, view.trail_length);
  if (view.presenter) {
    // projector: larger points, and the data drawn again over the particles at partial alpha so
    // that targets stay visible where particles pile up on them
    const float data_px = std::max(view.data_size * 1.8f, 6.f), particle_px = std::max(view.particle_size * 1.75f, 7.f);
    if (view.show_data) data_layer_.draw(cam, data_px, dpi_scale, PointLayer::Square);
    if (view.show_particles) particle_layer_.draw(cam, particle_px, dpi_scale, PointLayer::Disc);
    if (view.show_data && view.show_particles) data_layer_.draw(cam, data_px, dpi_scale, PointLayer::Square, 0.4f);
  } else {
    if (view.show_data) data_layer_.draw(cam, view.data_size, dpi_scale, PointLayer::Square);
    if (view.show_particles) particle_layer_.draw(cam, view.particle_size, dpi_scale, PointLayer::Disc);
  }
  if (!arrows_prepared_) buildArrows(cam, view);
  arrows_prepared_ = false;
  arrow_layer_.draw(cam, arrows_, 0.9f, 5.5f, dpi_scale);

  // picked particle's path and marker
  if (picked_path_.size() >= 4) {
    lines_.clear();
    for (std::size_t i = 0; i + 1 < picked_path_.size(); i += 2)
      lines_.push_back({picked_path_[i], picked_path_[i + 1], Rgba8{255, 255, 120, 230}});
    line_layer_.draw(cam, lines_, true);
  }
  lines_.clear();
  if (picked_ >= 0 && picked_ < static_cast<int>(particles_.size() / 2))
    addCircle(lines_, {particles_[2 * picked_], particles_[2 * picked_ + 1]}, 8.f / cam.pixelsPerUnit(),
              Rgba8{255, 255, 120, 255});
  if (overlay.cursor && overlay.bandwidth > 0 && view.show_bandwidth_circle)
    addCircle(lines_, *overlay.cursor, overlay.bandwidth, Rgba8{255, 255, 255, 130});
  if (overlay.brush) addCircle(lines_, *overlay.brush, overlay.brush_radius, Rgba8{120, 255, 160, 200});
  if (overlay.probe) {
    float d = 6.f / cam.pixelsPerUnit();
    Rgba8 c{255, 90, 200, 255};
    lines_.push_back({overlay.probe->x - d, overlay.probe->y, c});
    lines_.push_back({overlay.probe->x + d, overlay.probe->y, c});
    lines_.push_back({overlay.probe->x, overlay.probe->y - d, c});
    lines_.push_back({overlay.probe->x, overlay.probe->y + d, c});
  }
  line_layer_.draw(cam, lines_, false);
  if (overlay.probe) {
    // the probed velocity as one arrow, 60 px long whatever its magnitude (its value is printed)
    float m = std::hypot(overlay.probe_velocity.x, overlay.probe_velocity.y);
    if (m > 0 && std::isfinite(m)) {
      float len = 60.f / cam.pixelsPerUnit();
      std::vector<ArrowInstance> one{{overlay.probe->x, overlay.probe->y, overlay.probe_velocity.x / m * len,
                                      overlay.probe_velocity.y / m * len, Rgba8{255, 90, 200, 255}}};
      arrow_layer_.draw(cam, one, 1.5f, 9.f, dpi_scale);
    }
  }
}

void Scene::drawSphere(const OrbitCamera& cam, const ViewOptions& view, float dpi_scale) {
  SphereHeat heat;
  if (view.heat_map != HeatMap::None && heat_legend_.visible && heat_legend_.note.empty())
    heat = {&heat_layer_, heat_legend_.map, heat_legend_.lo, heat_legend_.hi, view.heat_opacity};
  sphere_view_.draw(cam, view, dpi_scale,
                    {particle_colors_, particle_stride_, data_colors_, data_stride_, trail_colors_, trail_stride_},
                    heat);
}

std::string Scene::errors() const {
  if (std::string e = sphere_view_.error(); !e.empty()) return e;
  for (const LayerBase* l : {static_cast<const LayerBase*>(&particle_layer_), static_cast<const LayerBase*>(&data_layer_),
                             static_cast<const LayerBase*>(&line_layer_), static_cast<const LayerBase*>(&arrow_layer_),
                             static_cast<const LayerBase*>(&heat_layer_), static_cast<const LayerBase*>(&trail_layer_)})
    if (!l->error().empty()) return l->error();
  return {};
}

int Scene::nearestParticle(Vec2f w, float max_dist) const {
  int best = -1;
  float best_d = max_dist * max_dist;
  for (std::size_t i = 0; i + 1 < particles_.size(); i += 2) {
    float d = std::pow(particles_[i] - w.x, 2.f) + std::pow(particles_[i + 1] - w.y, 2.f);
    if (d <= best_d) { best_d = d; best = static_cast<int>(i / 2); }
  }
  return best;
}

std::optional<std::array<float, 4>> Scene::bounds(bool data_only) const {
  if (!have_snapshot_) return std::nullopt;
  float inf = std::numeric_limits<float>::infinity();
  std::array<float, 4> b{inf, inf, -inf, -inf};
  const bool only_data = data_only && data_.size() >= 2;
  for (const auto* v : {&particles_, &data_})
    for (std::size_t i = 0; i + 1 < v->size() && !(only_data && v == &particles_); i += 2) {
      float x = (*v)[i], y = (*v)[i + 1];
      if (!std::isfinite(x) || !std::isfinite(y)) continue;
      b[0] = std::min(b[0], x); b[1] = std::min(b[1], y);
      b[2] = std::max(b[2], x); b[3] = std::max(b[3], y);
    }
  if (!(b[0] <= b[2])) return std::nullopt;
  return b;
}

}  // namespace driftlab::app::render
