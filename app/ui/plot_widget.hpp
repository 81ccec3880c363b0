// In-house line-plot widget on ImDrawList (STYLE.md L13; there is no ImPlot in Debian): axes,
// 1-2-5 ticks, decades on log-y (symlog when values are not all positive), values beyond a robust
// range clipped to the frame with a mark, several series, short non-overlapping
// change markers, legend, hover read-out and a linked cursor line. Series are decimated to
// min/max per pixel column so a plot never emits more than a few thousand vertices (the Debian
// ImGui keeps 16-bit ImDrawIdx). Render thread only.
#pragma once

#include <span>

#include "imgui.h"

namespace driftlab::app::ui {

struct PlotSeries {
  const char* label = "";
  const double* xs = nullptr;  // sorted non-decreasing
  const double* ys = nullptr;  // NaN = missing sample (a gap)
  int count = 0;
  ImU32 color = IM_COL32(255, 255, 255, 255);
  bool faint = false;  // a previous run's curve: drawn dimmed, not in the range, legend or read-out
  bool dashed = false; // the other side of an A/B fork: drawn dashed, in the range, legend and read-out
};

struct PlotMarker {  // one per mid-run parameter change
  double x = 0;
  const char* label = "";
};

struct PlotOptions {
  // log_y asks for a logarithmic axis: the plot uses log10 when every finite sample in view is
  // > 0 and symlog (sign(y) log10(1 + |y|/c)) when some are not, so a signed value is never dropped
  bool log_y = false;
  ImVec2 size{-1.f, 160.f};        // -1 = fill the available width
  double x_min = 0, x_max = 0;     // equal = fit to the data; the plots panel passes one range to link the plots
  double y_min = 0, y_max = 0;     // equal = fit to the visible data robustly (the 2nd-98th
                                   // percentile when outliers would squash the rest; values beyond
                                   // are drawn on the frame with a mark); a mode count uses [0, K]
  bool integer_y = false;          // counts: only whole-number y ticks
  const char* title = nullptr;     // drawn inside the frame, top left
  const char* x_label = "x";       // used in the hover read-out ("step", "t")
  bool legend = true;
  double cursor_x = 0;             // a vertical cursor line at this x when show_cursor (linked hover)
  bool show_cursor = false;
  double now_x = 0;                // the step on screen when it is in the past (timeline), drawn as
  bool show_now = false;           // ... a dotted line with a small triangle on top
  int max_points = 1600;           // decimation budget for all series together (about 2-4 vertices per point)
};

// Draws the plot as one item. Returns true while the mouse hovers it; then *hovered_x (if not
// null) receives the x under the mouse.
bool plotLines(const char* id, std::span<const PlotSeries> series, std::span<const PlotMarker> markers,
               const PlotOptions& opt, double* hovered_x = nullptr);

}  // namespace driftlab::app::ui
