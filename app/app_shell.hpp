// The desktop app's shell: window and GL context, ImGui set-up, the FlowWorker, the main loop
// (interactive or headless), file loading, screenshots and recordings. STYLE.md L14 fixes the
// loop order; the render loop only calls worker.latest() and worker.send() and never waits for a
// step, except in headless capture mode where each frame advances a fixed number of steps.
// Main thread only.
#pragma once

#include <string>
#include <vector>

namespace driftlab::app {

struct ShellOptions {
  std::string scenario_path;  // --scenario
  std::string preset;         // --preset
  std::string generator_preset;  // --generator-preset: start in generator mode
  bool headless = false;      // hidden window + FBO, deterministic stepping
  long frames = -1;           // frames to render before exiting (headless: required; interactive: optional)
  std::string screenshot;     // PNG of the last frame
  std::string record;         // .mp4 or .gif
  bool record_from_reset = false;  // --record-from-reset: the recording starts at the run's step 0
  std::string png_dir;        // PNG sequence
  std::string script;         // timed commands (script.hpp)
  std::string lesson;         // --lesson NAME|PATH: a guided lesson (lesson.hpp) from its own start
  int width = 1280, height = 720;
  int steps_per_frame = 1;    // headless: engine steps per rendered frame
  bool hide_panels = false;   // canvas only (tests, clean videos)
  bool presenter = false;     // --presenter: start in presenter mode (P toggles it)
  int fps = 30;               // frame rate tag of recordings
  std::vector<std::string> view_settings;  // --view KEY=VALUE (script.hpp applyViewSetting)
  std::vector<std::string> settings;       // --set KEY=VALUE and --data FILE (dataset=FILE), flow runs only
};

// Loads everything, runs the loop, returns the process exit code (0 ok, 2 bad input, 1 runtime
// failure). Bad inputs print one line on stderr starting with "driftlab: ".
int runShell(const ShellOptions& options);

}  // namespace driftlab::app
