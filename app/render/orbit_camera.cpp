#include "render/orbit_camera.hpp"

#include <algorithm>
#include <cmath>

namespace driftlab::app {

namespace {

constexpr float kDegPerPixel = 0.4f;
constexpr float kNear = 0.05f, kFar = 100.f;
constexpr float kSphereShare = 0.40f;  // sphere radius / min(width, height) of the framing rectangle

float rad(float deg) { return deg * 3.14159265f / 180.f; }

}  // namespace

void OrbitCamera::frameInto(float x0, float y0, float x1, float y1) {
  if (!(x1 - x0 > 8 && y1 - y0 > 8)) {
    x0 = 0, y0 = 0, x1 = width_, y1 = height_;
  }
  principal_ = {(x0 + x1) * 0.5f, (y0 + y1) * 0.5f};
  // the sphere's outline has radius f / sqrt(D^2 - 1) pixels at distance D
  const float d = kDefaultDistance;
  focal_ = std::max(kSphereShare * std::min(x1 - x0, y1 - y0) * std::sqrt(d * d - 1.f), 1.f);
}

void OrbitCamera::rotate(float dx_pixels, float dy_pixels) {
  yaw_deg_ = std::remainder(yaw_deg_ - dx_pixels * kDegPerPixel, 360.f);
  pitch_deg_ = std::clamp(pitch_deg_ + dy_pixels * kDegPerPixel, -kMaxPitchDeg, kMaxPitchDeg);
}

void OrbitCamera::zoom(float factor) {
  if (factor > 0 && std::isfinite(factor)) distance_ = std::clamp(distance_ / factor, kMinDistance, kMaxDistance);
}

void OrbitCamera::reset() {
  yaw_deg_ = kDefaultYawDeg;
  pitch_deg_ = kDefaultPitchDeg;
  distance_ = kDefaultDistance;
}

Vec3f OrbitCamera::eye() const {
  const float y = rad(yaw_deg_), p = rad(pitch_deg_);
  return {distance_ * std::cos(p) * std::cos(y), distance_ * std::cos(p) * std::sin(y), distance_ * std::sin(p)};
}

void OrbitCamera::basis(Vec3f& right, Vec3f& up, Vec3f& forward) const {
  const Vec3f e = eye();
  forward = normalized({-e.x, -e.y, -e.z});
  right = normalized(cross(forward, {0, 0, 1}));  // |pitch| < 90 deg: never parallel to north
  up = cross(right, forward);
}

Mat4f OrbitCamera::view() const {
  Vec3f r, u, f;
  basis(r, u, f);
  const Vec3f e = eye();
  // rows: right, up, -forward; column-major storage
  return {r.x, u.x, -f.x, 0, r.y, u.y, -f.y, 0, r.z, u.z, -f.z, 0, -dot(r, e), -dot(u, e), dot(f, e), 1};
}

Mat4f OrbitCamera::projection() const {
  const float w = std::max(width_, 1.f), h = std::max(height_, 1.f);
  const float a = -(kFar + kNear) / (kFar - kNear), b = -2.f * kFar * kNear / (kFar - kNear);
  // x_ndc = (f x / -z + cx - w/2) 2/w ; y_ndc = (f y / -z + h/2 - cy) 2/h (screen y grows down)
  Mat4f m{};
  m[0] = 2.f * focal_ / w;
  m[5] = 2.f * focal_ / h;
  m[8] = -2.f * (principal_.x - w * 0.5f) / w;
  m[9] = -2.f * (h * 0.5f - principal_.y) / h;
  m[10] = a;
  m[11] = -1.f;
  m[14] = b;
  return m;
}

Mat4f OrbitCamera::viewProjection() const { return multiply(projection(), view()); }

std::optional<Vec2f> OrbitCamera::toScreen(Vec3f p) const {
  const Mat4f m = viewProjection();
  const float cx = m[0] * p.x + m[4] * p.y + m[8] * p.z + m[12];
  const float cy = m[1] * p.x + m[5] * p.y + m[9] * p.z + m[13];
  const float cw = m[3] * p.x + m[7] * p.y + m[11] * p.z + m[15];
  if (!(cw > 1e-6f)) return std::nullopt;
  return Vec2f{(cx / cw + 1.f) * 0.5f * width_, (1.f - cy / cw) * 0.5f * height_};
}

bool OrbitCamera::facesCamera(Vec3f p) const { return dot(p, eye()) > 1.f; }

// the pinhole ray through the pixel, as the sphere shader casts it, against |x| = 1
std::optional<Vec3f> OrbitCamera::pickSphere(Vec2f s) const {
  Vec3f r, u, f;
  basis(r, u, f);
  const float a = (s.x - principal_.x) / focal_, b = (s.y - principal_.y) / focal_;
  const Vec3f d = normalized({f.x + r.x * a - u.x * b, f.y + r.y * a - u.y * b, f.z + r.z * a - u.z * b});
  const Vec3f e = eye();
  const float bd = dot(e, d), c = dot(e, e) - 1.f, disc = bd * bd - c;
  if (!(disc >= 0.f)) return std::nullopt;
  const float t = -bd - std::sqrt(disc);
  if (!(t > 0.f)) return std::nullopt;
  return normalized({e.x + t * d.x, e.y + t * d.y, e.z + t * d.z});
}

Mat4f multiply(const Mat4f& a, const Mat4f& b) {
  Mat4f c{};
  for (int col = 0; col < 4; ++col)
    for (int row = 0; row < 4; ++row) {
      float s = 0;
      for (int k = 0; k < 4; ++k) s += a[k * 4 + row] * b[col * 4 + k];
      c[col * 4 + row] = s;
    }
  return c;
}

}  // namespace driftlab::app
