#include "render/overlays.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "imgui.h"

namespace driftlab::app::render {

namespace {

ImU32 col(Rgb c, float a = 1.f) { return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, a)); }

const ImU32 kText = IM_COL32(220, 224, 232, 255);
const ImU32 kDim = IM_COL32(150, 156, 168, 255);
const ImU32 kBox = IM_COL32(16, 18, 24, 200);

void textShadow(ImDrawList* dl, ImVec2 p, ImU32 c, const char* s) {
  dl->AddText(ImVec2(p.x + 1, p.y + 1), IM_COL32(0, 0, 0, 200), s);
  dl->AddText(p, c, s);
}

float nice(float raw) {
  if (!(raw > 0) || !std::isfinite(raw)) return 1.f;
  float p = std::pow(10.f, std::floor(std::log10(raw)));
  float f = raw / p;
  return (f < 1.5f ? 1.f : f < 3.5f ? 2.f : f < 7.5f ? 5.f : 10.f) * p;
}

void gridLabels(ImDrawList* dl, const Camera& cam, float step, const std::array<float, 4>& fr) {
  auto r = cam.visibleRect();
  char buf[32];
  for (float x = std::ceil(r[0] / step) * step; x <= r[2]; x += step) {
    Vec2f s = cam.worldToScreen({x, 0});
    if (s.x < fr[0] + 2 || s.x > fr[2] - 30) continue;
    std::snprintf(buf, sizeof buf, "%s", formatTick(x, step).c_str());
    textShadow(dl, ImVec2(s.x + 3, fr[3] - 18), kDim, buf);
  }
  for (float y = std::ceil(r[1] / step) * step; y <= r[3]; y += step) {
    Vec2f s = cam.worldToScreen({0, y});
    if (s.y > fr[3] - 24 || s.y < fr[1] + 16) continue;
    std::snprintf(buf, sizeof buf, "%s", formatTick(y, step).c_str());
    textShadow(dl, ImVec2(fr[0] + 4, s.y - 15), kDim, buf);
  }
}

// colour bar with ticks, anchored at its top-right corner
float colorBar(ImDrawList* dl, const HeatLegend& h, ImVec2 top_right) {
  const float w = std::max(220.f, ImGui::CalcTextSize(h.title.c_str()).x), bar_h = 12;  // the title fits
  ImVec2 p0(top_right.x - w, top_right.y);
  dl->AddRectFilled(ImVec2(p0.x - 8, p0.y - 4), ImVec2(top_right.x + 8, p0.y + 56), kBox, 4);
  textShadow(dl, ImVec2(p0.x, p0.y), kText, h.title.c_str());
  float y = p0.y + 20;
  if (!h.note.empty()) {
    textShadow(dl, ImVec2(p0.x, y), IM_COL32(255, 200, 90, 255), h.note.c_str());
    return 60;
  }
  constexpr int kSteps = 48;
  for (int i = 0; i < kSteps; ++i) {
    float t0 = static_cast<float>(i) / kSteps, t1 = static_cast<float>(i + 1) / kSteps;
    dl->AddRectFilledMultiColor(ImVec2(p0.x + w * t0, y), ImVec2(p0.x + w * t1, y + bar_h),
                                col(sampleColorMap(h.map, t0)), col(sampleColorMap(h.map, t1)),
                                col(sampleColorMap(h.map, t1)), col(sampleColorMap(h.map, t0)));
  }
  float step = nice((h.hi - h.lo) / 4.f);
  for (float v = std::ceil(h.lo / step) * step; v <= h.hi + step * 1e-3f; v += step) {
    float x = p0.x + w * (v - h.lo) / std::max(h.hi - h.lo, 1e-20f);
    dl->AddLine(ImVec2(x, y + bar_h), ImVec2(x, y + bar_h + 4), kText);
    std::string s = formatTick(v, step);
    float tw = ImGui::CalcTextSize(s.c_str()).x;
    textShadow(dl, ImVec2(std::clamp(x - tw / 2, p0.x - 6, top_right.x + 6 - tw), y + bar_h + 4), kText, s.c_str());
  }
  return 64;
}

