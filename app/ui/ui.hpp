// The ImGui side of the desktop app: controls panel, plots panel, status bar and help window.
// The shell (app-core) owns the window, the GL canvas, the FlowWorker and the keyboard
// shortcuts; it calls drawUi() once per frame between ImGui::NewFrame() and ImGui::Render().
// Panels read the latest Snapshot and emit commands through UiActions; they never lock or
// call the engine directly (STYLE.md L12). Render thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "../run_speed.hpp"
#include "../view_options.hpp"
#include "equation_text.hpp"
#include "image_match.hpp"
#include "driftlab/flow/flow_params.hpp"
#include "driftlab/run/flow_worker.hpp"
#include "driftlab/run/snapshot.hpp"

namespace driftlab::app::ui {

class ComparisonJob;  // comparison_job.hpp

struct UiActions {                                   // provided by the shell (app-core)
  std::function<void(driftlab::Command)> send;        // forwards to the FlowWorker
  std::function<void(const std::string&)> load_scenario, save_scenario, load_preset;  // shell reports errors via AppStatus
  std::function<void()> screenshot, toggle_recording, fit_view;
  std::function<void()> record_from_reset;           // reset the run and record from step 0 (Shift+F9)
  // generator mode: switch mode, load a generator preset, save the trained model
  std::function<void(bool)> set_generator_mode;
  std::function<void(const std::string&)> load_generator_preset, save_model;
  // write the shown particles (generator mode: samples) to a .npy or CSV file by its extension
  std::function<void(const std::string&)> export_points;
  // A/B fork and timeline (the shell's split view): fork the run, close side 0 (A) or 1 (B),
  // give a side the focus, send changes to both, move both sides to a step of their timelines
  std::function<void()> fork;
  std::function<void(int)> close_side, set_focus;
  std::function<void(bool)> set_send_both;
  std::function<void(long)> seek;
  // guided lessons: start one by name, stop it, the Lesson window's Next and Back
  std::function<void(const std::string&)> start_lesson;
  std::function<void()> stop_lesson, lesson_next, lesson_back;
};

// The lesson in progress as the panels show it; set by the shell each frame.
struct LessonView {
  bool active = false;
  std::string title, caption, prompt;
  std::string highlight;              // help key of the control to frame
  int index = 0, count = 0;           // beat index (0-based) and number of beats
  bool finished = false;
  // the built-in lessons: name and one-line summary (the Run section's lesson list)
  std::vector<std::pair<std::string, std::string>> catalog;
};

struct AppStatus { float ui_fps = 0; bool recording = false; std::string recording_path; std::string message;
                   bool message_is_error = false; };   // message: last visible info/error line

// The controls panel's own copy of the flow parameters (MuJoCo's shadow copy, STYLE.md L5): it
// follows Snapshot::params while the user is not editing, shows a slider's value while it is
// dragged, and after a change is sent it holds the edit until the engine echoes it (a newer
// params_version) or rejects it (a new Snapshot::error). Filled by drawUi; the shell need not
// touch it.
struct ParamShadow {
  driftlab::FlowParams params;
  bool valid = false;                 // params came from a snapshot at least once
  std::uint64_t version = 0;          // Snapshot::params_version that params follows
  bool awaiting = false;              // a SetParams was sent and not yet echoed
  std::uint64_t sent_at_version = 0;  // params_version when it was sent
  std::string sent_error;             // Snapshot::error when it was sent
  double sent_time = 0;               // ImGui time when it was sent
  int steps_per_publish = 1;          // last value sent with cmd::SetStepsPerPublish
  std::string scales_text;            // multi-scale bandwidth list while it is typed
  std::string scales_error;           // why the typed list was refused
  std::string local_error;            // a change the panel refused to send (e.g. all weights 0)
  double local_error_time = -1e9;     // ImGui time of local_error (shown for a few seconds)
  std::map<std::string, std::string> setting_texts;  // "All settings" rows' texts, by key
  std::string editing_setting;        // the key whose row is being typed in ("" = none)
};

// The Images window's caches (image_grid_panel.cpp): the matcher's per-data-set and per-snapshot
// numbers and when they were computed. Filled by drawUi; the shell need not touch it.
struct ImageGridState {
  driftlab::app::ImageMatcher matcher;
  std::uint64_t snapshot_id = 0;      // the snapshot the matches belong to
  int count = -1;                     // the image count they were computed for
  bool nearest = false;               // whether they include the nearest data images
  double matched_at = -1e9;           // ImGui time of the last match
  bool was_image_like = false;        // the previous frame's data were image-like (auto-open on the change)
};

// The Equations window's cache (equations_panel.cpp): the probe terms of one snapshot and point,
// recomputed when either changes (at most a few times per second). Filled by drawUi.
struct EquationsState {
  std::uint64_t snapshot_id = 0;      // the snapshot the terms belong to
  float x = 0, y = 0;                 // the probe point they were computed at
  bool valid = false;
  double computed_at = -1e9;          // ImGui time of the last evaluation
  ProbeTerms terms;
  std::vector<std::string> lines;     // probeLines(terms)
};

struct UiState { driftlab::app::ViewOptions view; bool plot_vs_time = false; bool log_y = true;
                 bool show_help = false; bool show_panels = true; std::string scenario_path = "scenario.json";
                 // additions of app-ui (all with defaults):
                 bool plots_grouped = true;          // grouped plots (4) or one per metric (8)
                 std::string preset;                 // last preset chosen (its "what to notice" text is
                                                     // shown); the shell may set it for --preset
                 bool show_plots = true;             // the plots window
                 double plot_cursor_x = 0;           // x hovered in one plot, drawn as a cursor in all
                 bool plot_cursor = false;
                 ParamShadow shadow;
                 // outputs of drawUi for the shell: the horizontal span of the display that the side
                 // panels leave free (pixels; the whole width when the panels are hidden), e.g. for
                 // fit-view and canvas overlays such as the colour bar
                 float free_x0 = 0, free_x1 = 0;
                 // generator mode: the generator preset chosen and the model file name
                 std::string generator_preset = "gen_checkerboard";
                 std::string model_path = "model.json";
                 std::string export_path = "points.npy";  // Export: the shown particles or samples
                 bool show_latent_grid = true;       // 2-D latent: the warped latent grid on the canvas
                 // the run's speed per mode, steps/s (0 = unlimited; run_speed.hpp): kept across
                 // reset, new seed and loads -- the user's choice, sent to every new run
                 double flow_speed = kWatchStepsPerSecond;
                 double generator_speed = kGeneratorStepsPerSecond;
                 double last_limited_speed = kWatchStepsPerSecond;  // restored when "unlimited" is unticked
                 double& speed(bool generator) { return generator ? generator_speed : flow_speed; }
                 ImageGridState image_grid;          // the Images window's caches
                 // the Equations window's caches; whether it is open is view.show_equations (E)
                 EquationsState equations;
                 // A/B fork, set by the shell each frame: the panels show the focused side's snapshot;
                 // the plots overlay the other side's curves (dashed) from compare_history
                 bool split = false;
                 int focus = 0;                      // 0 = A, 1 = B
                 bool send_both = false;
                 bool fork_pending = false;
                 std::shared_ptr<const MetricHistory> compare_history;
                 LessonView lesson;                  // guided lesson (lesson_panel.cpp)
                 // the "Compare modes" window and its background run (comparison_window.cpp)
                 bool show_comparison = false;
                 std::shared_ptr<ComparisonJob> comparison;
};

// the "Compare modes" window (comparison_window.cpp): open it and start the comparison on this
// built-in 2-D dataset (another dataset: eight Gaussians); comparisonDone: no comparison runs
void startComparison(UiState& state, const std::string& dataset);
bool comparisonDone(const UiState& state);

// draws the controls panel, plots panel, status bar, help window; render thread only; frame may be null
void drawUi(const driftlab::Snapshot* frame, UiState& state, const UiActions& actions, const AppStatus& status);

}  // namespace driftlab::app::ui
