#version 330 core
// a world-space rectangle covering the grid field's cells; v_uv addresses the field texture
layout(location = 0) in vec2 a_corner;  // (0,0) .. (1,1)
uniform vec4 u_view;
uniform vec4 u_rect;  // x0, y0, x1, y1 of the cell edges
out vec2 v_uv;
void main() {
  vec2 world = mix(u_rect.xy, u_rect.zw, a_corner);
  gl_Position = vec4((world - u_view.xy) * u_view.zw, 0.0, 1.0);
  v_uv = a_corner;
}
