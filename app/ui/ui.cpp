// drawUi: lays out the panels. ImGui 1.86 has no docking, so the windows get first-use
// positions relative to the display (controls left, plots right, images and equations between them,
// status bar bottom) that the user may move; the shell persists them in its imgui.ini. Render thread only.
#include "ui.hpp"

#include <algorithm>

#include "imgui.h"
#include "comparison_job.hpp"
#include "panels.hpp"

namespace driftlab::app::ui {

void drawUi(const driftlab::Snapshot* frame, UiState& state, const UiActions& actions, const AppStatus& status) {
  const ImGuiIO& io = ImGui::GetIO();
  const float W = io.DisplaySize.x, H = io.DisplaySize.y;
  state.free_x0 = 0;
  state.free_x1 = W;
  // a side panel counts when it touches the left/right edge (the user may have moved it away)
  auto coverEdges = [&]() {
    const ImVec2 p = ImGui::GetWindowPos(), s = ImGui::GetWindowSize();
    if (ImGui::IsWindowCollapsed()) return;
    if (p.x <= 1.f) state.free_x0 = std::max(state.free_x0, p.x + s.x);
    else if (p.x + s.x >= W - 1.f) state.free_x1 = std::min(state.free_x1, p.x);
  };
  if (state.show_panels) {
    const float bottom = H - statusBarHeight();
    // controls: a column on the left (at 1280x720: 340 px)
    const float cw = std::clamp(W * 0.27f, 300.f, 420.f);
    ImGui::SetNextWindowPos(ImVec2(0, 0), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(cw, bottom), ImGuiCond_FirstUseEver);
    if (ImGui::Begin("Controls")) {
      coverEdges();
      ImGui::PushItemWidth(ImGui::GetWindowWidth() * 0.5f);
      drawControlsPanel(frame, state, actions, status);
      ImGui::PopItemWidth();
    }
    ImGui::End();
    // plots: a column on the right, small multiples stacked with linked x axes
    const float pw = std::clamp(W * 0.3f, 300.f, 560.f);
    if (state.show_plots) {
      ImGui::SetNextWindowPos(ImVec2(W - pw, 0), ImGuiCond_FirstUseEver);
      ImGui::SetNextWindowSize(ImVec2(pw, bottom), ImGuiCond_FirstUseEver);
      if (ImGui::Begin("Plots", &state.show_plots)) {
        coverEdges();
        // mode mass above the curves: the plots take the height that is left
        if (ImGui::CollapsingHeader("Mode mass", ImGuiTreeNodeFlags_DefaultOpen)) drawModeSharePanel(frame);
        drawPlotsPanel(frame, state);
      }
      ImGui::End();
    }
    // images: over the canvas between the two columns, for image-like data only
    drawImagesWindow(frame, state, cw + 8.f, 8.f, std::max(320.f, W - cw - pw - 16.f), std::min(bottom - 16.f, 560.f));
    drawStatusBar(frame, state, status);
  }
  drawHelpWindow(state);
  drawComparisonWindow(frame, state);
  drawLessonHighlight(state);
  // equations (E): over the canvas along its bottom, between the two columns
  const float left = std::clamp(W * 0.27f, 300.f, 420.f) + 8.f, right = W - std::clamp(W * 0.3f, 300.f, 560.f) - 8.f;
  drawEquationsWindow(frame, state, left, H - statusBarHeight() - 8.f, std::max(420.f, right - left));
}

}  // namespace driftlab::app::ui