float arrowLegend(ImDrawList* dl, const ArrowLegend& a, const Camera& cam, ImVec2 top_right) {
  char line1[128], line2[128] = "";
  float ref_len = 0, ref_speed = 0;
  if (a.mode == ArrowMode::TrueLength) {
    // a reference arrow of a round speed, drawn at the locked scale
    float ppu_per_speed = cam.pixelsPerUnit() * a.world_per_speed;
    ref_speed = nice(70.f / std::max(ppu_per_speed, 1e-20f));
    ref_len = ref_speed * ppu_per_speed;
    std::snprintf(line1, sizeof line1, "arrow = |v| of %s", formatTick(ref_speed, ref_speed).c_str());
    if (a.clipped > 0)
      std::snprintf(line2, sizeof line2, "locked scale; %d faded arrows clipped; max |v| %.3g", a.clipped, a.max_speed);
    else
      std::snprintf(line2, sizeof line2, "true length, locked scale; max |v| %.3g", a.max_speed);
  } else if (a.mode == ArrowMode::Proportional) {
    std::snprintf(line1, sizeof line1, "length ~ |v| up to p90 = %.2g", a.p90);
    std::snprintf(line2, sizeof line2, "p90 %s; %d faded: clipped; max %.2g", a.p90_in_box ? "near data" : "of view",
                  a.clipped, a.max_speed);
  } else if (a.mode == ArrowMode::Normalized) {
    std::snprintf(line1, sizeof line1, "arrows: direction of v");
    std::snprintf(line2, sizeof line2, "colour/opacity = |v|, max %.3g", a.max_speed);
  } else {
    std::snprintf(line1, sizeof line1, "arrow length ~ log(1 + |v|/v0)");
    std::snprintf(line2, sizeof line2, "v0 = max|v|/1000, max |v| %.3g", a.max_speed);
  }
  float w = std::max(ImGui::CalcTextSize(line1).x + ref_len + 8, ImGui::CalcTextSize(line2).x);
  for (const auto& e : a.entries) w = std::max(w, ImGui::CalcTextSize(e.first.c_str()).x + 16);
  float height = 10 + 18 * (2.f + static_cast<float>(a.entries.size()));
  ImVec2 p0(top_right.x - w, top_right.y);
  dl->AddRectFilled(ImVec2(p0.x - 8, p0.y - 4), ImVec2(top_right.x + 8, p0.y + height - 6), kBox, 4);
  float y = p0.y;
  if (ref_len > 0) {
    float ay = y + 8;
    dl->AddLine(ImVec2(p0.x, ay), ImVec2(p0.x + ref_len - 6, ay), kText, 2.f);
    dl->AddTriangleFilled(ImVec2(p0.x + ref_len, ay), ImVec2(p0.x + ref_len - 8, ay - 4),
                          ImVec2(p0.x + ref_len - 8, ay + 4), kText);
  }
  textShadow(dl, ImVec2(p0.x + (ref_len > 0 ? ref_len + 8 : 0), y), kText, line1);
  y += 18;
  textShadow(dl, ImVec2(p0.x, y), kDim, line2);
  y += 18;
  for (const auto& [name, c] : a.entries) {
    dl->AddRectFilled(ImVec2(p0.x, y + 3), ImVec2(p0.x + 10, y + 13), col(c));
    textShadow(dl, ImVec2(p0.x + 16, y), kText, name.c_str());
    y += 18;
  }
  return height + 6;
}

