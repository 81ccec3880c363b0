// The plot widget (see plot_widget.hpp). The maths (ticks, ranges, decimation) is in
// plot_math.cpp and unit-tested; this file only maps to pixels and draws. Render thread only.
#include "plot_widget.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "plot_math.hpp"

namespace driftlab::app::ui {

namespace {

constexpr float kLeftMargin = 46.f;   // nominal room for y tick labels; the drawn margin fits the widest label
constexpr float kMarkerHitPx = 4.f;   // hover distance that lists a marker in the read-out
constexpr float kDashOn = 6.f, kDashOff = 4.f;  // dashed series: pixels drawn, pixels skipped

// a polyline drawn as dashes that continue across its vertices
void addDashedPolyline(ImDrawList* dl, const std::vector<ImVec2>& pts, ImU32 col) {
  float phase = 0.f;  // distance into the current dash + gap period
  for (std::size_t i = 1; i < pts.size(); ++i) {
    const ImVec2 a = pts[i - 1], b = pts[i];
    const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
    float at = 0.f;
    while (at < len) {
      const float in_period = std::fmod(phase + at, kDashOn + kDashOff);
      const bool on = in_period < kDashOn;
      const float step = std::min(len - at, on ? kDashOn - in_period : kDashOn + kDashOff - in_period);
      if (on && len > 0.f) {
        const float t0 = at / len, t1 = (at + step) / len;
        dl->AddLine(ImVec2(a.x + dx * t0, a.y + dy * t0), ImVec2(a.x + dx * t1, a.y + dy * t1), col, 1.0f);
      }
      at += std::max(step, 1e-3f);
    }
    phase = std::fmod(phase + len, kDashOn + kDashOff);
  }
}

// the legend's colour mark: a filled box, or two short dashes for a dashed series
void legendSwatch(ImDrawList* dl, ImVec2 at, float h, const PlotSeries& s) {
  if (!s.dashed) {
    dl->AddRectFilled(at, ImVec2(at.x + 9.f, at.y + h), s.color);
    return;
  }
  const float y = at.y + 0.5f * h;
  dl->AddLine(ImVec2(at.x, y), ImVec2(at.x + 3.5f, y), s.color, 2.f);
  dl->AddLine(ImVec2(at.x + 6.f, y), ImVec2(at.x + 9.5f, y), s.color, 2.f);
}

// the x range shared by all series (or the caller's), never empty
void xRange(std::span<const PlotSeries> series, const PlotOptions& opt, double& x0, double& x1) {
  if (opt.x_max > opt.x_min) {
    x0 = opt.x_min;
    x1 = opt.x_max;
    return;
  }
  x0 = INFINITY;
  x1 = -INFINITY;
  for (const auto& s : series) {
    if (s.count <= 0) continue;
    x0 = std::min(x0, s.xs[0]);
    x1 = std::max(x1, s.xs[s.count - 1]);
  }
  if (!(x0 < x1)) {  // no data or one x: a unit-wide window around it
    const double c = std::isfinite(x0) ? x0 : 0.0;
    x0 = c - 0.5;
    x1 = c + 0.5;
  }
}

// the samples of the non-faint series whose x lies in [x0, x1], as pointer + count per series
void visibleSamples(std::span<const PlotSeries> series, double x0, double x1, std::vector<const double*>& ys,
                    std::vector<int>& counts) {
  for (const auto& s : series) {
    if (s.faint || s.count <= 0) continue;
    const int b = static_cast<int>(std::lower_bound(s.xs, s.xs + s.count, x0) - s.xs);
    const int e = static_cast<int>(std::upper_bound(s.xs, s.xs + s.count, x1) - s.xs);
    ys.push_back(s.ys + b);
    counts.push_back(std::max(0, e - b));
  }
}

// y ticks of the axis range [t0, t1] (axis space), returned in value space
std::vector<double> axisTicks(double t0, double t1, AxisScale scale, double c, int max_ticks) {
  if (scale == AxisScale::Linear) return niceTicks(t0, t1, false, max_ticks);
  if (scale == AxisScale::Log) return niceTicks(std::pow(10.0, t0), std::pow(10.0, t1), true, max_ticks);
  // symlog: 0 and +-10^k inside the range, every n-th decade when there are too many
  std::vector<double> out;
  const int kmin = static_cast<int>(std::floor(std::log10(c))) - 1;
  const int kmax = static_cast<int>(std::ceil(std::log10(c) + std::max(std::fabs(t0), std::fabs(t1)))) + 1;
  std::vector<double> cand;
  if (t0 <= 0 && t1 >= 0) cand.push_back(0.0);
  for (int k = kmin; k <= kmax; ++k)
    for (double sgn : {-1.0, 1.0}) {
      const double v = sgn * std::pow(10.0, k);
      const double t = symlog(v, c);
      if (t >= t0 && t <= t1 && std::fabs(t) > 0.15) cand.push_back(v);  // not crowding 0
    }
  std::sort(cand.begin(), cand.end());
  const int every = std::max<int>(1, static_cast<int>((cand.size() + max_ticks - 1) / std::max(1, max_ticks)));
  for (std::size_t i = 0; i < cand.size(); ++i)
    if (cand[i] == 0.0 || static_cast<int>(i) % every == 0) out.push_back(cand[i]);
  return out;
}

std::string valueText(double v) {
  char buf[32];
  if (std::isnan(v)) return "-";
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

bool plotLines(const char* id, std::span<const PlotSeries> series, std::span<const PlotMarker> markers,
               const PlotOptions& opt, double* hovered_x) {
  ImGui::PushID(id);
  ImVec2 size = opt.size;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (size.x <= 0) size.x = std::max(avail.x, 120.f);
  if (size.y <= 0) size.y = std::max(avail.y, 80.f);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  // the invisible button reserves the area, gives hover state and keeps the canvas from reacting
  ImGui::InvisibleButton("##plot", size);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float text_h = ImGui::GetTextLineHeight();
  const float header_h = opt.title != nullptr ? text_h + 2.f : 2.f;    // title line above the frame
  if (size.x - kLeftMargin < 24.f || size.y - header_h - text_h < 24.f || !ImGui::IsItemVisible()) {
    ImGui::PopID();
    return hovered;
  }

  // ranges and the data -> pixel map; y in axis space (log10, symlog or linear)
  double x0, x1;
  xRange(series, opt, x0, x1);
  std::vector<const double*> vis;
  std::vector<int> vis_n;
  visibleSamples(series, x0, x1, vis, vis_n);
  const bool fixed_y = opt.y_max > opt.y_min && (!opt.log_y || opt.y_min > 0);
  const AxisScale scale = fixed_y ? (opt.log_y ? AxisScale::Log : AxisScale::Linear) : chooseScale(vis, vis_n, opt.log_y);
  const double c = scale == AxisScale::Symlog ? symlogConstant(vis, vis_n) : 1.0;
  double ty0 = 0, ty1 = 1;
  if (fixed_y) {
    ty0 = axisValue(opt.y_min, scale, c);
    ty1 = axisValue(opt.y_max, scale, c);
  } else {
    std::vector<double> t;
    for (std::size_t k = 0; k < vis.size(); ++k)
      for (int i = 0; i < vis_n[k]; ++i) {
        const double y = vis[k][i];
        t.push_back(std::isinf(y) ? y : axisValue(y, scale, c));
      }
    double lo = 0, hi = 0;
    if (!robustRange(t, 0.02, 0.98, 3.0, lo, hi)) {
      lo = 0.0;
      hi = 1.0;
    }
    double tmp[2] = {lo, hi};
    autoRange(tmp, 2, false, 0.06, ty0, ty1);  // 6 % padding; a flat curve gets a visible band
  }
  // y tick labels first: the left margin is the widest label, so none is clipped
  const float pre_h = (pos.y + size.y - text_h - 4.f) - (pos.y + header_h);
  auto yt = axisTicks(ty0, ty1, scale, c, std::max(2, static_cast<int>(pre_h / (text_h * 1.6f))));
  if (opt.integer_y)
    yt.erase(std::remove_if(yt.begin(), yt.end(), [](double v) { return v != std::round(v); }), yt.end());
  const double ystep = (scale == AxisScale::Linear && yt.size() > 1) ? yt[1] - yt[0] : 0.0;
  std::vector<std::string> ylabels;
  float label_w = 0.f;
  for (double v : yt) {
    ylabels.push_back(formatTick(v, ystep));
    label_w = std::max(label_w, ImGui::CalcTextSize(ylabels.back().c_str()).x);
  }
  const float left_margin = std::max(kLeftMargin * 0.6f, label_w + 6.f);
  const ImVec2 p0(pos.x + left_margin, pos.y + header_h);               // plot area, top left
  const ImVec2 p1(pos.x + size.x - 4.f, pos.y + size.y - text_h - 4.f);  // bottom right
  if (p1.x - p0.x < 20.f || p1.y - p0.y < 20.f) {
    ImGui::PopID();
    return hovered;
  }
  const float w = p1.x - p0.x, h = p1.y - p0.y;
  auto px = [&](double x) { return p0.x + static_cast<float>((x - x0) / (x1 - x0)) * w; };
  auto py = [&](double ty) { return p1.y - static_cast<float>((ty - ty0) / (ty1 - ty0)) * h; };

  // frame, grid and tick labels
  const ImU32 grid_col = ImGui::GetColorU32(ImGuiCol_Border, 0.5f);
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  dl->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg));
  float last_label_y = -1e9f;  // symlog packs 0 and +-10^k close together: labels never overlap
  for (std::size_t i = 0; i < yt.size(); ++i) {
    const float y = py(axisValue(yt[i], scale, c));
    if (y < p0.y - 1 || y > p1.y + 1) continue;
    dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), grid_col);
    if (std::fabs(y - last_label_y) < text_h) continue;
    last_label_y = y;
    const float tw = ImGui::CalcTextSize(ylabels[i].c_str()).x;
    dl->AddText(ImVec2(p0.x - tw - 3.f, std::clamp(y - text_h / 2, pos.y, p1.y - text_h / 2)), text_col,
                ylabels[i].c_str());
  }
  const auto xt = niceTicks(x0, x1, false, std::max(2, static_cast<int>(w / 50.f)));
  const double xstep = xt.size() > 1 ? xt[1] - xt[0] : 0.0;
  for (double v : xt) {
    const float x = px(v);
    if (x < p0.x - 1 || x > p1.x + 1) continue;
    dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p1.y), grid_col);
    const std::string s = formatTick(v, xstep);
    const float tw = ImGui::CalcTextSize(s.c_str()).x;
    dl->AddText(ImVec2(std::clamp(x - tw / 2, pos.x, p1.x - tw), p1.y + 2.f), text_col, s.c_str());
  }
  dl->AddRect(p0, p1, ImGui::GetColorU32(ImGuiCol_Border));
  if (scale == AxisScale::Symlog) dl->AddText(ImVec2(p1.x - ImGui::CalcTextSize("symlog").x - 2.f, p1.y - text_h), text_col, "symlog");

  dl->PushClipRect(p0, p1, true);
  // change markers: vertical lines; short labels ("h 0.52") from the most recent backwards (the
  // change the user just made matters most), in up to two staggered rows; the rest are counted
  const ImU32 marker_col = IM_COL32(255, 200, 80, 150);
  std::vector<std::string> mlabels;
  std::vector<float> mx_px, mw;
  for (auto it = markers.rbegin(); it != markers.rend(); ++it) {
    if (it->x < x0 || it->x > x1) continue;
    const float x = px(it->x);
    dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p1.y), marker_col, 1.f);
    mlabels.push_back(shortMarkerLabel(it->label));
    mx_px.push_back(x + 2.f);
    mw.push_back(ImGui::CalcTextSize(mlabels.back().c_str()).x);
  }
  std::vector<int> mrow;
  std::vector<float> mleft;
  const int dropped = placeLabels(mx_px, mw, p0.x, p1.x - 1.f, 2, 4.f, mrow, mleft);
  for (std::size_t i = 0; i < mlabels.size(); ++i) {
    if (mrow[i] < 0) continue;
    const ImVec2 a(mleft[i], p0.y + 1.f + static_cast<float>(mrow[i]) * text_h);
    dl->AddRectFilled(ImVec2(a.x - 1, a.y), ImVec2(a.x + mw[i] + 1, a.y + text_h), IM_COL32(0, 0, 0, 150));
    dl->AddText(a, IM_COL32(255, 210, 120, 230), mlabels[i].c_str());
  }
  if (dropped > 0) {
    const std::string more = "+" + std::to_string(dropped) + " more (hover)";
    const ImVec2 a(p0.x + 2.f, p0.y + 1.f + 2.f * text_h);
    dl->AddText(a, IM_COL32(255, 210, 120, 180), more.c_str());
  }
  // series, decimated to the point budget, in axis space; samples beyond the range are drawn on
  // the frame (clamped) with a small triangle pointing outwards
  const int n_series = std::max<int>(1, static_cast<int>(series.size()));
  const int columns = std::clamp(opt.max_points / (4 * n_series), 8, std::max(8, static_cast<int>(w)));
  DecimatedSeries dec;
  std::vector<ImVec2> pts;
  std::vector<double> t;
  std::vector<float> clip_px;  // pixel columns already marked (one mark per column and edge)
  const double tlo = std::min(ty0, ty1), thi = std::max(ty0, ty1);
  for (const auto& s : series) {
    if (s.count <= 0) continue;
    const ImU32 col = s.faint ? ((s.color & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 70)) : s.color;
    t.resize(static_cast<std::size_t>(s.count));
    for (int i = 0; i < s.count; ++i) {
      const double y = s.ys[i];
      double v = std::isinf(y) ? y : axisValue(y, scale, c);
      if (!std::isnan(v) && (v < tlo || v > thi)) {
        const bool top = v > thi;
        v = top ? thi : tlo;
        if (!s.faint && s.xs[i] >= x0 && s.xs[i] <= x1) {
          const float x = std::round(px(s.xs[i]) / 4.f) * 4.f;  // at most one mark per 4 px
          const float key = top ? x : -x - 1.f;
          if (std::find(clip_px.begin(), clip_px.end(), key) == clip_px.end()) {
            clip_px.push_back(key);
            const float ey = top ? p0.y : p1.y, d = top ? 5.f : -5.f;
            dl->AddTriangleFilled(ImVec2(x, ey), ImVec2(x - 3.f, ey + d), ImVec2(x + 3.f, ey + d), s.color);
          }
        }
      }
      t[static_cast<std::size_t>(i)] = v;
    }
    decimateMinMax(s.xs, t.data(), s.count, x0, x1, columns, false, dec);
    for (int r = 0; r < dec.runCount(); ++r) {
      pts.clear();
      for (int i = dec.run_starts[r]; i < dec.runEnd(r); ++i)
        pts.emplace_back(px(dec.points[i].x), py(dec.points[i].y));
      if (pts.size() == 1) dl->AddRectFilled(ImVec2(pts[0].x - 1, pts[0].y - 1), ImVec2(pts[0].x + 1, pts[0].y + 1), col);
      else if (s.dashed) addDashedPolyline(dl, pts, col);
      else dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, ImDrawFlags_None, 1.0f);
    }
  }
  // the step on screen, when the timeline is in the past
  if (opt.show_now && opt.now_x >= x0 && opt.now_x <= x1) {
    const float nx = px(opt.now_x);
    const ImU32 now_col = IM_COL32(255, 230, 140, 200);
    for (float y = p0.y; y < p1.y; y += 6.f) dl->AddLine(ImVec2(nx, y), ImVec2(nx, std::min(y + 3.f, p1.y)), now_col);
    dl->AddTriangleFilled(ImVec2(nx - 4.f, p0.y), ImVec2(nx + 4.f, p0.y), ImVec2(nx, p0.y + 6.f), now_col);
  }
  // linked cursor from another plot
  if (opt.show_cursor && !hovered && opt.cursor_x >= x0 && opt.cursor_x <= x1)
    dl->AddLine(ImVec2(px(opt.cursor_x), p0.y), ImVec2(px(opt.cursor_x), p1.y), ImGui::GetColorU32(ImGuiCol_Text, 0.35f));
  dl->PopClipRect();

  // title above the frame; the legend follows it on the same line when it fits, else it goes
  // inside the frame at the top right
  float legend_w = 0;
  for (const auto& s : series)
    if (!s.faint) legend_w += ImGui::CalcTextSize(s.label).x + 20.f;
  const ImU32 label_col = ImGui::GetColorU32(ImGuiCol_Text);
  float hx = p0.x;
  if (opt.title) {
    dl->AddText(ImVec2(hx, pos.y), label_col, opt.title);
    hx += ImGui::CalcTextSize(opt.title).x + 12.f;
  }
  if (opt.legend && !series.empty()) {
    if (opt.title && hx + legend_w <= p1.x) {
      for (const auto& s : series) {
        if (s.faint) continue;
        legendSwatch(dl, ImVec2(hx, pos.y + text_h * 0.35f), text_h * 0.3f, s);
        dl->AddText(ImVec2(hx + 12.f, pos.y), label_col, s.label);
        hx += ImGui::CalcTextSize(s.label).x + 20.f;
      }
    } else {
      float ly = p0.y + 2.f;
      for (const auto& s : series) {
        if (s.faint) continue;
        const float tw = ImGui::CalcTextSize(s.label).x;
        const ImVec2 a(p1.x - tw - 16.f, ly);
        dl->AddRectFilled(ImVec2(a.x - 2, a.y), ImVec2(p1.x - 2, a.y + text_h), IM_COL32(20, 20, 24, 200));
        legendSwatch(dl, ImVec2(a.x, a.y + text_h * 0.35f), text_h * 0.3f, s);
        dl->AddText(ImVec2(a.x + 12.f, a.y), label_col, s.label);
        ly += text_h;
      }
    }
  }

  // hover read-out: x, every series' y at its nearest sample, markers under the mouse
  if (hovered) {
    const float mx = std::clamp(ImGui::GetIO().MousePos.x, p0.x, p1.x);
    const double x = x0 + (mx - p0.x) / w * (x1 - x0);
    if (hovered_x) *hovered_x = x;
    dl->AddLine(ImVec2(mx, p0.y), ImVec2(mx, p1.y), ImGui::GetColorU32(ImGuiCol_Text, 0.5f));
    ImGui::BeginTooltip();
    ImGui::Text("%s = %s", opt.x_label, valueText(x).c_str());
    for (const auto& s : series) {
      if (s.faint) continue;
      const int i = nearestIndex(s.xs, s.count, x);
      if (i < 0) continue;
      const double y = s.ys[i];
      const double ty = axisValue(y, scale, c);
      if (std::isfinite(ty)) {
        const ImVec2 dot(px(s.xs[i]), py(ty));
        if (dot.x >= p0.x && dot.x <= p1.x && dot.y >= p0.y && dot.y <= p1.y) dl->AddCircleFilled(dot, 3.f, s.color);
      }
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(s.color), "%s: %s  (%s %s)", s.label, valueText(y).c_str(),
                         opt.x_label, valueText(s.xs[i]).c_str());
    }
    for (const auto& m : markers)
      if (std::fabs(px(m.x) - mx) <= kMarkerHitPx) ImGui::TextColored(ImVec4(1.f, 0.8f, 0.4f, 1.f), "| %s", m.label);
    ImGui::EndTooltip();
  }
  ImGui::PopID();
  return hovered;
}

}  // namespace driftlab::app::ui
