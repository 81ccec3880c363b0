#include "render/layers.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace driftlab::app::render {

Rgba8 toRgba8(Rgb c, float alpha) {
  auto u8 = [](float v) { return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.f, 1.f) * 255.f)); };
  return {u8(c.r), u8(c.g), u8(c.b), u8(alpha)};
}

namespace {

void setView(GLuint prog, const Camera& cam) {
  auto v = cam.shaderView();
  glUniform4f(glGetUniformLocation(prog, "u_view"), v[0], v[1], v[2], v[3]);
}

// attribute `loc` reads `comps` values from `buffer` (bound as GL_ARRAY_BUFFER)
void attrib(GLuint loc, GLuint buffer, int comps, GLenum type, bool normalized, int stride, std::size_t offset,
            GLuint divisor) {
  glBindBuffer(GL_ARRAY_BUFFER, buffer);
  glEnableVertexAttribArray(loc);
  glVertexAttribPointer(loc, comps, type, normalized ? GL_TRUE : GL_FALSE, stride,
                        reinterpret_cast<const void*>(offset));
  glVertexAttribDivisor(loc, divisor);
}

}  // namespace

bool LayerBase::build(const char* vert, const char* frag) {
  if (tried_) return static_cast<bool>(program_);
  tried_ = true;
  auto result = gl::buildProgram(vert, frag);
  if (auto* e = std::get_if<std::string>(&result)) {
    error_ = *e;  // shown in the status line; the layer draws nothing (STYLE.md L9)
    return false;
  }
  program_ = std::move(std::get<gl::Program>(result));
  vao_ = gl::makeVertexArray();
  return true;
}

// ---- points ----

void PointLayer::upload(const float* xy, const Rgba8* colors, int count) {
  count_ = count;
  positions_.upload(xy, sizeof(float) * 2 * static_cast<std::size_t>(count));
  colors_.upload(colors, sizeof(Rgba8) * static_cast<std::size_t>(count));
}

void PointLayer::draw(const Camera& cam, float size_px, float dpi_scale, Shape shape, float alpha) {
  if (count_ <= 0 || !build("points.vert.glsl", "points.frag.glsl")) return;
  glUseProgram(program_.id());
  setView(program_.id(), cam);
  glUniform1f(glGetUniformLocation(program_.id(), "u_point_size"), std::max(size_px * dpi_scale, 1.f));
  glUniform1i(glGetUniformLocation(program_.id(), "u_shape"), shape);
  glUniform1f(glGetUniformLocation(program_.id(), "u_alpha"), alpha);
  glBindVertexArray(vao_.id());
  attrib(0, positions_.id(), 2, GL_FLOAT, false, 0, 0, 0);
  attrib(1, colors_.id(), 4, GL_UNSIGNED_BYTE, true, 0, 0, 0);
  glEnable(GL_PROGRAM_POINT_SIZE);
  glDrawArrays(GL_POINTS, 0, count_);
  glBindVertexArray(0);
}

// ---- lines ----

void LineLayer::draw(const Camera& cam, const std::vector<LineVertex>& vertices, bool strip) {
  if (vertices.size() < 2 || !build("lines.vert.glsl", "color.frag.glsl")) return;
  buffer_.upload(vertices.data(), vertices.size() * sizeof(LineVertex));
  glUseProgram(program_.id());
  setView(program_.id(), cam);
  glBindVertexArray(vao_.id());
  attrib(0, buffer_.id(), 2, GL_FLOAT, false, sizeof(LineVertex), offsetof(LineVertex, x), 0);
  attrib(1, buffer_.id(), 4, GL_UNSIGNED_BYTE, true, sizeof(LineVertex), offsetof(LineVertex, color), 0);
  glDrawArrays(strip ? GL_LINE_STRIP : GL_LINES, 0, static_cast<GLsizei>(vertices.size()));
  glBindVertexArray(0);
}

// ---- arrows ----

