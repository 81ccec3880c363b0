#version 330 core
// scalar field -> colour map lookup; NaN (non-integrable kernel) is transparent
in vec2 v_uv;
uniform sampler2D u_field;  // R32F, linear filtering
uniform sampler2D u_lut;    // 256 x 1 RGBA8
uniform vec2 u_range;       // value mapped to 0 and to 1
uniform float u_opacity;
uniform int u_fade_neutral;  // diverging maps: the neutral centre fades to transparent (equilibrium = no colour)
out vec4 o_color;
void main() {
  float v = texture(u_field, v_uv).r;
  if (isnan(v) || isinf(v)) discard;
  float t = clamp((v - u_range.x) / max(u_range.y - u_range.x, 1e-20), 0.0, 1.0);
  vec3 c = texture(u_lut, vec2(t * (255.0 / 256.0) + 0.5 / 256.0, 0.5)).rgb;
  float a = u_opacity;
  if (u_fade_neutral != 0) a *= clamp(abs(t - 0.5) * 3.0, 0.0, 1.0);
  o_color = vec4(c, a);
}
