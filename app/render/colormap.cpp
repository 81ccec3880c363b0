#include "render/colormap.hpp"

#include <algorithm>
#include <cmath>

namespace driftlab::app {

namespace {

// control points sampled from the matplotlib maps (public domain colour data), linearly interpolated
constexpr float kViridis[][3] = {{0.267f, 0.005f, 0.329f}, {0.283f, 0.141f, 0.458f}, {0.254f, 0.265f, 0.530f},
                                 {0.207f, 0.372f, 0.553f}, {0.164f, 0.471f, 0.558f}, {0.128f, 0.567f, 0.551f},
                                 {0.135f, 0.659f, 0.518f}, {0.267f, 0.749f, 0.441f}, {0.478f, 0.821f, 0.318f},
                                 {0.741f, 0.873f, 0.150f}, {0.993f, 0.906f, 0.144f}};
constexpr float kMagma[][3] = {{0.001f, 0.000f, 0.014f}, {0.078f, 0.054f, 0.212f}, {0.232f, 0.060f, 0.437f},
                               {0.390f, 0.100f, 0.502f}, {0.550f, 0.161f, 0.506f}, {0.716f, 0.215f, 0.475f},
                               {0.868f, 0.288f, 0.409f}, {0.967f, 0.439f, 0.360f}, {0.994f, 0.624f, 0.427f},
                               {0.995f, 0.812f, 0.573f}, {0.987f, 0.991f, 0.750f}};
// blue (q dominates, log p/q < 0) -> neutral grey -> red (p dominates)
constexpr float kDiverging[][3] = {{0.020f, 0.188f, 0.380f}, {0.129f, 0.400f, 0.675f}, {0.263f, 0.576f, 0.765f},
                                   {0.573f, 0.773f, 0.871f}, {0.780f, 0.835f, 0.870f}, {0.500f, 0.500f, 0.500f},
                                   {0.900f, 0.780f, 0.720f}, {0.957f, 0.647f, 0.510f}, {0.839f, 0.376f, 0.302f},
                                   {0.698f, 0.094f, 0.169f}, {0.404f, 0.000f, 0.122f}};

template <std::size_t N>
Rgb lerpTable(const float (&table)[N][3], float t) {
  t = std::clamp(std::isfinite(t) ? t : 0.f, 0.f, 1.f) * static_cast<float>(N - 1);
  auto i = static_cast<std::size_t>(std::min(std::floor(t), static_cast<float>(N - 2)));
  float f = t - static_cast<float>(i);
  return {table[i][0] + f * (table[i + 1][0] - table[i][0]), table[i][1] + f * (table[i + 1][1] - table[i][1]),
          table[i][2] + f * (table[i + 1][2] - table[i][2])};
}

Rgb hsv(float h, float s, float v) {
  h = h - std::floor(h);
  float k6 = h * 6.f;
  int i = static_cast<int>(k6) % 6;
  float f = k6 - std::floor(k6);
  float p = v * (1 - s), q = v * (1 - f * s), t = v * (1 - (1 - f) * s);
  switch (i) {
    case 0: return {v, t, p};
    case 1: return {q, v, p};
    case 2: return {p, v, t};
    case 3: return {p, q, v};
    case 4: return {t, p, v};
    default: return {v, p, q};
  }
}

}  // namespace

Rgb sampleColorMap(ColorMap map, float t) {
  switch (map) {
    case ColorMap::Viridis: return lerpTable(kViridis, t);
    case ColorMap::Magma: return lerpTable(kMagma, t);
    case ColorMap::Diverging: return lerpTable(kDiverging, t);
  }
  return {};
}

std::array<std::uint8_t, 256 * 4> colorMapTable(ColorMap map) {
  std::array<std::uint8_t, 256 * 4> out{};
  for (int i = 0; i < 256; ++i) {
    Rgb c = sampleColorMap(map, static_cast<float>(i) / 255.f);
    out[i * 4 + 0] = static_cast<std::uint8_t>(std::lround(c.r * 255));
    out[i * 4 + 1] = static_cast<std::uint8_t>(std::lround(c.g * 255));
    out[i * 4 + 2] = static_cast<std::uint8_t>(std::lround(c.b * 255));
    out[i * 4 + 3] = 255;
  }
  return out;
}

Rgb positionColor(float x, float y, float cx, float cy, float radius) {
  constexpr float kTwoPi = 6.2831853f;
  float dx = x - cx, dy = y - cy;
  float hue = (std::atan2(dy, dx) + kTwoPi * 0.5f) / kTwoPi;
  float r = radius > 0 ? std::min(std::sqrt(dx * dx + dy * dy) / radius, 1.f) : 1.f;
  // centre particles are paler, outer ones fully saturated
  return hsv(hue, 0.35f + 0.6f * r, 0.95f);
}

Rgb categoryColor(int index) {
  constexpr float kPalette[][3] = {{0.90f, 0.35f, 0.30f}, {0.30f, 0.65f, 0.95f}, {0.40f, 0.85f, 0.40f},
                                   {0.98f, 0.75f, 0.20f}, {0.75f, 0.45f, 0.95f}, {0.30f, 0.90f, 0.85f},
                                   {0.98f, 0.50f, 0.75f}, {0.70f, 0.70f, 0.70f}};
  const auto& c = kPalette[static_cast<unsigned>(index) % 8];
  return {c[0], c[1], c[2]};
}

}  // namespace driftlab::app
