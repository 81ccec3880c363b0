// The plots window: live curves of every metric in Snapshot::history against step or flow time,
// log-y toggle, linked x axes and hover cursor, change markers on every plot, legend.
// Small multiples: four grouped plots (distances, KDE divergences, objective, modes) or one per
// metric. Render thread only.
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "driftlab/field/metrics.hpp"
#include "imgui.h"
#include "panels.hpp"
#include "plot_widget.hpp"
#include "widgets.hpp"

namespace driftlab::app::ui {

namespace {

enum Metric { kMmd2, kEnergy, kSlicedW2, kKlQp, kKlPq, kChi2, kModes, kObjective, kNumMetrics };
constexpr const char* kMetricNames[kNumMetrics] = {"MMD^2", "energy", "sliced W2", "KL(q||p)",
                                                   "KL(p||q)", "chi2", "modes covered", "objective"};
constexpr ImU32 kMetricColors[kNumMetrics] = {
    IM_COL32(102, 194, 255, 255), IM_COL32(255, 170, 90, 255),  IM_COL32(140, 225, 120, 255),
    IM_COL32(240, 110, 110, 255), IM_COL32(200, 150, 255, 255), IM_COL32(255, 220, 90, 255),
    IM_COL32(120, 230, 220, 255), IM_COL32(235, 235, 235, 255)};

// column copies of the shared history, rebuilt only when the history object changes (the
// worker shares one MetricHistory between snapshots until a new row arrives)
struct HistoryColumns {
  std::shared_ptr<const MetricHistory> source;
  std::vector<double> steps, times;
  std::vector<double> y[kNumMetrics];
  std::vector<double> marker_step, marker_time;
  int modes_total = 0;
};

void rebuild(HistoryColumns& c, const std::shared_ptr<const MetricHistory>& h) {
  c.source = h;
  const auto& rows = h->rows;
  const std::size_t n = rows.size();
  c.steps.resize(n);
  c.times.resize(n);
  for (auto& v : c.y) v.resize(n);
  c.modes_total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Metrics& m = rows[i];
    c.steps[i] = static_cast<double>(m.step);
    c.times[i] = m.time;
    c.y[kMmd2][i] = m.mmd2;
    c.y[kEnergy][i] = m.energy;
    c.y[kSlicedW2][i] = m.sliced_w2;
    c.y[kKlQp][i] = m.kl_qp;
    c.y[kKlPq][i] = m.kl_pq;
    c.y[kChi2][i] = m.chi2;
    c.y[kModes][i] = m.modes_covered >= 0 ? m.modes_covered : NAN;  // -1 = not a mixture: a gap
    c.y[kObjective][i] = m.objective;
    c.modes_total = std::max(c.modes_total, m.modes_total);
  }
  c.marker_step.clear();
  c.marker_time.clear();
  for (const auto& mk : h->markers) {
    c.marker_step.push_back(static_cast<double>(mk.step));
    c.marker_time.push_back(mk.time);
  }
}

// the whole history as CSV (the CLI's metric columns), for pasting into a spreadsheet or notebook
std::string historyCsv(const MetricHistory& h) {
  std::string out;
  for (const auto& c : metricsColumns()) out += (out.empty() ? "" : ",") + c;
  // then the mode-mass columns, as the CLI writes them (a run's number of modes is fixed)
  for (const auto& c : modeMassColumns(h.rows.empty() ? 0 : static_cast<int>(h.rows.front().mode_share.size())))
    out += "," + c;
  out += "\n";
  for (const auto& m : h.rows) out += formatMetricsRow(m) + formatModeMassCells(m) + "\n";
  return out;
}


}  // namespace

std::vector<PlotGroup> plotGroups(bool grouped, bool mixture) {
  std::vector<PlotGroup> groups;
  if (grouped) {
    groups = {{"distances", {kMmd2, kEnergy, kSlicedW2}, true},
              {"KDE estimates", {kKlQp, kKlPq, kChi2}, true},
              {"objective", {kObjective}, true},
              {"modes covered", {kModes}, false}};
  } else {
    for (int m = 0; m < kNumMetrics; ++m) groups.push_back({kMetricNames[m], {m}, m != kModes});
  }
  if (!mixture)  // not a mixture: no mode plot
    groups.erase(std::remove_if(groups.begin(), groups.end(),
                                [](const PlotGroup& g) { return g.metrics.size() == 1 && g.metrics[0] == kModes; }),
                 groups.end());
  return groups;
}

