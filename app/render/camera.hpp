// The 2-D canvas camera: pan/zoom only, equal axes (UX.md lesson 19). Screen coordinates are
// ImGui's logical pixels with y down; world y points up. GL-free; render thread only.
#pragma once

#include <array>

namespace driftlab::app {

struct Vec2f {
  float x = 0, y = 0;
};

class Camera {
 public:
  void setViewport(float width, float height) { width_ = width; height_ = height; }
  float viewportWidth() const { return width_; }
  float viewportHeight() const { return height_; }

  Vec2f worldToScreen(Vec2f w) const;
  Vec2f screenToWorld(Vec2f s) const;
  float pixelsPerUnit() const { return scale_; }
  Vec2f centre() const { return centre_; }

  void pan(float dx_pixels, float dy_pixels);
  // zoom by `factor` (> 1 = in) keeping the world point under screen point `anchor` fixed
  void zoomAt(Vec2f anchor, float factor);
  // show the world box [x0, x1] x [y0, y1] with a margin (fraction of the box) and equal axes
  void fit(float x0, float y0, float x1, float y1, float margin = 0.08f);
  // same, but into the screen rectangle [sx0, sx1] x [sy0, sy1] (the canvas not covered by panels)
  void fitInto(float x0, float y0, float x1, float y1, float sx0, float sy0, float sx1, float sy1,
               float margin = 0.08f);
  // visible world rectangle {x0, y0, x1, y1}
  std::array<float, 4> visibleRect() const;
  // GLSL u_view = (cx, cy, 2 s / w, 2 s / h): ndc = (world - c) * u_view.zw
  std::array<float, 4> shaderView() const;

 private:
  Vec2f centre_{0, 0};
  float scale_ = 200.f;  // pixels per world unit
  float width_ = 1280, height_ = 720;
};

}  // namespace driftlab::app
