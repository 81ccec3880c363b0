#version 330 core
// Fading trails. Past positions live in a ring buffer texture (u_history, RG32F, row r = one
// published frame, u_n particles per row). One line strip per instance (= particle); vertex k of
// the strip is the k-th oldest stored position; alpha grows with recency.
layout(location = 0) in vec4 a_color;  // per instance
uniform samplerBuffer u_history;
uniform vec4 u_view;
uniform int u_n;        // particles per row
uniform int u_rows;     // ring capacity (rows)
uniform int u_count;    // rows filled (<= u_rows)
uniform int u_newest;   // row index of the newest entry
out vec4 v_color;
void main() {
  int k = gl_VertexID;                       // 0 = oldest
  int row = (u_newest - (u_count - 1 - k) + 2 * u_rows) % u_rows;
  int particle = gl_InstanceID;              // rows hold the (subsampled) trail particles
  vec2 p = texelFetch(u_history, row * u_n + particle).xy;
  gl_Position = vec4((p - u_view.xy) * u_view.zw, 0.0, 1.0);
  float age = float(u_count - 1 - k) / float(max(u_count - 1, 1));
  v_color = vec4(a_color.rgb, a_color.a * (1.0 - age) * (1.0 - age));
}
