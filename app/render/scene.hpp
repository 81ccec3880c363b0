// The canvas scene: turns the latest Snapshot plus the ViewOptions into GL draws (grid, heat map,
// trails, data, particles, quiver and particle arrows, overlays in world space). Points of
// dimension d > 2 are drawn through a fixed linear map to the plane (render/view_projection.hpp);
// every CPU copy below (particles_, data_, ...) is then in projected coordinates. A flow on S^2
// (render/sphere_mode.hpp) is drawn by drawSphere in 3-D instead (render/sphere_view.hpp), in the
// colours computed here for the 2-D view. Uploads happen
// only when a new snapshot arrives or a view option that changes the data changes (STYLE.md L11).
// Render thread only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "driftlab/run/snapshot.hpp"
#include "render/camera.hpp"
#include "render/layers.hpp"
#include "render/orbit_camera.hpp"
#include "render/sphere_view.hpp"
#include "render/view_projection.hpp"
#include "view_options.hpp"

namespace driftlab::app::render {

// what the colour bar shows (overlays.cpp draws it with ImGui)
struct HeatLegend {
  bool visible = false;
  ColorMap map = ColorMap::Viridis;
  float lo = 0, hi = 1;
  std::string title;  // "log p(x)", "log p/q (0 = equilibrium)", ...
  std::string note;   // e.g. "n/a: kernel not integrable"
  bool locked = false;  // the range is the run's locked one (ViewOptions::heat_range_locked)
};

// what the arrow legend shows
struct ArrowLegend {
  bool visible = false;
  ArrowMode mode = ArrowMode::Normalized;
  float world_per_speed = 0;  // TrueLength: displayed world length per unit |v|
  float max_speed = 0;        // largest |v| among the drawn arrows
  int clipped = 0;            // TrueLength / Proportional arrows drawn shortened because they were too long
  float p90 = 0;              // 90th percentile of |v| over the padded data + particle box (Proportional)
  bool p90_in_box = false;    // p90 came from that box (false: from everything drawn, none was inside)
  std::vector<std::pair<std::string, Rgb>> entries;  // split colours: "attraction", "repulsion", term names
};

// extra world-space marks for this frame (cursor, probe, brush)
// the data points' colour (the presenter legend shows it)
inline constexpr Rgba8 kDataPointColor{205, 212, 225, 170};

struct SceneOverlay {
  std::optional<Vec2f> cursor;    // bandwidth circle centre
  float bandwidth = 0;            // circle radius (world)
  std::optional<Vec2f> brush;     // brush / erase circle centre
  float brush_radius = 0;
  std::optional<Vec2f> probe;     // probed point and its velocity
  Vec2f probe_velocity;
};

class Scene {
 public:
  // adopt a snapshot (no-op when its id and the relevant view options are unchanged)
  void sync(const Snapshot& s, const ViewOptions& view);
  // a new run (new worker): the next snapshot is adopted whatever its id
  void forget();
  // A/B split view: the heat map takes the colour range of `leader` (side A's scene) when it has
  // one for the same map, so equal colours mean equal values in both panes; nullptr = its own
  void followHeatRange(const Scene* leader) { heat_leader_ = leader; }
  // draws into the currently bound framebuffer; cam's viewport is in logical pixels
  void draw(const Camera& cam, const ViewOptions& view, float dpi_scale, const SceneOverlay& overlay);
  // this frame's arrows, built before the overlays read arrowLegend() so that the legend describes
  // the arrows drawn in the same frame; draw() then reuses them (cam and view must be draw()'s)
  void prepareArrows(const Camera& cam, const ViewOptions& view) {
    buildArrows(cam, view);
    arrows_prepared_ = true;
  }
  // the 3-D sphere view (sphereMode()): sphere, grid, points, particle arrows, trails; no field layers
  void drawSphere(const OrbitCamera& cam, const ViewOptions& view, float dpi_scale);
  // the adopted snapshot is a flow on S^2 (render/sphere_mode.hpp): the canvas draws drawSphere
  bool sphereMode() const { return sphere_; }

