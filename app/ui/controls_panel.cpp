// The "Run" part of the controls window: presets, scenario files, play/pause/step/reset/new
// seed, capture buttons; then the parameter sections (flow_params_panel.cpp) and the view
// section (view_panel.cpp). Render thread only.
#include <cstdint>
#include <cstdio>
#include <string>
#include <random>

#include "driftlab/generator/generator.hpp"
#include "driftlab/flow/scenario.hpp"
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

const std::vector<NamedDescription>& generatorPresets() {
  static const std::vector<NamedDescription> catalog = generatorPresetCatalog();
  return catalog;
}

// The three views of generative modelling on one target, and the generator (THEORY.md §11-§12):
// drifting (the particle flow, explicit steps), JKO (the same flow by proximal steps), DFM (the
// particles sample Diffusion Flow Matching from the source) - one FlowWorker, switched by
// parameters - and the generator (GeneratorWorker; the shell starts the other worker).
enum class ModeChoice { Drifting, Jko, Dfm, Generator };

ModeChoice modeOf(const Snapshot* frame) {
  if (frame == nullptr) return ModeChoice::Drifting;
  if (frame->generator) return ModeChoice::Generator;
  if (frame->params.mode == FlowMode::Dfm) return ModeChoice::Dfm;
  return frame->params.integrator == Integrator::Jko ? ModeChoice::Jko : ModeChoice::Drifting;
}

// one SetParams, so the plots get one marker ("mode=jko")
void switchFlowMode(const Snapshot& frame, ModeChoice to, const UiActions& actions) {
  FlowParams p = frame.params;
  p.mode = to == ModeChoice::Dfm ? FlowMode::Dfm : FlowMode::Drifting;
  if (to == ModeChoice::Jko) p.integrator = Integrator::Jko;
  if (to == ModeChoice::Drifting && p.integrator == Integrator::Jko) p.integrator = Integrator::Euler;
  const char* name = to == ModeChoice::Jko ? "jko" : to == ModeChoice::Dfm ? "dfm" : "drifting";
  sendCommand(actions, cmd::SetParams{p, std::string("mode=") + name});
}

// Returns true in generator mode.
bool drawModeSwitch(const Snapshot* frame, const UiActions& actions) {
  const ModeChoice now = modeOf(frame);
  const bool generator = now == ModeChoice::Generator;
  ImGui::TextUnformatted("mode:");
  struct Choice {
    ModeChoice mode;
    const char* label;
    const char* tip;
  };
  static const Choice choices[] = {
      {ModeChoice::Drifting, "drifting", "the particles follow the gradient flow of the divergence, explicit steps (THEORY.md §6)"},
      {ModeChoice::Jko, "JKO", "the same flow by proximal (implicit) steps: stable for any step size (THEORY.md §11)"},
      {ModeChoice::Dfm, "DFM", "Diffusion Flow Matching: the particles travel from the source N(0, s0^2 I) at t = 0 to the data at t = 1 (THEORY.md §12)"},
      {ModeChoice::Generator, "generator", "train a network x = f(z) with the drifting loss of the same field (THEORY.md §7)"},
  };
  for (const Choice& c : choices) {
    ImGui::SameLine();
    // from the generator, a particle mode starts the particle worker; pick JKO or DFM there
    const bool reachable = c.mode == ModeChoice::Generator || c.mode == ModeChoice::Drifting || !generator;
    ImGui::BeginDisabled(frame == nullptr || !reachable);
    if (ImGui::RadioButton(c.label, now == c.mode) && now != c.mode) {
      if (actions.set_generator_mode && (c.mode == ModeChoice::Generator || generator))
        actions.set_generator_mode(c.mode == ModeChoice::Generator);
      else switchFlowMode(*frame, c.mode, actions);
    }
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("%s%s", c.tip, reachable ? "" : " (switch to drifting first)");
  }
  return generator;
}

