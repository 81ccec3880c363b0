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
  std::uint64_t restarts = 0, cuts = 0;
};

void fillColumns(HistoryColumns& c, const std::vector<Metrics>& rows) {
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
}

void rebuild(HistoryColumns& c, const std::shared_ptr<const MetricHistory>& h) {
  c.source = h;
  c.restarts = h->restarts;
  c.cuts = h->cuts;
  fillColumns(c, h->rows);
  c.marker_step.clear();
  c.marker_time.clear();
  for (const auto& mk : h->markers) {
    c.marker_step.push_back(static_cast<double>(mk.step));
    c.marker_time.push_back(mk.time);
  }
}

// the whole history as CSV (the CLI's metric columns), for pasting into a spreadsheet or notebook;
// with an A/B fork both sides, told apart by a first column `run` (as driftlab-cli run --fork-at)
std::string historyCsv(const MetricHistory& h, const MetricHistory* other, int focus) {
  std::string out = other ? "run," : "";
  bool first = true;
  for (const auto& c : metricsColumns()) {
    out += (first ? "" : ",") + c;
    first = false;
  }
  // then the mode-mass columns, as the CLI writes them (a run's number of modes is fixed)
  for (const auto& c : modeMassColumns(h.rows.empty() ? 0 : static_cast<int>(h.rows.front().mode_share.size())))
    out += "," + c;
  out += "\n";
  const MetricHistory* a = other && focus == 1 ? other : &h;
  const MetricHistory* b = other ? (focus == 1 ? &h : other) : nullptr;
  for (const MetricHistory* side : {a, b}) {
    if (!side) continue;
    const std::string prefix = other ? (side == a ? "A," : "B,") : "";
    for (const auto& m : side->rows) out += prefix + formatMetricsRow(m) + formatModeMassCells(m) + "\n";
  }
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
  // an A/B fork's other side (dashed) and the faded branches of the timeline
  static HistoryColumns compare;
  static std::vector<HistoryColumns> branches;
  static std::shared_ptr<const MetricHistory> branches_source;
  const auto& history = frame != nullptr ? frame->history : nullptr;
  if (history && history != cols.source) {
    // a new run: the history restarts (empty, a Reset / New seed, or its last step is behind the
    // one shown without a branch cut); a row count that shrinks alone is the worker thinning a
    // full history, and a cut is the timeline branching, not a new run
    const bool behind = !history->rows.empty() && !cols.steps.empty() &&
                        static_cast<double>(history->rows.back().step) < cols.steps.back() &&
                        history->cuts == cols.cuts;
    const bool restarted = !cols.steps.empty() &&
                           (history->rows.empty() || history->restarts != cols.restarts || behind);
    if (restarted) ghost = cols;
    rebuild(cols, history);
  }
  if (history != branches_source) {
    branches_source = history;
    branches.clear();
    if (history)
      for (const MetricBranch& b : history->branches) {
        branches.emplace_back();
        fillColumns(branches.back(), b.rows);
      }
  }
  if (state.compare_history != compare.source) {
    compare = HistoryColumns{};
    if (state.compare_history) rebuild(compare, state.compare_history);
  }
  const bool split = state.split && compare.source != nullptr;

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
  if (ImGui::SmallButton("copy CSV") && history)
    ImGui::SetClipboardText(historyCsv(*history, split ? compare.source.get() : nullptr, state.focus).c_str());
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
  // generator mode: the objective column holds the training loss (= E||eta v||^2, THEORY.md §7.1)
  const bool generator = frame != nullptr && (frame->generator != nullptr);
  auto metricName = [generator](int m) { return generator && m == kObjective ? "loss" : kMetricNames[m]; };
  // the faded branches and the other side of a fork count in the range: both futures stay in view
  double x_end = xs.back();
  for (const HistoryColumns& b : branches) {
    const auto& bx = state.plot_vs_time ? b.times : b.steps;
    if (!bx.empty()) x_end = std::max(x_end, bx.back());
  }
  const auto& cx = state.plot_vs_time ? compare.times : compare.steps;
  if (split && !cx.empty()) x_end = std::max(x_end, cx.back());
  const double x0 = xs.front(), x1 = x_end > xs.front() ? x_end : xs.front() + 1.0;
  // in the split view every curve is named by its side: the focused one solid, the other dashed
  std::vector<std::string> side_labels;
  side_labels.reserve(2 * kNumMetrics);
  for (int m = 0; m < kNumMetrics; ++m) side_labels.push_back(std::string(metricName(m)) + (state.focus == 1 ? " B" : " A"));
  for (int m = 0; m < kNumMetrics; ++m) side_labels.push_back(std::string(metricName(m)) + (state.focus == 1 ? " A" : " B"));
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const float avail = ImGui::GetContentRegionAvail().y;
  const float h = std::max(90.f, (avail - spacing * (groups.size() - 1)) / static_cast<float>(groups.size()));
  bool any_hovered = false;
  double hovered_x = 0;
  std::string title;
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
    for (const HistoryColumns& b : branches) {
      const auto& bx = state.plot_vs_time ? b.times : b.steps;
      for (int m : g.metrics) {
        PlotSeries faint{metricName(m), bx.data(), b.y[m].data(), static_cast<int>(bx.size()), kMetricColors[m]};
        faint.faint = true;
        series.push_back(faint);
      }
    }
    for (int m : g.metrics)
      series.push_back({split ? side_labels[m].c_str() : metricName(m), xs.data(), cols.y[m].data(), n, kMetricColors[m]});
    if (split) {
      for (int m : g.metrics) {
        PlotSeries other{side_labels[kNumMetrics + m].c_str(), cx.data(), compare.y[m].data(), static_cast<int>(cx.size()),
                         kMetricColors[m]};
        other.dashed = true;
        series.push_back(other);
      }
    }
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
    opt.legend = g.metrics.size() > 1 || split;
    if (g.metrics.size() == 1 && g.metrics[0] == kModes) {  // counts: the whole range 0 .. K
      opt.y_min = -0.3;
      opt.y_max = cols.modes_total + 0.3;
      opt.integer_y = true;
    }
    opt.show_now = frame != nullptr && frame->step < frame->timeline.end_step;
    opt.now_x = frame != nullptr ? (state.plot_vs_time ? frame->time : static_cast<double>(frame->step)) : 0.0;
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
