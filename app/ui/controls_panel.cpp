// The "Run" part of the controls window: presets, scenario files, play/pause/step/reset/new
// seed, capture buttons; then the parameter sections (flow_params_panel.cpp) and the view
// section (view_panel.cpp). Render thread only.
#include <cstdint>
#include <random>

#include "driftlab/scenario.hpp"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "panels.hpp"
#include "widgets.hpp"

namespace driftlab::app::ui {

namespace {

void sendCommand(const UiActions& actions, Command c) {
  if (actions.send) actions.send(std::move(c));
}

void call(const std::function<void()>& f) {
  if (f) f();
}

void call(const std::function<void(const std::string&)>& f, const std::string& arg) {
  if (f) f(arg);
}

// a fresh seed for "New seed" (small numbers, easy to note down and type back)
std::uint64_t freshSeed() {
  static std::mt19937_64 rng{std::random_device{}()};  // render thread only
  return 1 + rng() % 999'999;
}

// the preset catalogue never changes while the app runs
const std::vector<NamedDescription>& presets() {
  static const std::vector<NamedDescription> catalog = presetCatalog();
  return catalog;
}

void drawRunSection(const Snapshot* frame, UiState& state, const UiActions& actions, const AppStatus& status) {
  // presets and scenario files
  const NamedDescription* current = nullptr;
  for (const auto& p : presets())
    if (p.name == state.preset) current = &p;
  if (ImGui::BeginCombo("preset", current != nullptr ? current->name.c_str() : "load a preset...")) {
    for (const auto& p : presets()) {
      if (ImGui::Selectable(p.name.c_str(), current == &p)) {
        state.preset = p.name;
        call(actions.load_preset, p.name);
      }
      if (ImGui::IsItemHovered() && !p.description.empty()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.f);
        ImGui::TextUnformatted(p.description.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
    }
    ImGui::EndCombo();
  }
  helpMarker("preset");
  if (current != nullptr && !current->description.empty()) {  // the lesson: what to notice
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", current->description.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::InputText("file", &state.scenario_path);
  helpMarker("scenario");
  if (ImGui::Button("Load")) {
    state.preset.clear();  // a file replaces the preset's lesson text
    call(actions.load_scenario, state.scenario_path);
  }
  ImGui::SameLine();
  if (ImGui::Button("Save")) call(actions.save_scenario, state.scenario_path);

  // transport: play/pause, step, reset, new seed
  ImGui::Separator();
  ImGui::BeginDisabled(frame == nullptr);
  const bool paused = frame != nullptr && frame->paused;
  if (ImGui::Button(paused ? "Play  (Space)" : "Pause (Space)")) {
    if (paused) sendCommand(actions, cmd::Resume{});
    else sendCommand(actions, cmd::Pause{});
  }
  ImGui::SameLine();
  ImGui::BeginDisabled(!paused);
  if (ImGui::Button("Step")) sendCommand(actions, cmd::StepOnce{});
  ImGui::EndDisabled();
  helpMarker("run");
  if (ImGui::Button("Reset (R)")) sendCommand(actions, cmd::Reset{});
  ImGui::SameLine();
  if (ImGui::Button("New seed (N)")) sendCommand(actions, cmd::NewSeed{freshSeed()});
  helpMarker("reset");
  ImGui::EndDisabled();

  // capture and view
  if (ImGui::Button("Screenshot")) call(actions.screenshot);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("save a PNG of the canvas (F12)");
  ImGui::SameLine();
  if (status.recording) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.7f, 0.15f, 0.15f, 1.f));
  if (ImGui::Button(status.recording ? "Stop rec" : "Record")) call(actions.toggle_recording);
  if (status.recording) ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("start / stop recording a video of the canvas (F9)");
  ImGui::SameLine();
  if (ImGui::Button("Fit view")) call(actions.fit_view);
  ImGui::SameLine();
  if (ImGui::Button("Help")) state.show_help = !state.show_help;
}

}  // namespace

void drawControlsPanel(const Snapshot* frame, UiState& state, const UiActions& actions, const AppStatus& status) {
  // a rejected command, in red, where the user is looking
  if (frame != nullptr && !frame->error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.35f, 0.3f, 1.f));
    ImGui::TextWrapped("rejected: %s", frame->error.c_str());
    ImGui::PopStyleColor();
    helpMarker("engine_error");
  }
  if (frame == nullptr) ImGui::TextDisabled("waiting for the engine's first frame...");
  if (ImGui::CollapsingHeader("Run", ImGuiTreeNodeFlags_DefaultOpen)) drawRunSection(frame, state, actions, status);
  drawFlowParams(frame, state, actions);
  drawViewOptions(frame, state, actions);
}

}  // namespace driftlab::app::ui
