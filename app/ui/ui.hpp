// The ImGui side of the desktop app: controls panel, plots panel, status bar and help window.
// The shell (app-core) owns the window, the GL canvas, the FlowWorker and the keyboard
// shortcuts; it calls drawUi() once per frame between ImGui::NewFrame() and ImGui::Render().
// Panels read the latest Snapshot and emit commands through UiActions; they never lock or
// call the engine directly (STYLE.md L12). Render thread only.
#pragma once

#include <functional>
#include <string>

#include "driftlab/flow_worker.hpp"
#include "driftlab/snapshot.hpp"
#include "../view_options.hpp"

namespace driftlab::app::ui {

struct UiActions {                                   // provided by the shell (app-core)
  std::function<void(driftlab::Command)> send;        // forwards to the FlowWorker
  std::function<void(const std::string&)> load_scenario, save_scenario, load_preset;  // shell reports errors via AppStatus
  std::function<void()> screenshot, toggle_recording, fit_view;
};

struct AppStatus { float ui_fps = 0; bool recording = false; std::string recording_path; std::string message;
                   bool message_is_error = false; };   // message: last visible info/error line

struct UiState { driftlab::app::ViewOptions view; bool plot_vs_time = false; bool log_y = true;
                 bool show_help = false; bool show_panels = true; std::string scenario_path = "scenario.json"; };

// draws the controls panel, plots panel, status bar, help window; render thread only; frame may be null
void drawUi(const driftlab::Snapshot* frame, UiState& state, const UiActions& actions, const AppStatus& status);

}  // namespace driftlab::app::ui
