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

  // A/B split view: a pane's camera covers a viewport of its own width that starts `x` logical
  // pixels right of the window's left edge; screen coordinates stay the window's (overlays and
  // input), the shader view is the pane's (drawn into a glViewport of the pane)
  void setScreenOffset(float x) { offset_x_ = x; }
  float screenOffset() const { return offset_x_; }
  // move so that world point `w` appears at screen point `s`, zoom unchanged
  void centreOn(Vec2f w, Vec2f s);
  void setPixelsPerUnit(float s) { scale_ = s; }

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
  float offset_x_ = 0;
};

}  // namespace driftlab::app
