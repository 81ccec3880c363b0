#version 330 core
// Particles (q) and data (p) as point sprites. u_view = (cx, cy, 2s/w, 2s/h): world -> NDC.
layout(location = 0) in vec2 a_position;
layout(location = 1) in vec4 a_color;
uniform vec4 u_view;
uniform float u_point_size;  // framebuffer pixels
out vec4 v_color;
void main() {
  gl_Position = vec4((a_position - u_view.xy) * u_view.zw, 0.0, 1.0);
  gl_PointSize = u_point_size;
  v_color = a_color;
}