void probeBox(ImDrawList* dl, const Camera& cam, const ProbeReadout& p) {
  char buf[384];
  int n = std::snprintf(buf, sizeof buf, "x = (%.4g, %.4g)\n%s = (%.4g, %.4g)  |%s| = %.4g", p.at.x, p.at.y, p.v_name,
                        p.v.x, p.v.y, p.v_name, std::hypot(p.v.x, p.v.y));
  if (p.has_split && n > 0 && n < static_cast<int>(sizeof buf))
    n += std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), "\nattraction |.| = %.4g\nrepulsion  |.| = %.4g",
                       std::hypot(p.attraction.x, p.attraction.y), std::hypot(p.repulsion.x, p.repulsion.y));
  if (p.has_density && n > 0 && n < static_cast<int>(sizeof buf))
    std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), "\nlog p = %.4g  log q = %.4g", p.log_p, p.log_q);
  Vec2f s = cam.worldToScreen(p.at);
  ImVec2 size = ImGui::CalcTextSize(buf);
  // a probe far outside the view (a script may click at 1e37) keeps its box on screen: ImGui's
  // rounded rectangles misbehave on coordinates of that size, and the readout stays readable
  // (a split-view pane's camera starts at its screen offset)
  const float x0 = cam.screenOffset();
  const float max_x = x0 + std::max(0.f, cam.viewportWidth() - size.x - 20), max_y = std::max(0.f, cam.viewportHeight() - size.y - 14);
  const float sx = std::isfinite(s.x) ? s.x : x0, sy = std::isfinite(s.y) ? s.y : 0.f;
  ImVec2 a(std::clamp(sx + 14, x0 + 6.f, max_x + 6), std::clamp(sy + 10, 4.f, max_y + 4));
  dl->AddRectFilled(ImVec2(a.x - 6, a.y - 4), ImVec2(a.x + size.x + 6, a.y + size.y + 4), kBox, 4);
  dl->AddText(a, IM_COL32(255, 170, 230, 255), buf);
}

void kernelInset(ImDrawList* dl, const KernelSpec& k, ImVec2 at) {
  // kappa(r) / kappa(0) over r in [0, 3h], normalized shape; THEORY.md §2.1
  const float w = 120, h = 56;
  dl->AddRectFilled(at, ImVec2(at.x + w, at.y + h + 16), kBox, 4);
  KernelEvaluator ev(k, 2);
  double l0 = ev.logValue(0.0);
  ImVec2 pts[41];
  for (int i = 0; i <= 40; ++i) {
    double r = 3.0 * k.h * i / 40.0;
    double v = std::exp(ev.logValue(r * r) - l0);
    pts[i] = ImVec2(at.x + 4 + (w - 8) * static_cast<float>(i) / 40.f,
                    at.y + 4 + (h - 8) * (1.f - static_cast<float>(std::clamp(v, 0.0, 1.0))));
  }
  dl->AddPolyline(pts, 41, IM_COL32(120, 220, 255, 255), 0, 1.5f);
  float xh = at.x + 4 + (w - 8) / 3.f;
  dl->AddLine(ImVec2(xh, at.y + 4), ImVec2(xh, at.y + h - 4), IM_COL32(255, 255, 255, 90));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s h=%.3g", kernelName(k.kind), k.h);
  dl->AddText(ImVec2(at.x + 4, at.y + h), kDim, buf);
}

// d > 2: which plane is shown and why the field layers are missing, anchored at its top-right
// corner; returns its height
float projectionBox(ImDrawList* dl, const ViewProjection& p, const ViewOptions& view, ImVec2 top_right) {
  const char* shown = view.projection == ProjectionKind::Coordinates ? "showing two coordinates"
                      : view.projection == ProjectionKind::Random    ? "showing a random projection"
                                                                     : "showing the PCA projection";
  const std::string title = "view: " + p.label();
  const char* need = "heat maps and the quiver grid need d = 2;";
  const float w = std::max(ImGui::CalcTextSize(title.c_str()).x, ImGui::CalcTextSize(need).x);
  const ImVec2 p0(top_right.x - w, top_right.y);
  dl->AddRectFilled(ImVec2(p0.x - 8, p0.y - 4), ImVec2(top_right.x + 8, p0.y + 56), kBox, 4);
  textShadow(dl, p0, kText, title.c_str());
  textShadow(dl, ImVec2(p0.x, p0.y + 18), IM_COL32(255, 200, 90, 255), need);
  textShadow(dl, ImVec2(p0.x, p0.y + 36), IM_COL32(255, 200, 90, 255), shown);
  return 68;
}