// the generator's own live settings (the field's are in the parameter sections below); each is
// sent as a SetParam when Enter is pressed, so the marker names it ("lr=0.002"). A network change
// (latent, widths) re-initializes the network: the worker says so in a warning.
void drawGeneratorSettings(const Snapshot& frame, const UiActions& actions) {
  auto sendSetting = [&](const std::string& kv) { sendCommand(actions, cmd::SetParam{kv}); };
  char buf[64];
  const ImGuiInputTextFlags enter = ImGuiInputTextFlags_EnterReturnsTrue;
  ImGui::PushItemWidth(ImGui::GetFontSize() * 7.f);
  double lr = frame.generator->lr;
  if (ImGui::InputDouble("lr", &lr, 0.0, 0.0, "%.6g", enter)) {
    std::snprintf(buf, sizeof buf, "lr=%.9g", lr);
    sendSetting(buf);
  }
  ImGui::SameLine();
  double eta = frame.generator->eta;
  if (ImGui::InputDouble("drift eta", &eta, 0.0, 0.0, "%.6g", enter)) {
    std::snprintf(buf, sizeof buf, "eta=%.9g", eta);
    sendSetting(buf);
  }
  double ema = frame.generator->ema;
  if (ImGui::InputDouble("weight avg", &ema, 0.0, 0.0, "%.6g", enter)) {
    std::snprintf(buf, sizeof buf, "ema=%.9g", ema);
    sendSetting(buf);
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("ema: the samples, the latent grid and saved models use an exponential moving average of the "
                      "weights with this decay (0 = the raw weights); training is unchanged");
  int batch = frame.generator->batch;
  if (ImGui::InputInt("batch", &batch, 0, 0, enter)) sendSetting("batch=" + std::to_string(batch));
  ImGui::SameLine();
  int data_batch = frame.generator->data_batch;
  if (ImGui::InputInt("data batch", &data_batch, 0, 0, enter)) sendSetting("data_batch=" + std::to_string(data_batch));
  int latent = frame.generator->latent;
  if (ImGui::InputInt("latent", &latent, 0, 0, enter)) sendSetting("latent=" + std::to_string(latent));
  ImGui::SameLine();
  std::string widths = frame.generator->widths;
  if (ImGui::InputText("widths", &widths, enter)) sendSetting("widths=" + widths);
  ImGui::PopItemWidth();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("hidden layer widths, e.g. 256,256,256 (re-initializes the network)");
}

// generator mode: preset, what is training, model saving
void drawGeneratorSection(const Snapshot* frame, UiState& state, const UiActions& actions) {
  const NamedDescription* current = nullptr;
  for (const auto& p : generatorPresets())
    if (p.name == state.generator_preset) current = &p;
  if (ImGui::BeginCombo("generator", current != nullptr ? current->name.c_str() : "load a generator preset...")) {
    for (const auto& p : generatorPresets()) {
      if (ImGui::Selectable(p.name.c_str(), current == &p)) {
        state.generator_preset = p.name;
        call(actions.load_generator_preset, p.name);
      }
      if (ImGui::IsItemHovered() && !p.description.empty()) ImGui::SetTooltip("%s", p.description.c_str());
    }
    ImGui::EndCombo();
  }
  if (current != nullptr && !current->description.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", current->description.c_str());
    ImGui::PopStyleColor();
  }
  if (frame != nullptr && frame->generator) {
    ImGui::TextWrapped("%s", frame->generator->settings.c_str());
    ImGui::Text("training step %ld", frame->step);
    drawGeneratorSettings(*frame, actions);
    if (frame->generator->latent_nx >= 2) ImGui::Checkbox("latent grid", &state.show_latent_grid);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("the image of a grid over the 2-D latent space (GAN Lab's manifold view)");
  }
  ImGui::InputText("model", &state.model_path);
  ImGui::SameLine();
  if (ImGui::Button("Save model")) call(actions.save_model, state.model_path);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("write the network and its scenario; sample with: driftlab-cli generate --model FILE --n K");
  if (frame != nullptr && frame->generator && !frame->generator->notice.empty()) ImGui::TextDisabled("%s", frame->generator->notice.c_str());
}

// the run's speed in steps per second: a log slider 1 .. 1000, "unlimited", and "watch" (the
// mode's start speed). Sent as cmd::SetStepRate; the value lives in UiState so new runs keep it.
void drawSpeedControl(UiState& state, const UiActions& actions, bool generator) {
  double& speed = state.speed(generator);
  auto send = [&] { sendCommand(actions, cmd::SetStepRate{speed}); };
  const bool unlimited = speed <= 0;
  float shown = static_cast<float>(unlimited ? state.last_limited_speed : speed);
  ImGui::BeginDisabled(unlimited);
  if (ImGui::SliderFloat("speed", &shown, static_cast<float>(kMinStepsPerSecond),
                         static_cast<float>(kMaxStepsPerSecond), shown < 9.5f ? "%.1f steps/s" : "%.0f steps/s",
                         ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp)) {
    speed = static_cast<double>(shown);
    state.last_limited_speed = speed;
  }
  if (editFinished()) send();
  ImGui::EndDisabled();
  helpMarker("speed");
  bool unlimited_box = unlimited;
  if (ImGui::Checkbox("unlimited", &unlimited_box)) {
    speed = unlimited_box ? 0.0 : state.last_limited_speed;
    send();
  }
  ImGui::SameLine();
  if (ImGui::Button(generator ? "default" : "watch")) {
    speed = generator ? kGeneratorStepsPerSecond : kWatchStepsPerSecond;
    if (speed > 0) state.last_limited_speed = speed;
    send();
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(generator ? "back to the start speed of generator training (unlimited)"
                                : "back to the start speed: the default preset reaches equilibrium in ~10 s");
  ImGui::SameLine();
  ImGui::TextDisabled("[ slower  ] faster");
}

void drawRunSection(const Snapshot* frame, UiState& state, const UiActions& actions, const AppStatus& status) {
  const bool generator = drawModeSwitch(frame, actions);
  if (generator) drawGeneratorSection(frame, state, actions);
  // presets and scenario files
  const NamedDescription* current = nullptr;
  for (const auto& p : presets())
    if (p.name == state.preset) current = &p;
  if (!generator && ImGui::BeginCombo("preset", current != nullptr ? current->name.c_str() : "load a preset...")) {
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
  if (!generator) helpMarker("preset");
  drawLessonList(state, actions);
  drawLessonControls(state, actions);
  if (!generator && current != nullptr && !current->description.empty()) {  // the lesson: what to notice
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
  ImGui::InputText("points", &state.export_path);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("file for Export: .npy (float64, NumPy) or anything else as CSV");
  if (ImGui::Button("Export")) call(actions.export_points, state.export_path);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(generator ? "write the shown samples (every dimension) to the file above"
                                : "write the particles (every dimension) to the file above");

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
  drawSpeedControl(state, actions, generator);
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
  if (ImGui::Button("Rec from 0")) call(actions.record_from_reset);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("reset the run and record it from step 0 (Shift+F9); F9 stops");
  if (ImGui::Button("Fit view")) call(actions.fit_view);
  ImGui::SameLine();
  if (ImGui::Button("Help")) state.show_help = !state.show_help;
  ImGui::SameLine();
  if (ImGui::Button("Compare modes")) state.show_comparison = !state.show_comparison;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("drifting, JKO, DFM and the generator on this target: energy distance against field evaluations");
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
  // the app's own errors (a start or Load that failed, a capture folder that cannot be made), in
  // full where the status bar would cut them
  if (status.message_is_error && !status.message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.f, 0.35f, 0.3f, 1.f));
    ImGui::TextWrapped("%s", status.message.c_str());
    ImGui::PopStyleColor();
  }
  if (frame == nullptr) ImGui::TextDisabled("waiting for the engine's first frame...");
  if (ImGui::CollapsingHeader("Run", ImGuiTreeNodeFlags_DefaultOpen)) drawRunSection(frame, state, actions, status);
  if (ImGui::CollapsingHeader("Timeline and A/B fork", ImGuiTreeNodeFlags_DefaultOpen))
    drawTimelineSection(frame, state, actions);
  if (frame != nullptr && frame->dfm && ImGui::CollapsingHeader("Diffusion Flow Matching", ImGuiTreeNodeFlags_DefaultOpen))
    drawDfmSection(frame, state, actions);
  drawFlowParams(frame, state, actions);
  drawViewOptions(frame, state, actions);
}

}  // namespace driftlab::app::ui
