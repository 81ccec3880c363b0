#include "shortcuts.hpp"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include "imgui.h"

namespace driftlab::app {

void handleShortcuts(ui::UiState& ui, const ShortcutActions& a) {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureKeyboard) return;
  // ImGui 1.86: IsKeyPressed takes GLFW key codes (TOOLCHAIN.md §8); repeat only for single steps
  auto pressed = [](int key, bool repeat = false) { return ImGui::IsKeyPressed(key, repeat); };
  auto call = [](const std::function<void()>& f) {
    if (f) f();
  };
  if (io.KeyCtrl || io.KeyAlt || io.KeySuper) return;
  if (pressed(GLFW_KEY_SPACE)) call(a.toggle_pause);
  if (pressed(GLFW_KEY_RIGHT, true)) call(a.step_once);
  if (pressed(GLFW_KEY_LEFT, true)) call(a.step_back);
  if (pressed(GLFW_KEY_B)) call(a.fork);
  if (pressed(GLFW_KEY_O)) call(a.swap_focus);
  if (pressed(GLFW_KEY_R)) call(a.reset);
  if (pressed(GLFW_KEY_N)) call(a.new_seed);
  if (pressed(GLFW_KEY_F12)) call(a.screenshot);
  if (pressed(GLFW_KEY_F9)) call(io.KeyShift ? a.record_from_reset : a.toggle_recording);
  // GLFW names keys by their US-layout position: [ and ] are the two keys right of P
  if (pressed(GLFW_KEY_LEFT_BRACKET, true)) call(a.slower);
  if (pressed(GLFW_KEY_RIGHT_BRACKET, true)) call(a.faster);
  if (pressed(GLFW_KEY_F)) call(a.fit_view);
  if (pressed(GLFW_KEY_H)) ui.show_help = !ui.show_help;
  if (pressed(GLFW_KEY_I)) ui.view.images.show = !ui.view.images.show;
  if (pressed(GLFW_KEY_E)) ui.view.show_equations = !ui.view.show_equations;
  if (pressed(GLFW_KEY_TAB)) ui.show_panels = !ui.show_panels;
  if (pressed(GLFW_KEY_P)) ui.view.presenter = !ui.view.presenter;
  if (pressed(GLFW_KEY_ESCAPE)) ui.view.picked_particle = -1;
  const CanvasTool tools[] = {CanvasTool::Probe, CanvasTool::Pick, CanvasTool::Brush,
                              CanvasTool::Erase, CanvasTool::DragParticle, CanvasTool::DropBlob};
  for (int i = 0; i < 6; ++i)
    if (pressed(GLFW_KEY_1 + i)) ui.view.tool = tools[i];
}

}  // namespace driftlab::app
