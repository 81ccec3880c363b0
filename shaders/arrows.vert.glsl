#version 330 core
// One instanced arrow glyph per instance. a_glyph = (kind, side, is_head): kind 0 = tail,
// 1 = neck, 2 = tip; side in {-1, 0, 1}. The arrow's world vector a_vec is already scaled by the
// arrow mode on the CPU; width and head size are in pixels so arrows stay legible at any zoom.
layout(location = 0) in vec3 a_glyph;
layout(location = 1) in vec2 a_base;
layout(location = 2) in vec2 a_vec;
layout(location = 3) in vec4 a_color;
uniform vec4 u_view;
uniform float u_pixels_per_unit;  // logical pixels per world unit
uniform float u_shaft_px;         // half width of the shaft
uniform float u_head_px;          // head length (its half width is 0.6 of it)
out vec4 v_color;
void main() {
  float len_px = length(a_vec) * u_pixels_per_unit;
  vec2 dir = len_px > 1e-6 ? a_vec / length(a_vec) : vec2(1.0, 0.0);
  vec2 perp = vec2(-dir.y, dir.x);
  float head = min(u_head_px, 0.5 * len_px);
  float along = a_glyph.x < 0.5 ? 0.0 : (a_glyph.x < 1.5 ? len_px - head : len_px);
  float half_w = a_glyph.z > 0.5 ? 0.6 * head + u_shaft_px * 0.5 : u_shaft_px;
  vec2 offset_px = dir * along + perp * (a_glyph.y * half_w);
  vec2 world = a_base + offset_px / u_pixels_per_unit;
  gl_Position = vec4((world - u_view.xy) * u_view.zw, 0.0, 1.0);
  v_color = a_color;
}
