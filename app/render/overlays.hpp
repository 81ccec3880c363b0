// Screen-space annotations of the canvas drawn with ImGui's background draw list (so that they
// appear in screenshots and recordings and under the panels): grid tick labels, heat-map colour
// bar, arrow legend, probe read-out and the kernel-profile inset. Render thread only, between
// ImGui::NewFrame and ImGui::Render.
#pragma once

#include <array>
#include <optional>
#include <string>

#include "driftlab/kde/kernel.hpp"
#include "render/camera.hpp"
#include "render/orbit_camera.hpp"
#include "render/scene.hpp"
#include "view_options.hpp"

namespace driftlab::app::render {

// field values at a clicked point (evaluated on the render thread, canvas_input.cpp)
struct ProbeReadout {
  Vec2f at;
  Vec2f v, attraction, repulsion;
  double log_p = 0, log_q = 0;
  bool has_split = false, has_density = false;
  const char* v_name = "v";  // mode dfm: "b" (the drift), or "oracle b" beside a learned one
};

// the probe on S^2: a point of the sphere, the tangent velocity the particles would feel there, and
// the sphere-normalized log densities (THEORY.md §10.6)
struct SphereProbeReadout {
  Vec3f at, v;
  double log_p = 0, log_q = 0;
  bool has_density = false;
};

struct OverlayInputs {
  std::optional<Vec2f> cursor_world;  // cursor over the canvas (not over a panel)
  Vec2f cursor_screen;
  std::optional<ProbeReadout> probe;
  std::optional<KernelSpec> kernel;   // kernel in force (kernel.h = bandwidth in force)
  std::array<float, 4> free_rect{0, 0, 0, 0};  // screen rectangle not covered by panels (x0, y0, x1, y1)
};

void drawCanvasOverlays(const Camera& cam, const Scene& scene, const ViewOptions& view, const OverlayInputs& in);

// the 3-D sphere view: the circle of geodesic radius `radius` (radians) around the unit vector
// `centre`, the bandwidth under the cursor; the part on the far hemisphere is left out
void drawGeodesicCircle(const OrbitCamera& cam, Vec3f centre, float radius);

// "0.25", "1e-03", ... compact tick label for a value on an axis with spacing `step`
std::string formatTick(double value, double step);

// the sphere probe: a marker at its point, its tangent velocity as an arrow of fixed screen length
// (hidden on the far side), and its read-out (longitude, latitude, v, log densities) beside it
void drawSphereProbe(const OrbitCamera& cam, const SphereProbeReadout& p);

}  // namespace driftlab::app::render
