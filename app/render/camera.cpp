#include "render/camera.hpp"

#include <algorithm>
#include <cmath>

namespace driftlab::app {

Vec2f Camera::worldToScreen(Vec2f w) const {
  return {offset_x_ + width_ * 0.5f + (w.x - centre_.x) * scale_, height_ * 0.5f - (w.y - centre_.y) * scale_};
}

Vec2f Camera::screenToWorld(Vec2f s) const {
  return {centre_.x + (s.x - offset_x_ - width_ * 0.5f) / scale_, centre_.y - (s.y - height_ * 0.5f) / scale_};
}

void Camera::centreOn(Vec2f w, Vec2f s) {
  const Vec2f now = screenToWorld(s);
  centre_.x += w.x - now.x;
  centre_.y += w.y - now.y;
}

void Camera::pan(float dx_pixels, float dy_pixels) {
  centre_.x -= dx_pixels / scale_;
  centre_.y += dy_pixels / scale_;
}

void Camera::zoomAt(Vec2f anchor, float factor) {
  Vec2f before = screenToWorld(anchor);
  // clamp so that a runaway wheel cannot reach a degenerate projection
  scale_ = std::clamp(scale_ * factor, 1e-3f, 1e7f);
  Vec2f after = screenToWorld(anchor);
  centre_.x += before.x - after.x;
  centre_.y += before.y - after.y;
}

void Camera::fit(float x0, float y0, float x1, float y1, float margin) {
  if (!(std::isfinite(x0) && std::isfinite(y0) && std::isfinite(x1) && std::isfinite(y1))) return;
  float w = std::max(x1 - x0, 1e-6f), h = std::max(y1 - y0, 1e-6f);
  centre_ = {(x0 + x1) * 0.5f, (y0 + y1) * 0.5f};
  float sx = width_ / (w * (1 + 2 * margin)), sy = height_ / (h * (1 + 2 * margin));
  scale_ = std::clamp(std::min(sx, sy), 1e-3f, 1e7f);
}

void Camera::fitInto(float x0, float y0, float x1, float y1, float sx0, float sy0, float sx1, float sy1,
                     float margin) {
  if (!(sx1 - sx0 > 8 && sy1 - sy0 > 8)) return fit(x0, y0, x1, y1, margin);
  if (!(std::isfinite(x0) && std::isfinite(y0) && std::isfinite(x1) && std::isfinite(y1))) return;
  float w = std::max(x1 - x0, 1e-6f), h = std::max(y1 - y0, 1e-6f);
  scale_ = std::clamp(std::min((sx1 - sx0) / (w * (1 + 2 * margin)), (sy1 - sy0) / (h * (1 + 2 * margin))), 1e-3f, 1e7f);
  // put the box centre at the rectangle centre (screen y grows downwards)
  float dx = ((sx0 + sx1) * 0.5f - width_ * 0.5f) / scale_, dy = ((sy0 + sy1) * 0.5f - height_ * 0.5f) / scale_;
  centre_ = {(x0 + x1) * 0.5f - dx, (y0 + y1) * 0.5f + dy};
}

std::array<float, 4> Camera::visibleRect() const {
  Vec2f a = screenToWorld({offset_x_, height_}), b = screenToWorld({offset_x_ + width_, 0});
  return {a.x, a.y, b.x, b.y};
}

std::array<float, 4> Camera::shaderView() const {
  return {centre_.x, centre_.y, 2 * scale_ / std::max(width_, 1.f), 2 * scale_ / std::max(height_, 1.f)};
}

}  // namespace driftlab::app
