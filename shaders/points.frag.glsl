#version 330 core
// u_shape 0: filled disc with a dark rim (particles); 1: small square with a light core (data).
in vec4 v_color;
uniform int u_shape;
uniform float u_alpha;  // multiplies the point's alpha (presenter mode's data overdraw)
out vec4 o_color;
void main() {
  vec2 p = gl_PointCoord * 2.0 - 1.0;
  if (u_shape == 0) {
    float r = length(p);
    if (r > 1.0) discard;
    float rim = smoothstep(0.62, 0.9, r);
    o_color = vec4(mix(v_color.rgb, v_color.rgb * 0.25, rim), v_color.a * u_alpha);
  } else {
    float m = max(abs(p.x), abs(p.y));
    float edge = step(0.55, m);
    o_color = vec4(mix(v_color.rgb, v_color.rgb * 0.45, edge), v_color.a * u_alpha);
  }
}
