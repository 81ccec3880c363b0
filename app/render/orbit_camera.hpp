// The camera of the 3-D sphere view: it orbits the origin at (yaw, pitch, distance) and always
// looks at the centre, with world +z ("north") up on screen. A pinhole projection whose focal
// length and principal point are in screen pixels, so the sphere sits in the middle of the free
// canvas (not under the panels) at the same size whatever the window. Screen coordinates are
// ImGui's logical pixels with y down, as the 2-D Camera's. GL-free; render thread only.
#pragma once

#include <array>
#include <cmath>
#include <optional>

#include "render/camera.hpp"

namespace driftlab::app {

struct Vec3f {
  float x = 0, y = 0, z = 0;
};

inline float dot(Vec3f a, Vec3f b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline Vec3f cross(Vec3f a, Vec3f b) { return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x}; }
// a / |a|, or north (0, 0, 1) for the zero vector
inline Vec3f normalized(Vec3f a) {
  const float n = std::sqrt(dot(a, a));
  return n > 0 ? Vec3f{a.x / n, a.y / n, a.z / n} : Vec3f{0, 0, 1};
}

// column-major 4 x 4 matrix, as glUniformMatrix4fv takes it with transpose = GL_FALSE
using Mat4f = std::array<float, 16>;

class OrbitCamera {
 public:
  static constexpr float kDefaultYawDeg = -60.f, kDefaultPitchDeg = 25.f, kDefaultDistance = 3.4f;
  static constexpr float kMinDistance = 1.25f, kMaxDistance = 30.f, kMaxPitchDeg = 89.f;

  void setViewport(float width, float height) { width_ = width; height_ = height; }
  // A/B split view: the viewport (a pane) starts this many logical pixels right of the window's
  // left edge; the projection stays the pane's (gl_FragCoord-based shading subtracts it)
  void setViewportLeft(float x) { left_ = x; }
  float viewportLeft() const { return left_; }
  // the screen rectangle the unit sphere is framed in at the default distance (x0, y0, x1, y1)
  void frameInto(float x0, float y0, float x1, float y1);
  // a left drag of (dx, dy) pixels: right turns the globe eastwards under the cursor, down tilts
  // the north pole towards the viewer
  void rotate(float dx_pixels, float dy_pixels);
  // factor > 1 = in (closer), clamped to [kMinDistance, kMaxDistance]
  void zoom(float factor);
  // north up, the default yaw, pitch and distance
  void reset();

  float yawDeg() const { return yaw_deg_; }
  float pitchDeg() const { return pitch_deg_; }
  float distance() const { return distance_; }
  float focalPixels() const { return focal_; }
  Vec2f principalPoint() const { return principal_; }
  float viewportWidth() const { return width_; }
  float viewportHeight() const { return height_; }

  Vec3f eye() const;  // camera position in world coordinates
  // orthonormal camera basis in world coordinates: right, up (on screen), forward (into the screen)
  void basis(Vec3f& right, Vec3f& up, Vec3f& forward) const;
  Mat4f view() const;        // world -> camera (camera looks down -z)
  Mat4f projection() const;  // camera -> clip, NDC as GL's viewport of width x height maps it
  Mat4f viewProjection() const;
  // screen pixel of a world point, nullopt behind the camera
  std::optional<Vec2f> toScreen(Vec3f p) const;
  // a point of the unit sphere faces the camera (is on the visible hemisphere) iff p . eye > 1
  bool facesCamera(Vec3f p) const;
  // the point of the unit sphere under a screen pixel (the ray's first hit), nullopt off the sphere
  std::optional<Vec3f> pickSphere(Vec2f screen) const;

 private:
  float yaw_deg_ = kDefaultYawDeg, pitch_deg_ = kDefaultPitchDeg, distance_ = kDefaultDistance;
  float width_ = 1280, height_ = 720;
  float left_ = 0;
  float focal_ = 600;          // pixels per unit of tan(angle)
  Vec2f principal_{640, 360};  // the screen pixel the camera looks through
};

Mat4f multiply(const Mat4f& a, const Mat4f& b);  // a * b

}  // namespace driftlab::app
