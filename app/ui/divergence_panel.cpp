// The divergence-mixture section: one weight slider per base field (0 = off), quick buttons for
// the paper's mix and for each single divergence, alpha, the chi2 convention (an option because
// THEORY.md §14 marks the paper's constant as unverified), leave-one-out and plug-in vs exact
// smoothed velocity (THEORY.md §5.4). Render thread only.
#include <string>

#include "driftlab/field/divergence.hpp"
#include "imgui.h"
#include "panels.hpp"
#include "widgets.hpp"

namespace driftlab::app::ui {

namespace {

bool allZero(const DivergenceWeights& w) {
  for (double v : w.w)
    if (v > 0) return false;
  return true;
}

// a small button that wraps to the next line when the row is full
bool wrappingButton(const char* label, bool first) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const float w = ImGui::CalcTextSize(label).x + st.FramePadding.x * 2;
  if (!first) {
    const float right = ImGui::GetItemRectMax().x + st.ItemSpacing.x + w;
    if (right < ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
  }
  return ImGui::SmallButton(label);
}

}  // namespace

void drawDivergenceSection(const Snapshot* frame, ParamShadow& s, const UiActions& actions) {
  FlowParams& p = s.params;
  ImGui::TextDisabled("weights (0 = off)");
  helpMarker("weights");

  // quick settings
  if (ImGui::SmallButton("mixed (paper)")) {
    p.weights = DivergenceWeights::mixedDefault();
    sendShadow(frame, s, actions);
  }
  helpMarker("weights.mixed");
  ImGui::TextDisabled("single:");
  helpMarker("weights.single");
  for (int i = 0; i < kNumDivergences; ++i) {
    const auto d = static_cast<Divergence>(i);
    ImGui::PushID(i);
    if (wrappingButton(divergenceName(d), i == 0)) {
      p.weights = DivergenceWeights::single(d);
      sendShadow(frame, s, actions);
    }
    ImGui::PopID();
  }

  // one slider per divergence; an all-zero mixture is refused (the engine needs a field)
  for (int i = 0; i < kNumDivergences; ++i) {
    const auto d = static_cast<Divergence>(i);
    const bool active = p.weights.w[i] > 0;
    if (active) ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(0.22f, 0.36f, 0.52f, 0.7f));
    sliderDouble(divergenceName(d), &p.weights.w[i], 0.0, 2.0, "%.2f");
    if (active) ImGui::PopStyleColor();
    if (editFinished()) {
      if (allZero(p.weights)) {
        s.local_error = "weights: at least one divergence weight must be > 0";
        s.local_error_time = ImGui::GetTime();
        p.weights = frame != nullptr ? frame->params.weights : DivergenceWeights::mixedDefault();  // the engine's
      } else {
        sendShadow(frame, s, actions);
      }
    }
    helpMarker((std::string("weights.") + divergenceName(d)).c_str());
  }

  // alpha (only used by the alpha divergence)
  ImGui::BeginDisabled(p.weights[Divergence::Alpha] <= 0);
  sliderDouble("alpha value", &p.alpha, -2.0, 4.0, "%.2f");
  if (editFinished()) sendShadow(frame, s, actions);
  ImGui::EndDisabled();
  helpMarker("alpha");

  // chi2 convention
  int chi2 = static_cast<int>(p.chi2);
  ImGui::TextUnformatted("chi2");
  ImGui::SameLine();
  bool changed = ImGui::RadioButton("full 2q/p", &chi2, static_cast<int>(Chi2Convention::Full));
  ImGui::SameLine();
  changed |= ImGui::RadioButton("half q/p", &chi2, static_cast<int>(Chi2Convention::Half));
  helpMarker("chi2");
  if (changed && chi2 != static_cast<int>(p.chi2)) {
    p.chi2 = static_cast<Chi2Convention>(chi2);
    sendShadow(frame, s, actions);
  }

  // leave-one-out and the velocity estimator
  if (ImGui::Checkbox("leave-one-out", &p.leave_one_out)) sendShadow(frame, s, actions);
  helpMarker("leave_one_out");
  int mode = static_cast<int>(p.velocity_mode);
  changed = ImGui::RadioButton("plug-in", &mode, static_cast<int>(VelocityMode::PlugIn));
  ImGui::SameLine();
  changed |= ImGui::RadioButton("exact smoothed", &mode, static_cast<int>(VelocityMode::ExactSmoothed));
  helpMarker("velocity");
  if (changed && mode != static_cast<int>(p.velocity_mode)) {
    p.velocity_mode = static_cast<VelocityMode>(mode);
    sendShadow(frame, s, actions);
  }
  if (p.velocity_mode == VelocityMode::ExactSmoothed) {
    ImGui::SliderInt("smoothed grid", &p.smoothed_grid, 16, 256, "%d", ImGuiSliderFlags_AlwaysClamp);
    if (editFinished()) sendShadow(frame, s, actions);
    helpMarker("smoothed_grid");
  }
}

}  // namespace driftlab::app::ui