void drawPlotsPanel(const Snapshot* frame, UiState& state) {
  static HistoryColumns cols;  // render thread only
  // the previous run's curves, drawn faintly after a reset or preset change until "clear"
  static HistoryColumns ghost;
  const auto& history = frame != nullptr ? frame->history : nullptr;
  if (history && history != cols.source) {
    // a new run: the history restarts (empty, or its last step is behind the one shown); a row
    // count that shrinks alone is the worker thinning a full history, not a new run
    const bool restarted = !cols.steps.empty() &&
                           (history->rows.empty() || static_cast<double>(history->rows.back().step) < cols.steps.back());
    if (restarted) ghost = cols;
    rebuild(cols, history);
  }

  // toolbar
  int x_axis = state.plot_vs_time ? 1 : 0;
  ImGui::RadioButton("step", &x_axis, 0);
  ImGui::SameLine();
  ImGui::RadioButton("flow time", &x_axis, 1);
  state.plot_vs_time = x_axis == 1;
  helpMarker("plots.x_axis");
  ImGui::SameLine();
  ImGui::Checkbox("log y", &state.log_y);
  helpMarker("plots.log_y");
  ImGui::SameLine();
  ImGui::Checkbox("grouped", &state.plots_grouped);
  helpMarker("plots.layout");
  ImGui::TextDisabled("metrics");
  helpMarker("plots.metrics");
  ImGui::SameLine();
  if (ImGui::SmallButton("copy CSV") && history) ImGui::SetClipboardText(historyCsv(*history).c_str());
  helpMarker("plots.copy_csv");
  if (!ghost.steps.empty()) {
    ImGui::SameLine();
    if (ImGui::SmallButton("clear previous")) ghost = HistoryColumns{};
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("the faint curves are the previous run's (before the last reset or preset change)");
  }

  const bool have = history && !cols.steps.empty();
  if (!have) {
    ImGui::TextDisabled(frame == nullptr ? "waiting for the engine..." : "no metrics yet (computed every few steps)");
    return;
  }
  const std::vector<double>& xs = state.plot_vs_time ? cols.times : cols.steps;
  const int n = static_cast<int>(xs.size());
  const auto& mx = state.plot_vs_time ? cols.marker_time : cols.marker_step;
  std::vector<PlotMarker> markers;
  for (std::size_t i = 0; i < mx.size(); ++i) markers.push_back({mx[i], history->markers[i].label.c_str()});

  const std::vector<PlotGroup> groups = plotGroups(state.plots_grouped, cols.modes_total > 0);
  // linked x axes: every plot shows the whole run; one hover cursor for all
  const double x0 = xs.front(), x1 = xs.back() > xs.front() ? xs.back() : xs.front() + 1.0;
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const float avail = ImGui::GetContentRegionAvail().y;
  const float h = std::max(90.f, (avail - spacing * (groups.size() - 1)) / static_cast<float>(groups.size()));
  bool any_hovered = false;
  double hovered_x = 0;
  std::string title;
  // generator mode: the objective column holds the training loss (= E||eta v||^2, THEORY.md §7.1)
  const bool generator = frame != nullptr && (frame->generator != nullptr);
  auto metricName = [generator](int m) { return generator && m == kObjective ? "loss" : kMetricNames[m]; };
  for (const auto& g : groups) {
    std::vector<PlotSeries> series;
    const std::vector<double>& gx = state.plot_vs_time ? ghost.times : ghost.steps;
    for (int m : g.metrics) {
      if (!gx.empty()) {
        PlotSeries faint{metricName(m), gx.data(), ghost.y[m].data(), static_cast<int>(gx.size()), kMetricColors[m]};
        faint.faint = true;
        series.push_back(faint);
      }
    }
    for (int m : g.metrics) series.push_back({metricName(m), xs.data(), cols.y[m].data(), n, kMetricColors[m]});
    title = g.title;
    if (generator && g.metrics.size() == 1 && g.metrics[0] == kObjective) title = "loss (training)";
    if (g.metrics.size() == 1 && g.metrics[0] == kModes) title += " (of " + std::to_string(cols.modes_total) + ")";
    PlotOptions opt;
    opt.log_y = state.log_y && g.allow_log;
    opt.size = ImVec2(-1.f, h);
    opt.x_min = x0;
    opt.x_max = x1;
    opt.title = title.c_str();
    opt.x_label = state.plot_vs_time ? "t" : "step";
    opt.legend = g.metrics.size() > 1;
    if (g.metrics.size() == 1 && g.metrics[0] == kModes) {  // counts: the whole range 0 .. K
      opt.y_min = -0.3;
      opt.y_max = cols.modes_total + 0.3;
      opt.integer_y = true;
    }
    opt.cursor_x = state.plot_cursor_x;
    opt.show_cursor = state.plot_cursor;
    double hx = 0;
    if (plotLines(g.title, series, markers, opt, &hx)) {
      any_hovered = true;
      hovered_x = hx;
    }
  }
  state.plot_cursor = any_hovered;
  state.plot_cursor_x = hovered_x;
}

}  // namespace driftlab::app::ui
