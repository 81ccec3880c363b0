// What the canvas draws and how: edited by the UI panels (app/ui), read by the renderer
// (app/render). Plain data, render thread only.
#pragma once

namespace driftlab::app {

enum class ParticleColoring { StartPosition, Speed, NearestMode, Plain };
// Proportional: length and colour proportional to |v| up to p90, the 90th percentile of |v| over
// the padded bounding box of data and particles; longer arrows are clipped to that length and
// drawn in a marked colour (far from the data |v| reaches 1e8 and would flatten everything else)
enum class ArrowMode { TrueLength, Normalized, LogLength, Proportional };
enum class HeatMap { None, LogP, LogQ, LogRatio, Speed };
enum class FieldSplit { Total, AttractionRepulsion, PerTerm };
// What a left click/drag on the canvas does (app/canvas_input.cpp). Probe and Pick pan on drag;
// the edit tools send commands to the worker. Keys 1-6 select them.
enum class CanvasTool { Probe, Pick, Brush, Erase, DragParticle, DropBlob };
// How points of dimension d > 2 are drawn in the plane (render/view_projection.hpp, THEORY.md
// §9.4): two principal axes of the data, two chosen coordinates, or a seeded random plane.
enum class ProjectionKind { Pca, Coordinates, Random };

// The Images window (ui/image_grid_panel.cpp): particles and data of image-like data (d = W x H,
// row-major pixels) drawn as small grayscale images.
struct ImageViewOptions {
  bool show = false;               // the window is open
  bool auto_show = true;           // open it when the data become image-like (--view images=off clears it)
  int width = 0, height = 0;       // explicit shape (--image WxH); 0 = from the dataset (digits: 8x8)
  int count = 64;                  // images per grid, 16 .. 256
  bool nearest = false;            // under each particle: its nearest data image and the distance
  bool class_frames = true;        // frame each particle image in the colour of its nearest class
};

struct ViewOptions {
  bool show_particles = true;
  bool show_data = true;
  bool show_particle_arrows = false;
  bool show_quiver = true;
  bool show_trails = true;
  bool show_grid = true;
  bool show_bandwidth_circle = true;
  // mode dfm: bridge sample paths and the source's 1 and 2 s0 circles; with a learned drift in
  // force, the oracle's arrows instead of the learned ones
  bool show_bridge_paths = true;
  bool dfm_oracle_arrows = false;
  // --view compare=on: open the Compare modes window and run the comparison at start
  bool compare_at_start = false;
  ParticleColoring coloring = ParticleColoring::StartPosition;
  ArrowMode arrow_mode = ArrowMode::Proportional;
  float arrow_scale = 0.05f;       // TrueLength: world units per unit speed, locked unless the user changes it
  FieldSplit split = FieldSplit::Total;
  int solo_term = -1;              // PerTerm: index into Snapshot::terms to show alone, -1 = all
  HeatMap heat_map = HeatMap::LogRatio;
  float heat_opacity = 0.6f;
  // the heat map's colour range is fixed per run (taken from the run's first snapshot; a reset,
  // new seed or preset starts a new one) so colours stay comparable over time; unlocked it is
  // re-fitted to every snapshot. Log ratio stays centred at 0 either way.
  bool heat_range_locked = true;
  int trail_length = 40;           // frames
  float particle_size = 4.0f;      // pixels
  float data_size = 3.0f;          // pixels
  int quiver_n = 24;               // quiver grid nodes per axis
  int density_n = 96;              // heat-map grid nodes per axis
  int picked_particle = -1;        // full path shown for this particle
  CanvasTool tool = CanvasTool::Probe;
  float brush_radius = 0.08f;      // world units: Brush adds data points / Erase removes them within it
  int brush_points = 4;            // data points added per brush event (every frame while dragging)
  int blob_count = 200;            // DropBlob: particles added around the click
  float blob_radius = 0.1f;        // DropBlob: std of the dropped Gaussian blob, world units
  bool show_kernel_profile = true; // small kernel-profile inset next to the cursor
  bool show_colorbar = true;       // colour bar of the heat map, scale legend of TrueLength arrows
  int max_drawn_points = 0;        // per layer, 0 = all; set to kSoftwareMaxDrawnPoints on llvmpipe
  // d > 2 only: the plane the canvas shows. Pca: principal axes proj_a, proj_b (0-based);
  // Coordinates: coordinates proj_a, proj_b; Random: the plane drawn from proj_seed
  ProjectionKind projection = ProjectionKind::Pca;
  int proj_a = 0, proj_b = 1;
  int proj_seed = 1;
  ImageViewOptions images;
  // presenter mode (P, --presenter): large TTF font, high-contrast theme, larger points with the
  // data redrawn over the particles, legend and caption on the canvas (ui/presenter_style.hpp,
  // render/presenter_overlay.hpp)
  bool presenter = false;
  float ui_scale = 1.0f;           // UI scale outside presenter mode, 1 .. 2.5
  float presenter_scale = 1.7f;    // UI scale in presenter mode (1.7 x 13 px = the 22 px font)
  float uiScale() const { return presenter ? presenter_scale : ui_scale; }
  // the Equations window (E, ui/equations_panel.cpp): the velocity formula of the field in force and its
  // terms at the probe point; here with the other view switches so that a view setting can open it
  bool show_equations = false;
  // the canvas probe's point (world), mirrored from the shell's probe read-out by canvas_input.cpp
  // for the Equations window (ui/equations_panel.cpp); probe_shown = false when there is none
  bool probe_shown = false;
  float probe_x = 0.f, probe_y = 0.f;
};

// Points drawn per layer (particles, data) on a software OpenGL renderer (llvmpipe: Xvfb, machines
// without a GPU): a larger set is drawn as every k-th point (drawStride), because llvmpipe spends
// about a microsecond per point primitive, i.e. seconds per frame at 1e6 particles + 1e6 data.
// The strided subset shows the same distribution; the status bar says when it is in effect.
inline constexpr int kSoftwareMaxDrawnPoints = 50000;
inline int drawStride(long n, int max_points) {
  return static_cast<int>(max_points <= 0 || n <= max_points ? 1 : (n + max_points - 1) / max_points);
}

}  // namespace driftlab::app