// the 3-D sphere view: what it shows and how to move it, in the bottom-left corner of the free
// canvas (the sphere is a disc in its middle: a corner is the one place it never covers)
void sphereBox(ImDrawList* dl, const ViewOptions& view, const std::array<float, 4>& fr) {
  const char* title = "S^2 in 3-D: drag rotates, wheel zooms";
  const char* mouse = "F: north up";
  const char* need = "heat map and quiver on the surface";
  const char* arrows = "arrows: tangent v, ~ |v| up to p90";
  const bool with_arrows = view.show_particle_arrows;
  float w = std::max({ImGui::CalcTextSize(title).x, ImGui::CalcTextSize(mouse).x, ImGui::CalcTextSize(need).x});
  if (with_arrows) w = std::max(w, ImGui::CalcTextSize(arrows).x);
  const float lines = with_arrows ? 4.f : 3.f;
  const ImVec2 p0(fr[0] + 14, fr[3] - 18 * lines - 10);
  dl->AddRectFilled(ImVec2(p0.x - 8, p0.y - 4), ImVec2(p0.x + w + 8, p0.y + 18 * lines + 2), kBox, 4);
  textShadow(dl, p0, kText, title);
  textShadow(dl, ImVec2(p0.x, p0.y + 18), kDim, mouse);
  textShadow(dl, ImVec2(p0.x, p0.y + 36), IM_COL32(255, 200, 90, 255), need);
  if (with_arrows) textShadow(dl, ImVec2(p0.x, p0.y + 54), kDim, arrows);
}

}  // namespace

std::string formatTick(double value, double step) {
  char buf[32];
  if (std::fabs(value) < std::fabs(step) * 1e-6) value = 0;
  double a = std::fabs(step);
  if (a >= 1e-3 && a < 1e5) {
    int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(a) - 1e-9)));
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  } else {
    std::snprintf(buf, sizeof buf, "%.0e", value);
  }
  return buf;
}

// mode dfm (THEORY.md §12.2): the source's 1 s0 and 2 s0 circles, bridge sample paths from a
// source draw to a data point (blue at t = 0 to orange at t = 1) with a dot where each bridge
// is at the sampler's time, and the time in the canvas's top-left corner (it shows in recordings)
void dfmOverlay(ImDrawList* dl, const Camera& cam, const Scene::DfmOverlay& d, const ViewOptions& view,
                const std::array<float, 4>& fr) {
  const Vec2f o = cam.worldToScreen({0.f, 0.f});
  const float ppu = cam.pixelsPerUnit();
  const ImU32 ring = IM_COL32(120, 170, 255, 150);
  for (const float k : {1.f, 2.f})
    dl->AddCircle(ImVec2(o.x, o.y), k * float(d.source_std) * ppu, ring, 96, 1.2f);
  textShadow(dl, ImVec2(o.x + 2.f * float(d.source_std) * ppu * 0.7071f + 4.f, o.y - 2.f * float(d.source_std) * ppu * 0.7071f - 14.f),
             ring, "source N(0, s0^2 I): 1 and 2 s0");
  if (view.show_bridge_paths && d.paths > 0 && d.knots > 0 &&
      d.bridge_paths.size() == std::size_t(2 * d.paths * (d.knots + 1))) {
    std::vector<ImVec2> pts(std::size_t(d.knots + 1));
    for (int p = 0; p < d.paths; ++p) {
      const float* base = d.bridge_paths.data() + std::size_t(2 * p * (d.knots + 1));
      for (int k = 0; k <= d.knots; ++k) {
        const Vec2f s = cam.worldToScreen({base[2 * k], base[2 * k + 1]});
        pts[std::size_t(k)] = ImVec2(s.x, s.y);
      }
      for (int k = 0; k < d.knots; ++k) {
        const float u = float(k) / float(d.knots);
        const ImU32 c = IM_COL32(int(90 + 165 * u), int(150 - 10 * u), int(255 - 200 * u), 190);
        dl->AddLine(pts[std::size_t(k)], pts[std::size_t(k + 1)], c, 2.f);
      }
      // where this bridge is at the sampler's time (knots are at k / knots)
      const float at = float(std::clamp(d.t, 0.0, 1.0)) * float(d.knots);
      const int k0 = std::min(int(at), d.knots - 1);
      const float f = at - float(k0);
      const ImVec2 a = pts[std::size_t(k0)], b = pts[std::size_t(k0 + 1)];
      dl->AddCircleFilled(ImVec2(a.x + f * (b.x - a.x), a.y + f * (b.y - a.y)), 3.5f, IM_COL32(255, 255, 255, 220));
    }
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "DFM  t = %.3f of %.3f", d.t, d.t_end);
  textShadow(dl, ImVec2(fr[0] + 12.f, fr[1] + 10.f), IM_COL32(255, 255, 255, 235), buf);
}