void ArrowLayer::draw(const Camera& cam, const std::vector<ArrowInstance>& arrows, float shaft_px, float head_px,
                      float dpi_scale) {
  (void)dpi_scale;  // glyph sizes are in logical pixels; the projection already maps them to the framebuffer
  if (arrows.empty() || !build("arrows.vert.glsl", "color.frag.glsl")) return;
  if (!glyph_) {
    // shaft quad (two triangles) + head triangle, see arrows.vert.glsl for the encoding
    const float glyph[] = {0, -1, 0, 1, -1, 0, 1, 1, 0, 0, -1, 0, 1, 1, 0, 0, 1, 0, 1, -1, 1, 2, 0, 1, 1, 1, 1};
    glyph_ = gl::makeBuffer();
    glBindBuffer(GL_ARRAY_BUFFER, glyph_.id());
    glBufferData(GL_ARRAY_BUFFER, sizeof(glyph), glyph, GL_STATIC_DRAW);
  }
  instances_.upload(arrows.data(), arrows.size() * sizeof(ArrowInstance));
  GLuint prog = program_.id();
  glUseProgram(prog);
  setView(prog, cam);
  glUniform1f(glGetUniformLocation(prog, "u_pixels_per_unit"), cam.pixelsPerUnit());
  glUniform1f(glGetUniformLocation(prog, "u_shaft_px"), shaft_px);
  glUniform1f(glGetUniformLocation(prog, "u_head_px"), head_px);
  glBindVertexArray(vao_.id());
  attrib(0, glyph_.id(), 3, GL_FLOAT, false, 0, 0, 0);
  attrib(1, instances_.id(), 2, GL_FLOAT, false, sizeof(ArrowInstance), offsetof(ArrowInstance, bx), 1);
  attrib(2, instances_.id(), 2, GL_FLOAT, false, sizeof(ArrowInstance), offsetof(ArrowInstance, vx), 1);
  attrib(3, instances_.id(), 4, GL_UNSIGNED_BYTE, true, sizeof(ArrowInstance), offsetof(ArrowInstance, color), 1);
  glDrawArraysInstanced(GL_TRIANGLES, 0, 9, static_cast<GLsizei>(arrows.size()));
  glBindVertexArray(0);
}

// ---- heat map ----

void HeatLayer::upload(const float* values, int nx, int ny, float x0, float y0, float x1, float y1) {
  has_field_ = nx > 0 && ny > 0 && values != nullptr;
  if (!has_field_) return;
  if (!field_) field_ = gl::makeTexture();
  glBindTexture(GL_TEXTURE_2D, field_.id());
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, nx, ny, 0, GL_RED, GL_FLOAT, values);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  // the field's rectangle holds nx x ny cells with a node at each cell centre (core/src/field_grids.hpp),
  // so the texture spans the rectangle exactly and linear filtering interpolates between centres
  rect_[0] = x0;
  rect_[1] = y0;
  rect_[2] = x1;
  rect_[3] = y1;
}

void HeatLayer::draw(const Camera& cam, ColorMap map, float lo, float hi, float opacity) {
  if (!has_field_ || !build("heat.vert.glsl", "heat.frag.glsl")) return;
  prepareLut(map);
  if (!quad_) {
    const float corners[] = {0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1};
    quad_ = gl::makeBuffer();
    glBindBuffer(GL_ARRAY_BUFFER, quad_.id());
    glBufferData(GL_ARRAY_BUFFER, sizeof(corners), corners, GL_STATIC_DRAW);
  }
  GLuint prog = program_.id();
  glUseProgram(prog);
  setView(prog, cam);
  glUniform4f(glGetUniformLocation(prog, "u_rect"), rect_[0], rect_[1], rect_[2], rect_[3]);
  glUniform2f(glGetUniformLocation(prog, "u_range"), lo, hi);
  glUniform1f(glGetUniformLocation(prog, "u_opacity"), opacity);
  glUniform1i(glGetUniformLocation(prog, "u_fade_neutral"), map == ColorMap::Diverging ? 1 : 0);
  bindForSampling(map, false);
  glUniform1i(glGetUniformLocation(prog, "u_field"), 0);
  glUniform1i(glGetUniformLocation(prog, "u_lut"), 1);
  glBindVertexArray(vao_.id());
  attrib(0, quad_.id(), 2, GL_FLOAT, false, 0, 0, 0);
  glDrawArrays(GL_TRIANGLES, 0, 6);
  glBindVertexArray(0);
}

