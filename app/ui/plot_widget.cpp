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

constexpr float kLeftMargin = 46.f;   // room for y tick labels such as "1e-05"
constexpr float kMarkerHitPx = 4.f;   // hover distance that lists a marker in the read-out

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

// the y range of the samples whose x lies in [x0, x1]; in value space (not log10)
void yRange(std::span<const PlotSeries> series, bool log_y, double x0, double x1, double& lo, double& hi) {
  double mn = INFINITY, mx = -INFINITY;
  bool any = false;
  for (const auto& s : series) {
    const int b = static_cast<int>(std::lower_bound(s.xs, s.xs + s.count, x0) - s.xs);
    const int e = static_cast<int>(std::upper_bound(s.xs, s.xs + s.count, x1) - s.xs);
    double l = 0, h = 0;
    if (e > b && autoRange(s.ys + b, e - b, log_y, 0.0, l, h)) {
      mn = std::min(mn, l);
      mx = std::max(mx, h);
      any = true;
    }
  }
  if (!any) {
    autoRange(nullptr, 0, log_y, 0.0, lo, hi);
    return;
  }
  // pad 6 % of the span (in decades on log axes) so curves do not touch the frame
  double tmp[2] = {mn, mx};
  autoRange(tmp, 2, log_y, 0.06, lo, hi);
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
  const ImVec2 p0(pos.x + kLeftMargin, pos.y + header_h);             // plot area, top left
  const ImVec2 p1(pos.x + size.x - 4.f, pos.y + size.y - text_h - 4.f);  // bottom right
  if (p1.x - p0.x < 20.f || p1.y - p0.y < 20.f || !ImGui::IsItemVisible()) {
    ImGui::PopID();
    return hovered;
  }

  // ranges and the data -> pixel map (y in log10 on log axes)
  double x0, x1, ylo, yhi;
  xRange(series, opt, x0, x1);
  if (opt.y_max > opt.y_min && (!opt.log_y || opt.y_min > 0)) {
    ylo = opt.y_min;
    yhi = opt.y_max;
  } else {
    yRange(series, opt.log_y, x0, x1, ylo, yhi);
  }
  const double ty0 = opt.log_y ? std::log10(ylo) : ylo, ty1 = opt.log_y ? std::log10(yhi) : yhi;
  const float w = p1.x - p0.x, h = p1.y - p0.y;
  auto px = [&](double x) { return p0.x + static_cast<float>((x - x0) / (x1 - x0)) * w; };
  auto py = [&](double ty) { return p1.y - static_cast<float>((ty - ty0) / (ty1 - ty0)) * h; };

  // frame, grid and tick labels
  const ImU32 grid_col = ImGui::GetColorU32(ImGuiCol_Border, 0.5f);
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  dl->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg));
  auto yt = niceTicks(ylo, yhi, opt.log_y, std::max(2, static_cast<int>(h / (text_h * 1.6f))));
  if (opt.integer_y)
    yt.erase(std::remove_if(yt.begin(), yt.end(), [](double v) { return v != std::round(v); }), yt.end());
  const double ystep = (!opt.log_y && yt.size() > 1) ? yt[1] - yt[0] : 0.0;
  for (double v : yt) {
    const float y = py(opt.log_y ? std::log10(v) : v);
    if (y < p0.y - 1 || y > p1.y + 1) continue;
    dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), grid_col);
    const std::string s = formatTick(v, ystep);
    const float tw = ImGui::CalcTextSize(s.c_str()).x;
    dl->AddText(ImVec2(p0.x - tw - 3.f, std::clamp(y - text_h / 2, pos.y, p1.y - text_h / 2)), text_col, s.c_str());
  }
  const auto xt = niceTicks(x0, x1, false, std::max(2, static_cast<int>(w / 50.f)));
  const double xstep = xt.size() > 1 ? xt[1] - xt[0] : 0.0;
  for (double v : xt) {
    const float x = px(v);
    if (x < p0.x - 1 || x > p1.x + 1) continue;
    dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p1.y), grid_col);
    const std::string s = formatTick(v, xstep);
    const float tw = ImGui::CalcTextSize(s.c_str()).x;
    dl->AddText(ImVec2(std::clamp(x - tw / 2, p0.x - 8.f, p1.x - tw), p1.y + 2.f), text_col, s.c_str());
  }
  dl->AddRect(p0, p1, ImGui::GetColorU32(ImGuiCol_Border));

  dl->PushClipRect(p0, p1, true);
  // change markers: vertical lines; labels from the most recent backwards (the change the user
  // just made matters most), each only where it does not overlap a label already drawn
  const ImU32 marker_col = IM_COL32(255, 200, 80, 150);
  float next_label_start = p1.x + 1e4f;
  for (auto it = markers.rbegin(); it != markers.rend(); ++it) {
    if (it->x < x0 || it->x > x1) continue;
    const float x = px(it->x);
    dl->AddLine(ImVec2(x, p0.y), ImVec2(x, p1.y), marker_col, 1.f);
    const float tw = ImGui::CalcTextSize(it->label).x;
    const float lx = std::min(x + 2.f, p1.x - tw - 1.f);  // near the right edge: left of the line
    if (lx + tw + 6.f <= next_label_start && lx >= p0.x) {
      const ImVec2 a(lx, p0.y + 1.f);
      dl->AddRectFilled(ImVec2(a.x - 1, a.y), ImVec2(a.x + tw + 1, a.y + text_h), IM_COL32(0, 0, 0, 150));
      dl->AddText(a, IM_COL32(255, 210, 120, 230), it->label);
      next_label_start = lx;
    }
  }
  // series, decimated to the point budget
  const int n_series = std::max<int>(1, static_cast<int>(series.size()));
  const int columns = std::clamp(opt.max_points / (4 * n_series), 8, std::max(8, static_cast<int>(w)));
  DecimatedSeries dec;
  std::vector<ImVec2> pts;
  for (const auto& s : series) {
    if (s.count <= 0) continue;
    decimateMinMax(s.xs, s.ys, s.count, x0, x1, columns, opt.log_y, dec);
    for (int r = 0; r < dec.runCount(); ++r) {
      pts.clear();
      for (int i = dec.run_starts[r]; i < dec.runEnd(r); ++i)
        pts.emplace_back(px(dec.points[i].x), py(dec.points[i].y));
      if (pts.size() == 1) dl->AddRectFilled(ImVec2(pts[0].x - 1, pts[0].y - 1), ImVec2(pts[0].x + 1, pts[0].y + 1), s.color);
      else dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), s.color, ImDrawFlags_None, 1.0f);
    }
  }
  // linked cursor from another plot
  if (opt.show_cursor && !hovered && opt.cursor_x >= x0 && opt.cursor_x <= x1)
    dl->AddLine(ImVec2(px(opt.cursor_x), p0.y), ImVec2(px(opt.cursor_x), p1.y), ImGui::GetColorU32(ImGuiCol_Text, 0.35f));
  dl->PopClipRect();

  // title above the frame; the legend follows it on the same line when it fits, else it goes
  // inside the frame at the top right
  float legend_w = 0;
  for (const auto& s : series) legend_w += ImGui::CalcTextSize(s.label).x + 20.f;
  const ImU32 label_col = ImGui::GetColorU32(ImGuiCol_Text);
  float hx = p0.x;
  if (opt.title) {
    dl->AddText(ImVec2(hx, pos.y), label_col, opt.title);
    hx += ImGui::CalcTextSize(opt.title).x + 12.f;
  }
  if (opt.legend && !series.empty()) {
    if (opt.title && hx + legend_w <= p1.x) {
      for (const auto& s : series) {
        dl->AddRectFilled(ImVec2(hx, pos.y + text_h * 0.35f), ImVec2(hx + 9.f, pos.y + text_h * 0.65f), s.color);
        dl->AddText(ImVec2(hx + 12.f, pos.y), label_col, s.label);
        hx += ImGui::CalcTextSize(s.label).x + 20.f;
      }
    } else {
      float ly = p0.y + 2.f;
      for (const auto& s : series) {
        const float tw = ImGui::CalcTextSize(s.label).x;
        const ImVec2 a(p1.x - tw - 16.f, ly);
        dl->AddRectFilled(ImVec2(a.x - 2, a.y), ImVec2(p1.x - 2, a.y + text_h), IM_COL32(20, 20, 24, 200));
        dl->AddRectFilled(ImVec2(a.x, a.y + text_h * 0.35f), ImVec2(a.x + 9.f, a.y + text_h * 0.65f), s.color);
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
      const int i = nearestIndex(s.xs, s.count, x);
      if (i < 0) continue;
      const double y = s.ys[i];
      const bool drawable = std::isfinite(y) && (!opt.log_y || y > 0);
      if (drawable) {
        const ImVec2 c(px(s.xs[i]), py(opt.log_y ? std::log10(y) : y));
        if (c.x >= p0.x && c.x <= p1.x && c.y >= p0.y && c.y <= p1.y) dl->AddCircleFilled(c, 3.f, s.color);
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
