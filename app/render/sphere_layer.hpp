// The unit sphere of the 3-D sphere view: a ray-cast impostor over the whole viewport
// (shaders/sphere.*.glsl), lit, translucent, with a latitude/longitude grid and, when asked, a heat
// map painted on its surface. Render thread only.
#pragma once

#include "render/layers.hpp"
#include "render/orbit_camera.hpp"

namespace driftlab::app::render {

// a heat map to paint on the surface: the layer holds a longitude x latitude field over
// [-pi, pi] x [-pi/2, pi/2] (core's computeSphereGridFields), drawn with map over [lo, hi]
struct SphereHeat {
  HeatLayer* layer = nullptr;  // null: no heat map
  ColorMap map = ColorMap::Viridis;
  float lo = 0, hi = 1, opacity = 0.7f;
};

class SphereLayer : public LayerBase {
 public:
  // cam's viewport is in logical pixels; dpi_scale = framebuffer pixels per logical pixel
  void draw(const OrbitCamera& cam, float dpi_scale, bool grid, const SphereHeat& heat = {});
};

}  // namespace driftlab::app::render
