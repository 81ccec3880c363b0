// drawUi: lays out the panels (no docking in ImGui 1.86, so fixed first-use positions that the
// user may move; the shell persists them in its imgui.ini). Render thread only.
#include "ui.hpp"

#include "imgui.h"

namespace driftlab::app::ui {

void drawUi(const driftlab::Snapshot* frame, UiState& state, const UiActions& actions, const AppStatus& status) {
  (void)actions;
  if (!state.show_panels) return;
  ImGui::SetNextWindowPos(ImVec2(8, 8), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(340, 600), ImGuiCond_FirstUseEver);
  if (ImGui::Begin("Controls")) {
    if (frame == nullptr) ImGui::TextUnformatted("waiting for the engine...");
    else ImGui::Text("step %ld  t = %.3f", frame->step, frame->time);
    ImGui::Text("%.0f fps", static_cast<double>(status.ui_fps));
  }
  ImGui::End();
}

}  // namespace driftlab::app::ui