void HeatLayer::prepareLut(ColorMap map) {
  if (!lut_) lut_ = gl::makeTexture();
  if (lut_valid_ && lut_map_ == map) return;
  auto table = colorMapTable(map);
  glBindTexture(GL_TEXTURE_2D, lut_.id());
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, 256, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, table.data());
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  lut_map_ = map;
  lut_valid_ = true;
}

bool HeatLayer::bindForSampling(ColorMap map, bool wrap_x) {
  if (!has_field_) return false;
  prepareLut(map);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, field_.id());
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, wrap_x ? GL_REPEAT : GL_CLAMP_TO_EDGE);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, lut_.id());
  glActiveTexture(GL_TEXTURE0);
  return true;
}

// ---- trails ----

void TrailLayer::reset(int n, int rows) {
  n_ = std::max(n, 0);
  rows_ = std::max(rows, 1);
  count_ = 0;
  newest_ = -1;
  if (!history_) history_ = gl::makeBuffer();
  glBindBuffer(GL_TEXTURE_BUFFER, history_.id());
  glBufferData(GL_TEXTURE_BUFFER, static_cast<GLsizeiptr>(sizeof(float) * 2 * static_cast<std::size_t>(n_) *
                                                          static_cast<std::size_t>(rows_)),
               nullptr, GL_DYNAMIC_DRAW);
  glBindBuffer(GL_TEXTURE_BUFFER, 0);
}

void TrailLayer::push(const float* xy) {
  if (n_ == 0 || !history_) return;
  newest_ = (newest_ + 1) % rows_;
  count_ = std::min(count_ + 1, rows_);
  // only one row per published frame is uploaded (the ring buffer stays on the GPU)
  glBindBuffer(GL_TEXTURE_BUFFER, history_.id());
  std::size_t row_bytes = sizeof(float) * 2 * static_cast<std::size_t>(n_);
  glBufferSubData(GL_TEXTURE_BUFFER, static_cast<GLintptr>(row_bytes * static_cast<std::size_t>(newest_)),
                  static_cast<GLsizeiptr>(row_bytes), xy);
  glBindBuffer(GL_TEXTURE_BUFFER, 0);
}

void TrailLayer::draw(const Camera& cam, const std::vector<Rgba8>& colors, int visible_rows) {
  int rows = std::min(count_, visible_rows);
  if (n_ == 0 || rows < 2 || static_cast<int>(colors.size()) < n_ ||
      !build("trails.vert.glsl", "color.frag.glsl"))
    return;
  if (!history_tex_) history_tex_ = gl::makeTexture();
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_BUFFER, history_tex_.id());
  glTexBuffer(GL_TEXTURE_BUFFER, GL_RG32F, history_.id());
  colors_.upload(colors.data(), sizeof(Rgba8) * static_cast<std::size_t>(n_));
  GLuint prog = program_.id();
  glUseProgram(prog);
  setView(prog, cam);
  glUniform1i(glGetUniformLocation(prog, "u_history"), 0);
  glUniform1i(glGetUniformLocation(prog, "u_n"), n_);
  glUniform1i(glGetUniformLocation(prog, "u_rows"), rows_);
  glUniform1i(glGetUniformLocation(prog, "u_count"), rows);
  glUniform1i(glGetUniformLocation(prog, "u_newest"), newest_);
  glBindVertexArray(vao_.id());
  attrib(0, colors_.id(), 4, GL_UNSIGNED_BYTE, true, 0, 0, 1);
  glDrawArraysInstanced(GL_LINE_STRIP, 0, rows, n_);
  glBindVertexArray(0);
  glBindTexture(GL_TEXTURE_BUFFER, 0);
}

}  // namespace driftlab::app::render
