// drawUi: lays out the panels. ImGui 1.86 has no docking, so the windows get first-use
// positions relative to the display (controls left, plots right, status bar bottom) that the
// user may move; the shell persists them in its imgui.ini. Render thread only.
#include "ui.hpp"

#include <algorithm>

#include "imgui.h"
#include "panels.hpp"

namespace driftlab::app::ui {

void drawUi(const driftlab::Snapshot* frame, UiState& state, const UiActions& actions, const AppStatus& status) {
  const ImGuiIO& io = ImGui::GetIO();
  const float W = io.DisplaySize.x, H = io.DisplaySize.y;
  if (state.show_panels) {
    const float bottom = H - statusBarHeight();
    // controls: a column on the left (at 1280x720: 340 px)
    const float cw = std::clamp(W * 0.27f, 300.f, 420.f);
    ImGui::SetNextWindowPos(ImVec2(0, 0), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(cw, bottom), ImGuiCond_FirstUseEver);
    if (ImGui::Begin("Controls")) {
      ImGui::PushItemWidth(ImGui::GetWindowWidth() * 0.5f);
      drawControlsPanel(frame, state, actions);
      ImGui::PopItemWidth();
    }
    ImGui::End();
    // plots: a column on the right, small multiples stacked with linked x axes
    if (state.show_plots) {
      const float pw = std::clamp(W * 0.3f, 300.f, 560.f);
      ImGui::SetNextWindowPos(ImVec2(W - pw, 0), ImGuiCond_FirstUseEver);
      ImGui::SetNextWindowSize(ImVec2(pw, bottom), ImGuiCond_FirstUseEver);
      if (ImGui::Begin("Plots", &state.show_plots)) drawPlotsPanel(frame, state);
      ImGui::End();
    }
    drawStatusBar(frame, state, status);
  }
  drawHelpWindow(state);
}

}  // namespace driftlab::app::ui
