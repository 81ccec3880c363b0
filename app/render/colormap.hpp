// Colour maps for heat maps, arrows and particles. GL-free; any thread.
// Sequential maps (viridis, magma) for log densities and magnitudes; a diverging map that is
// neutral grey at 0 for log(p/q), so equilibrium reads as "no colour" (UX.md lesson 2).
#pragma once

#include <array>
#include <cstdint>

namespace driftlab::app {

struct Rgb {
  float r = 0, g = 0, b = 0;
};

enum class ColorMap { Viridis, Magma, Diverging };

// t in [0, 1] (clamped); Diverging: 0.5 is the neutral centre
Rgb sampleColorMap(ColorMap map, float t);
// 256 RGBA8 entries, for a GL lookup texture
std::array<std::uint8_t, 256 * 4> colorMapTable(ColorMap map);
// a saturated colour whose hue follows the angle of (x, y) and whose lightness follows the radius
// (colour by start position, as GeomLoss does)
Rgb positionColor(float x, float y, float cx, float cy, float radius);
// a distinct colour per category (mode index, divergence term)
Rgb categoryColor(int index);

}  // namespace driftlab::app