  const HeatLegend& heatLegend() const { return heat_legend_; }
  const ArrowLegend& arrowLegend() const { return arrow_legend_; }
  // world spacing of the grid lines drawn last frame (overlays label them)
  float gridStep() const { return grid_step_; }
  // first error of any layer (a shader that failed to build), or ""
  std::string errors() const;
  // nearest particle to w within max_dist (world), or -1
  int nearestParticle(Vec2f w, float max_dist) const;
  // bounding box {x0, y0, x1, y1} of data and particles (data_only: of the data alone, when there
  // is any); nullopt before the first snapshot
  std::optional<std::array<float, 4>> bounds(bool data_only = false) const;
  // every k-th particle / data point is drawn (drawStride, view_options.hpp)
  int particleDrawStride() const { return particle_stride_; }
  int dataDrawStride() const { return data_stride_; }
  // path of the picked particle since it was picked (world points)
  const std::vector<float>& pickedPath() const { return picked_path_; }
  // the map from d > 2 dimensions to the canvas (inactive for d <= 2)
  const ViewProjection& projection() const { return projection_; }
  // mode dfm on the plane: what the overlays draw (bridge paths, the source's circles, the time)
  struct DfmOverlay {
    bool active = false;
    double t = 0, t_end = 1, source_std = 1;
    std::vector<float> bridge_paths;  // 2 floats per knot, paths x (knots + 1) knots
    int paths = 0, knots = 0;
  };
  const DfmOverlay& dfmOverlay() const { return dfm_overlay_; }

 private:
  void updateColors(const Snapshot& s, const ViewOptions& view);
  void updateTrailColors(const Snapshot& s, const ViewOptions& view);
  void uploadData(const ViewOptions& view);
  const float* stridedPoints(const std::vector<float>& xy, int stride, int drawn);
  void updateTrails(const Snapshot& s, const ViewOptions& view, bool restarted);
  void updateHeat(const Snapshot& s, const ViewOptions& view, bool new_run);
  void buildArrows(const Camera& cam, const ViewOptions& view);
  void buildGrid(const Camera& cam, std::vector<LineVertex>& out);

  std::uint64_t snapshot_id_ = 0;
  bool have_snapshot_ = false;
  long last_step_ = -1;
  std::uint64_t last_restarts_ = 0;  // MetricHistory::restarts of the last snapshot
  bool arrows_prepared_ = false;     // prepareArrows ran for the frame draw() is about to draw
  ViewOptions last_view_;

  // CPU copies used for drawing-time work (arrows, picking)
  std::vector<float> particles_, velocities_, data_, start_;
  ViewProjection projection_;
  PointsF start_full_;             // start positions in the flow's own d dimensions
  std::vector<float> speed_;       // |v| per particle in d dimensions (colour by speed)
  std::vector<int> nearest_mode_;  // d > 2: nearest mode centre per particle in d dimensions
  std::vector<Rgba8> particle_colors_, data_colors_, trail_colors_;
  float start_cx_ = 0, start_cy_ = 0, start_radius_ = 1;
  // grid fields kept for the quiver (rebuilt per frame because sizes depend on the zoom)
  GridField velocity_, attraction_, repulsion_;
  GridField dfm_oracle_velocity_;  // mode dfm with a learned drift: the oracle's arrows (view.dfm_oracle_arrows)
  DfmOverlay dfm_overlay_;
  std::vector<GridField> per_term_;
  std::vector<std::string> term_names_;

  PointLayer particle_layer_, data_layer_;
  LineLayer line_layer_;
  ArrowLayer arrow_layer_;
  HeatLayer heat_layer_;
  TrailLayer trail_layer_;
  int trail_stride_ = 1;
  int particle_stride_ = 1, data_stride_ = 1;
  std::vector<float> drawn_points_;  // strided copy uploaded when a layer is over kMaxDrawnPoints
  std::vector<float> trail_row_;
  std::vector<ArrowInstance> arrows_;
  std::vector<LineVertex> lines_;
  HeatLegend heat_legend_;
  // the heat map's locked colour range: set by the first heat update of a run, forgotten on a new run
  struct HeatLock {
    bool valid = false;
    HeatMap map = HeatMap::None;
    float lo = 0, hi = 1;
  } heat_lock_;
  const Scene* heat_leader_ = nullptr;
  ArrowLegend arrow_legend_;
  float grid_step_ = 0.5f;

  int picked_ = -1;
  std::vector<float> picked_path_;

  bool sphere_ = false;
  SphereView sphere_view_;
};

}  // namespace driftlab::app::render
