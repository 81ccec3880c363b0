#version 330 core
// The unit sphere S^2 of the 3-D sphere view as a ray-cast impostor (no mesh, no depth buffer):
// each pixel's ray from the orbit camera is intersected with |x| = 1. The front surface is lit
// and drawn translucent, so points drawn before it (the back hemisphere) show through dimmed; a
// latitude/longitude grid every 30 degrees is drawn on the front surface, faintly on the back one.
// A heat map (log p, log q, log ratio, speed: the same fields and colours as the plane's) is
// looked up at each front point's longitude and latitude and shaded with the surface.
uniform vec3 u_eye;        // camera position (world)
uniform vec3 u_right;      // camera basis (world): screen right, screen up, into the screen
uniform vec3 u_up;
uniform vec3 u_forward;
uniform float u_focal;     // logical pixels per unit of tan(angle)
uniform vec2 u_principal;  // logical pixel the camera looks through (y down)
uniform float u_height;    // viewport height, logical pixels
uniform float u_origin_x;  // the viewport's left edge in the window, logical pixels (a split-view pane)
uniform float u_dpi;       // framebuffer pixels per logical pixel
uniform int u_grid;        // draw the latitude/longitude grid
uniform int u_heat;        // paint the heat map on the front surface
uniform sampler2D u_field; // longitude x latitude values over [-pi, pi] x [-pi/2, pi/2] (R32F, longitude repeats)
uniform sampler2D u_lut;   // 256 x 1 colour map
uniform vec2 u_range;      // value mapped to 0 and to 1
uniform float u_heat_opacity;
uniform int u_fade_neutral;  // diverging maps: the neutral centre fades out, as on the plane
out vec4 o_color;

const float kStep = 0.5235987756;  // 30 degrees

// geodesic distance (radians) from p to the nearest grid circle; equator gets its own
float gridDistance(vec3 p, out float equator) {
  float lat = asin(clamp(p.z, -1.0, 1.0));
  float dlat = abs(lat - kStep * round(lat / kStep));
  float lon = atan(p.y, p.x);
  float dlon = abs(lon - kStep * round(lon / kStep)) * cos(lat);
  equator = abs(lat);
  return min(dlat, dlon);
}

float line(float dist, float width) { return 1.0 - smoothstep(0.35 * width, 1.1 * width, dist); }

void main() {
  vec2 s = vec2(gl_FragCoord.x / u_dpi - u_origin_x, u_height - gl_FragCoord.y / u_dpi);
  vec3 d = normalize(u_forward + u_right * ((s.x - u_principal.x) / u_focal) - u_up * ((s.y - u_principal.y) / u_focal));
  float b = dot(u_eye, d), c = dot(u_eye, u_eye) - 1.0;
  float disc = b * b - c;
  if (disc <= 0.0) discard;
  float root = sqrt(disc);
  float t0 = -b - root, t1 = -b + root;
  if (t0 <= 0.0) discard;  // the camera is never inside the sphere (OrbitCamera::kMinDistance)
  vec3 p = u_eye + t0 * d, q = u_eye + t1 * d;
  // one framebuffer pixel in world units at the hit, widened where the surface is seen obliquely
  float pixel = t0 / (u_focal * u_dpi);
  float facing = max(-dot(d, p), 0.0);
  float w_front = pixel / sqrt(max(facing, 0.04)) * 1.3;
  float w_back = t1 / (u_focal * u_dpi) / sqrt(max(dot(d, q), 0.04)) * 1.3;

  // headlight from above-left of the viewer
  vec3 light = normalize(-u_forward + 0.6 * u_up - 0.4 * u_right);
  float diffuse = max(dot(p, light), 0.0);
  float spec = pow(max(dot(reflect(-light, p), -d), 0.0), 24.0);
  vec3 colour = vec3(0.13, 0.17, 0.25) * (0.6 + 0.85 * diffuse) + vec3(0.10) * spec;
  float alpha = 0.62;
  if (u_heat != 0) {
    vec2 uv = vec2(atan(p.y, p.x) / 6.2831853 + 0.5, asin(clamp(p.z, -1.0, 1.0)) / 3.1415927 + 0.5);
    float v = texture(u_field, uv).r;
    if (!isnan(v) && !isinf(v)) {
      float t = clamp((v - u_range.x) / max(u_range.y - u_range.x, 1e-20), 0.0, 1.0);
      vec3 heat = texture(u_lut, vec2(t * (255.0 / 256.0) + 0.5 / 256.0, 0.5)).rgb;
      float a = u_heat_opacity;
      if (u_fade_neutral != 0) a *= clamp(abs(t - 0.5) * 3.0, 0.0, 1.0);
      colour = mix(colour, heat * (0.55 + 0.55 * diffuse) + vec3(0.08) * spec, a);
      alpha = mix(alpha, 0.92, a);
    }
  }
  if (u_grid != 0) {
    float eq_b, eq_f;
    float back = line(gridDistance(q, eq_b), w_back);
    colour = mix(colour, vec3(0.55, 0.6, 0.7), 0.18 * back);
    float front = line(gridDistance(p, eq_f), w_front);
    float equator = line(eq_f, w_front * 1.6);
    colour = mix(colour, vec3(0.82, 0.87, 0.95), max(0.38 * front, 0.6 * equator));
  }
  // anti-aliased outline: a ray passing 1 - r from the rim has disc = 1 - r^2 ~ 2 (1 - r)
  float edge = clamp(disc / (3.0 * pixel), 0.0, 1.0);
  o_color = vec4(colour, alpha * edge);
}
