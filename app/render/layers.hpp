// The GL drawing layers of the canvas: point sprites, coloured lines, instanced arrow glyphs,
// scalar heat maps with a colour map, and trails from a GPU ring buffer. Each layer owns its
// program and buffers (RAII) and takes plain float arrays; what to draw is decided in scene.cpp.
// Render thread only. A layer whose program failed to build draws nothing and exposes error().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "render/camera.hpp"
#include "render/colormap.hpp"
#include "render/gl.hpp"

namespace driftlab::app::render {

struct Rgba8 {
  std::uint8_t r = 255, g = 255, b = 255, a = 255;
};
Rgba8 toRgba8(Rgb c, float alpha);

// common part: a program built once, with its error kept for the status line
class LayerBase {
 public:
  const std::string& error() const { return error_; }

 protected:
  bool build(const char* vert, const char* frag);
  gl::Program program_;
  gl::VertexArray vao_;
  std::string error_;
  bool tried_ = false;
};

class PointLayer : public LayerBase {
 public:
  enum Shape { Disc = 0, Square = 1 };
  // xy: 2 floats per point; colors: one per point
  void upload(const float* xy, const Rgba8* colors, int count);
  // alpha multiplies every point's own alpha (presenter mode redraws the data at 0.4)
  void draw(const Camera& cam, float size_px, float dpi_scale, Shape shape, float alpha = 1.f);

 private:
  gl::DynamicBuffer positions_, colors_;
  int count_ = 0;
};

struct LineVertex {
  float x, y;
  Rgba8 color;
};

class LineLayer : public LayerBase {
 public:
  // GL_LINES (pairs of vertices) or one GL_LINE_STRIP
  void draw(const Camera& cam, const std::vector<LineVertex>& vertices, bool strip);  // 1 px: core profile has no wide lines

 private:
  gl::DynamicBuffer buffer_;
};

struct ArrowInstance {
  float bx, by;  // base, world
  float vx, vy;  // displayed vector, world units (already scaled by the arrow mode)
  Rgba8 color;
};

class ArrowLayer : public LayerBase {
 public:
  void draw(const Camera& cam, const std::vector<ArrowInstance>& arrows, float shaft_px, float head_px,
            float dpi_scale);

 private:
  gl::Buffer glyph_;
  gl::DynamicBuffer instances_;
};

// one scalar grid field drawn through a colour map (values NaN = transparent)
class HeatLayer : public LayerBase {
 public:
  // values: nx * ny row-major (iy * nx + ix), one per cell of the rectangle [x0, x1] x [y0, y1]
  void upload(const float* values, int nx, int ny, float x0, float y0, float x1, float y1);
  void draw(const Camera& cam, ColorMap map, float lo, float hi, float opacity);
  // binds the field to texture unit 0 and map's lookup table to unit 1 for another layer's shader
  // (the sphere paints a longitude x latitude field on its surface: longitude wraps around);
  // false when there is no field
  bool bindForSampling(ColorMap map, bool wrap_x);

 private:
  void prepareLut(ColorMap map);
  gl::Texture field_, lut_;
  gl::Buffer quad_;
  ColorMap lut_map_ = ColorMap::Viridis;
  bool lut_valid_ = false;
  float rect_[4] = {0, 0, 0, 0};
  bool has_field_ = false;
};

// trails: ring buffer of the last `rows` published positions of `n` particles
class TrailLayer : public LayerBase {
 public:
  void reset(int n, int rows);            // clears the history
  void push(const float* xy);             // n positions (2 floats each), one published frame
  void draw(const Camera& cam, const std::vector<Rgba8>& colors, int visible_rows);
  int particles() const { return n_; }
  int rows() const { return rows_; }
  int filled() const { return count_; }

 private:
  gl::Buffer history_;
  gl::Texture history_tex_;
  gl::DynamicBuffer colors_;
  int n_ = 0, rows_ = 0, count_ = 0, newest_ = -1;
};

}  // namespace driftlab::app::render
