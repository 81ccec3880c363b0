// The "Diffusion Flow Matching" section of the controls window (mode dfm, THEORY.md §12): the
// sampler's time as a slider over the recorded run (Seek), the drift (oracle or learned) and its
// training, which arrows the canvas shows, the bridge paths, and the share of samples that sit on
// training points. Render thread only.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "imgui.h"
#include "panels.hpp"
#include "plot_widget.hpp"
#include "widgets.hpp"

namespace driftlab::app::ui {

namespace {

// the share above which the panel names the memorization (THEORY.md §12.3 measures 97 % with
// sigma = 0 and 55 % with sigma = 0.5, against 63 % for fresh draws of the same law)
constexpr double kCopyShareNote = 0.9;

void drawTimeSlider(const Snapshot& frame, const DfmView& d, const UiActions& actions) {
  const double dt = d.steps > 0 ? d.t_end / double(d.steps) : 1.0;
  // the slider reaches as far as the run has been: replayed from keyframes, bit for bit
  const long recorded = std::max(frame.timeline.end_step, frame.step);
  const long first = std::min(frame.timeline.first_step, frame.step);
  // step k of the run is sampler step k - (run steps before the particles left the source): DFM
  // restarts its clock with the particles, and the run's steps count on
  const long offset = frame.step - d.step;
  float t = float(d.t);
  const float t_lo = float(std::max<long>(0, first - offset) * dt);
  const float t_hi = float(std::min<long>(d.steps, std::max<long>(0, recorded - offset)) * dt);
  ImGui::BeginDisabled(!(t_hi > t_lo));
  const bool moved = ImGui::SliderFloat("t", &t, t_lo, std::max(t_hi, t_lo + 1e-6f), "%.3f", ImGuiSliderFlags_AlwaysClamp);
  ImGui::EndDisabled();
  helpMarker("dfm_time");
  if (moved && actions.seek) actions.seek(offset + long(std::lround(double(t) / dt)));
  ImGui::TextDisabled("step %ld of %ld  (t ends at %.4g)", d.step, d.steps, d.t_end);
  if (t_hi < float(d.t_end) - 1e-6f) {
    ImGui::SameLine();
    ImGui::TextDisabled("- Play to go further");
  }
}

void drawDriftChoice(const Snapshot& frame, const DfmView& d, UiState& state, const UiActions& actions) {
  int drift = static_cast<int>(frame.params.dfm_drift);
  const int before = drift;
  ImGui::TextUnformatted("drift");
  ImGui::SameLine();
  ImGui::RadioButton("oracle", &drift, static_cast<int>(DfmDriftKind::Oracle));
  ImGui::SameLine();
  ImGui::RadioButton("learned", &drift, static_cast<int>(DfmDriftKind::Learned));
  helpMarker("dfm.drift");
  if (drift != before && actions.send)
    actions.send(cmd::SetParam{std::string("dfm.drift=") + dfmDriftKindName(static_cast<DfmDriftKind>(drift))});
  if (!d.learned) return;
  if (!d.learned_ready) {
    ImGui::TextColored(ImVec4(1.f, 0.8f, 0.3f, 1.f), "training the drift: %d Adam steps on bridge samples (Play / Step)...",
                       frame.params.dfm_train_steps);
    return;
  }
  // the training loss: most of it is Var(X_1 | X_t), which no drift removes (THEORY.md §12.4)
  const std::size_t n = d.learned_loss.size();
  std::vector<double> xs, ys;
  const std::size_t stride = std::max<std::size_t>(1, n / 400);
  for (std::size_t k = 0; k < n; k += stride) {
    double mean = 0.0;
    const std::size_t end = std::min(n, k + stride);
    for (std::size_t j = k; j < end; ++j) mean += d.learned_loss[j];
    xs.push_back(double(k));
    ys.push_back(mean / double(end - k));
  }
  ImGui::TextDisabled("trained in %.1f s, loss %.4f -> %.4f", d.train_seconds, n ? ys.front() : 0.0, n ? ys.back() : 0.0);
  PlotSeries series;
  series.label = "regression loss";
  series.xs = xs.data();
  series.ys = ys.data();
  series.count = int(xs.size());
  series.color = IM_COL32(255, 190, 90, 255);
  PlotOptions opt;
  opt.size = ImVec2(-1.f, 90.f);
  opt.title = "learned drift: training loss";
  opt.x_label = "Adam step";
  opt.legend = false;
  plotLines("##dfm_loss", std::span<const PlotSeries>(&series, 1), {}, opt);
  ImGui::TextUnformatted("arrows");
  ImGui::SameLine();
  bool oracle = state.view.dfm_oracle_arrows;
  if (ImGui::RadioButton("learned b_theta", !oracle)) oracle = false;
  ImGui::SameLine();
  if (ImGui::RadioButton("oracle b", oracle)) oracle = true;
  state.view.dfm_oracle_arrows = oracle;
  helpMarker("dfm_arrows");
}

}  // namespace

void drawDfmSection(const Snapshot* frame, UiState& state, const UiActions& actions) {
  if (frame == nullptr || !frame->dfm) return;
  const DfmView& d = *frame->dfm;
  drawTimeSlider(*frame, d, actions);
  drawDriftChoice(*frame, d, state, actions);
  ImGui::Checkbox("bridge paths and source", &state.view.show_bridge_paths);
  helpMarker("dfm_bridge");
  ImGui::Text("on training points: %.1f %% of samples within 1e-2", 100.0 * d.near_share);
  helpMarker("dfm_copies");
  if (d.near_share >= kCopyShareNote && d.t >= 0.9 * d.t_end) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.75f, 0.35f, 1.f));
    ImGui::TextWrapped("memorization: the samples sit on training points. The oracle drift is that of the empirical "
                       "data set, and as t -> 1 it carries each sample onto one of its points (THEORY.md §12.3).");
    ImGui::PopStyleColor();
  }
}

}  // namespace driftlab::app::ui
