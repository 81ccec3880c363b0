// The "Compare modes" window: the particle flow (explicit and JKO), DFM (oracle and learned) and
// the drifting generator on the run's target, as energy distance to fresh data against field
// evaluations on one plot (THEORY.md §12.5). The comparison runs on its own thread
// (comparison_job.hpp); this file only starts, cancels and reads it. Render thread only.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "comparison_job.hpp"
#include "driftlab/flow/datasets.hpp"
#include "imgui.h"
#include "panels.hpp"
#include "plot_widget.hpp"
#include "widgets.hpp"

namespace driftlab::app::ui {

namespace {

const ImU32 kCurveColors[] = {IM_COL32(90, 170, 255, 255), IM_COL32(120, 220, 120, 255), IM_COL32(255, 170, 60, 255),
                              IM_COL32(255, 110, 200, 255), IM_COL32(230, 230, 90, 255)};

// a built-in 2-D dataset, else eight Gaussians
std::string comparableTarget(const std::string& dataset) {
  if (isDatasetName(dataset) && dataset != "csv" && sampleDataset(dataset, 2, 1).points.rows() == 2) return dataset;
  return "eight_gaussians";
}

// the run's target when it is a built-in 2-D dataset in the plane, else eight Gaussians
std::string targetOf(const Snapshot* frame) {
  if (frame != nullptr && frame->data.rows() == 2 && frame->params.geometry == GeometryKind::Euclidean)
    return comparableTarget(frame->params.dataset);
  return "eight_gaussians";
}

void drawResult(const Comparison& c) {
  // x = log10(evaluations): the modes span 1 (the generator) to thousands (JKO)
  std::vector<std::vector<double>> xs(c.curves.size());
  std::vector<PlotSeries> series;
  double x_max = 0.0;
  std::vector<std::vector<double>> ys(c.curves.size());
  for (std::size_t k = 0; k < c.curves.size(); ++k) {
    for (const double e : c.curves[k].evaluations) xs[k].push_back(std::log10(std::max(1.0, e)));
    ys[k] = c.curves[k].energy;
    if (!xs[k].empty()) x_max = std::max(x_max, xs[k].back());
    // a mode measured once (the generator, at 1 evaluation) is a short dash at its x, so it shows
    if (xs[k].size() == 1) {
      xs[k].push_back(xs[k][0] + 0.08);
      ys[k].push_back(ys[k][0]);
    }
  }
  for (std::size_t k = 0; k < c.curves.size(); ++k) {
    PlotSeries s;
    s.label = c.curves[k].mode.c_str();
    s.xs = xs[k].data();
    s.ys = ys[k].data();
    s.count = int(xs[k].size());
    s.color = kCurveColors[k % 5];
    series.push_back(s);
  }
  const double floor_x[2] = {0.0, std::max(1.0, x_max)};
  const double floor_y[2] = {c.floor, c.floor};
  PlotSeries floor;
  floor.label = "floor (fresh vs fresh)";
  floor.xs = floor_x;
  floor.ys = floor_y;
  floor.count = 2;
  floor.color = IM_COL32(200, 200, 200, 255);
  floor.dashed = true;
  series.push_back(floor);
  PlotOptions opt;
  opt.log_y = true;
  opt.size = ImVec2(-1.f, 260.f);
  opt.title = "energy distance to fresh data vs log10 field evaluations";
  opt.x_label = "log10 evaluations";
  plotLines("##compare", series, {}, opt);
  if (ImGui::BeginTable("##compare_table", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp,
                        ImVec2(-1.f, 0.f))) {
    ImGui::TableSetupColumn("mode", ImGuiTableColumnFlags_WidthStretch, 1.4f);
    ImGui::TableSetupColumn("best / floor", ImGuiTableColumnFlags_WidthStretch, 1.f);
    ImGui::TableSetupColumn("at evaluations", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn("last / floor", ImGuiTableColumnFlags_WidthStretch, 1.f);
    ImGui::TableSetupColumn("seconds", ImGuiTableColumnFlags_WidthStretch, 0.8f);
    ImGui::TableHeadersRow();
    for (const ComparisonCurve& curve : c.curves) {
      if (curve.energy.empty()) continue;
      const auto best = std::min_element(curve.energy.begin(), curve.energy.end());
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(curve.mode.c_str());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", curve.note.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%.2f", *best / c.floor);
      ImGui::TableNextColumn();
      ImGui::Text("%.0f", curve.evaluations[std::size_t(best - curve.energy.begin())]);
      ImGui::TableNextColumn();
      ImGui::Text("%.2f", curve.energy.back() / c.floor);
      ImGui::TableNextColumn();
      ImGui::Text("%.1f", curve.seconds);
    }
    ImGui::EndTable();
  }
  ImGui::TextDisabled("%s, %d points each; hover a mode for what its points are", c.dataset.c_str(), c.samples);
}

}  // namespace

void startComparison(UiState& state, const std::string& dataset) {
  ComparisonOptions o;
  o.dataset = comparableTarget(dataset);
  state.show_comparison = true;
  state.comparison.reset();  // cancels and joins a running one
  state.comparison = std::make_shared<ComparisonJob>(o);
}

bool comparisonDone(const UiState& state) { return !state.comparison || state.comparison->done(); }

void drawComparisonWindow(const Snapshot* frame, UiState& state) {
  if (!state.show_comparison) return;
  // first use: over the canvas, beside the controls
  ImGui::SetNextWindowPos(ImVec2(state.free_x0 + 16.f, 40.f), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(560.f, 540.f), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowBgAlpha(0.96f);
  if (!ImGui::Begin("Compare modes", &state.show_comparison)) {
    ImGui::End();
    return;
  }
  const std::string target = targetOf(frame);
  ComparisonJob* job = state.comparison.get();
  const bool running = job != nullptr && !job->done();
  ImGui::TextWrapped("Drifting (particle flow), JKO, DFM with the oracle and the learned drift, and the drifting "
                     "generator on %s: how close each gets to fresh data for how many field evaluations.",
                     target.c_str());
  helpMarker("compare_modes");
  ImGui::BeginDisabled(running);
  if (ImGui::Button("Run comparison")) startComparison(state, target);
  ImGui::EndDisabled();
  if (running) {
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) state.comparison.reset();
  }
  job = state.comparison.get();
  if (job != nullptr && !job->done()) {
    char label[96];
    std::snprintf(label, sizeof label, "%s  %.0f %%", job->stage().c_str(), 100.0 * job->progress());
    ImGui::ProgressBar(float(job->progress()), ImVec2(-1.f, 0.f), label);
    ImGui::TextDisabled("about a minute on 2 cores; it shares them with the run (pause it to go faster)");
  } else if (job != nullptr && !job->error().empty()) {
    ImGui::TextColored(ImVec4(1.f, 0.35f, 0.3f, 1.f), "comparison failed: %s", job->error().c_str());
  } else if (job != nullptr && job->result() != nullptr) {
    drawResult(*job->result());
  }
  ImGui::End();
}

}  // namespace driftlab::app::ui