void drawCanvasOverlays(const Camera& cam, const Scene& scene, const ViewOptions& view, const OverlayInputs& in) {
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  std::array<float, 4> fr = in.free_rect;
  if (!(fr[2] > fr[0])) fr = {cam.screenOffset(), 0, cam.screenOffset() + cam.viewportWidth(), cam.viewportHeight()};
  // legends stacked in the top-right corner of the free canvas
  ImVec2 tr(fr[2] - 14, fr[1] + 12);
  if (scene.sphereMode()) {  // no plane: no tick labels or 2-D probe; the heat map's colour bar
    sphereBox(dl, view, fr);
    if (view.show_colorbar && view.heat_map != HeatMap::None && scene.heatLegend().visible) colorBar(dl, scene.heatLegend(), tr);
    return;
  }
  if (view.show_grid) gridLabels(dl, cam, scene.gridStep(), fr);
  if (scene.dfmOverlay().active) dfmOverlay(dl, cam, scene.dfmOverlay(), view, fr);
  if (scene.projection().active()) tr.y += projectionBox(dl, scene.projection(), view, tr);
  if (view.show_colorbar && view.heat_map != HeatMap::None && scene.heatLegend().visible && !scene.projection().active())
    tr.y += colorBar(dl, scene.heatLegend(), tr);
  if (view.show_colorbar && scene.arrowLegend().visible) tr.y += arrowLegend(dl, scene.arrowLegend(), cam, tr);
  if (in.probe) probeBox(dl, cam, *in.probe);
  if (view.show_kernel_profile && in.cursor_world && in.kernel && in.kernel->h > 0)
    kernelInset(dl, *in.kernel, ImVec2(in.cursor_screen.x + 18, in.cursor_screen.y + 18));
}

// x(phi) = cos(r) c + sin(r) (cos(phi) e1 + sin(phi) e2) with e1, e2 an orthonormal basis of the
// tangent plane at c (THEORY.md §10.1: the exponential map at c of the tangent circle of length r)
void drawGeodesicCircle(const OrbitCamera& cam, Vec3f c, float radius) {
  if (!(radius > 0.f) || !std::isfinite(radius)) return;
  const Vec3f a = std::fabs(c.z) < 0.9f ? Vec3f{0, 0, 1} : Vec3f{1, 0, 0};
  const Vec3f e1 = normalized(cross(c, a)), e2 = cross(c, e1);
  const float cr = std::cos(radius), sr = std::sin(radius);
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  constexpr int kSegments = 96;
  std::optional<Vec2f> prev;
  for (int i = 0; i <= kSegments; ++i) {
    const float phi = 6.2831853f * static_cast<float>(i) / kSegments;
    const float ca = std::cos(phi), sa = std::sin(phi);
    const Vec3f p{cr * c.x + sr * (ca * e1.x + sa * e2.x), cr * c.y + sr * (ca * e1.y + sa * e2.y),
                  cr * c.z + sr * (ca * e1.z + sa * e2.z)};
    const std::optional<Vec2f> s = cam.facesCamera(p) ? cam.toScreen(p) : std::nullopt;
    if (s && prev) dl->AddLine(ImVec2(prev->x, prev->y), ImVec2(s->x, s->y), IM_COL32(255, 255, 255, 170), 1.5f);
    prev = s;
  }
}

