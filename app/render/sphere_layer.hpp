// The unit sphere of the 3-D sphere view: a ray-cast impostor over the whole viewport
// (shaders/sphere.*.glsl), lit, translucent, with a latitude/longitude grid. Render thread only.
#pragma once

#include "render/layers.hpp"
#include "render/orbit_camera.hpp"

namespace driftlab::app::render {

class SphereLayer : public LayerBase {
 public:
  // cam's viewport is in logical pixels; dpi_scale = framebuffer pixels per logical pixel
  void draw(const OrbitCamera& cam, float dpi_scale, bool grid);
};

}  // namespace driftlab::app::render