void drawSphereProbe(const OrbitCamera& cam, const SphereProbeReadout& p) {
  if (!cam.facesCamera(p.at)) return;  // on the far side: turn the globe to see it again
  const std::optional<Vec2f> base = cam.toScreen(p.at);
  if (!base) return;
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  const ImU32 colour = IM_COL32(255, 90, 200, 255);  // the plane probe's colour
  dl->AddCircle(ImVec2(base->x, base->y), 5.f, colour, 16, 2.f);
  const float speed = std::sqrt(dot(p.v, p.v));
  if (speed > 0 && std::isfinite(speed)) {
    // 60 px on screen whatever |v| (its value is printed): a short step along v, projected
    const Vec3f dir{p.v.x / speed, p.v.y / speed, p.v.z / speed};
    const Vec3f ahead{p.at.x + 0.05f * dir.x, p.at.y + 0.05f * dir.y, p.at.z + 0.05f * dir.z};
    if (const std::optional<Vec2f> tip = cam.toScreen(ahead)) {
      const float dx = tip->x - base->x, dy = tip->y - base->y, len = std::hypot(dx, dy);
      if (len > 1e-3f) {
        const ImVec2 b(base->x, base->y), t(base->x + 60.f * dx / len, base->y + 60.f * dy / len);
        dl->AddLine(b, t, colour, 2.f);
        const ImVec2 u(dx / len, dy / len), n(-u.y, u.x);
        dl->AddTriangleFilled(t, ImVec2(t.x - 9 * u.x + 4.5f * n.x, t.y - 9 * u.y + 4.5f * n.y),
                              ImVec2(t.x - 9 * u.x - 4.5f * n.x, t.y - 9 * u.y - 4.5f * n.y), colour);
      }
    }
  }
  const double lat = std::asin(std::clamp(static_cast<double>(p.at.z), -1.0, 1.0)) * 180.0 / 3.14159265358979;
  const double lon = std::atan2(static_cast<double>(p.at.y), static_cast<double>(p.at.x)) * 180.0 / 3.14159265358979;
  char buf[320];
  int n = std::snprintf(buf, sizeof buf, "x = (%.3f, %.3f, %.3f)\nlongitude %.1f deg, latitude %.1f deg\n|v| = %.4g (tangent)",
                        p.at.x, p.at.y, p.at.z, lon, lat, speed);
  if (p.has_density && n > 0 && n < static_cast<int>(sizeof buf))
    std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), "\nlog p = %.4g  log q = %.4g (on S^2)", p.log_p, p.log_q);
  const ImVec2 size = ImGui::CalcTextSize(buf);
  const ImVec2 a(std::clamp(base->x + 14, 6.f, std::max(6.f, cam.viewportLeft() + cam.viewportWidth() - size.x - 10)),
                 std::clamp(base->y + 10, 4.f, std::max(4.f, cam.viewportHeight() - size.y - 10)));
  dl->AddRectFilled(ImVec2(a.x - 6, a.y - 4), ImVec2(a.x + size.x + 6, a.y + size.y + 4), kBox, 4);
  dl->AddText(a, IM_COL32(255, 170, 230, 255), buf);
}

}  // namespace driftlab::app::render
