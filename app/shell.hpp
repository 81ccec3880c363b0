// The shell's state and member functions, shared by app_shell.cpp (window, ImGui, loading,
// frame building, capture, interactive loop) and headless_loop.cpp (deterministic offscreen
// capture). Internal to the app; main thread only.
#pragma once

#include "render/gl.hpp"  // epoxy before GLFW (TOOLCHAIN.md §3)

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>

#include <array>
#include <cstdint>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app_shell.hpp"
#include "canvas_input.hpp"
#include "capture/captures_folder.hpp"
#include "capture/record_from_reset.hpp"
#include "capture/recorder.hpp"
#include "lesson.hpp"
#include "driftlab/run/flow_worker.hpp"
#include "driftlab/generator/generator.hpp"
#include "driftlab/run/run_worker.hpp"
#include "driftlab/flow/scenario.hpp"
#include "render/camera.hpp"
#include "render/orbit_camera.hpp"
#include "render/scene.hpp"
#include "script.hpp"
#include "shortcuts.hpp"
#include "ui/presenter_style.hpp"
#include "ui/ui.hpp"

namespace driftlab::app {

class Shell {
 public:
  using Clock = std::chrono::steady_clock;
  explicit Shell(const ShellOptions& o) : opt_(o) {}
  ~Shell();
  Shell(const Shell&) = delete;
  Shell& operator=(const Shell&) = delete;
  int run();
  // files dropped on the window (GLFW drop callback); loaded by the loop
  void onDrop(int count, const char** paths) {
    for (int i = 0; i < count; ++i) dropped_.emplace_back(paths[i]);
    input_seen_ = true;
  }
  // any input event (GLFW callbacks, render thread): the loop draws the next frames
  void onInput() { input_seen_ = true; }

 private:
  // set-up
  bool createWindow();
  void initImGui();
  void makeActions();
  // scenario loading (interactive: errors become the status message)
  bool loadInitial();
  void enterGeneratorMode();            // start-up in generator mode: scenario_ mirrors gen_scenario_'s field
  bool startInitialRun(bool paused);    // false after printing the one-line error (exit code 2)
  bool imageShapeFitsData();            // --image WxH against the first snapshot's d; false after the error line
  // Build the new worker first and swap it in only once it exists: throw InvalidArgument naming
  // `source` (and the bad CSV file) with the current run untouched (run_loader.hpp)
  void startRun(const Scenario& s, bool paused, const std::string& source);
  void startGeneratorRun(const GeneratorScenario& s, bool paused, const std::string& source);  // GeneratorWorker
  // view state of the previous worker forgotten; the new worker (built paused) gets the user's
  // speed, then runs unless `paused`, so not one step escapes the speed cap
  void adoptNewWorker(int metrics_every, bool paused);
  // the run's speed (UiState::speed of the current mode): send it to the worker, or change it
  void sendSpeed();
  void setSpeed(double steps_per_second);
  // a run loaded while the shell runs starts paused in headless mode, whose loop drives each step
  bool startPaused() const { return opt_.headless; }
  void loadGeneratorPreset(const std::string& name);
  void saveModelFile(const std::string& path);
  void switchMode(bool generator);  // the Run panel's "mode" switch
  void loadScenarioFile(const std::string& path);
  void loadPreset(const std::string& name);
  void saveScenarioFile(const std::string& path);
  void exportPointsFile(const std::string& path);  // the latest snapshot's particles / samples
  void setMessage(const std::string& m, bool error);
  // loops
  int interactiveLoop();
  int interactiveFrames();    // the window's frames until it closes (or --frames); exit code
  void fallBackToDefault();   // a bad start in the window: the default preset instead
  int headlessLoop();
  void buildFrame(const std::shared_ptr<const Snapshot>& frame, bool with_input);
  void renderFrame(const std::shared_ptr<const Snapshot>& frame, bool to_screen = false, int fbw = 0, int fbh = 0);
  void maybeSendView(bool force);
  void drawLatentGrid(const GeneratorView& frame);  // generator mode, 2-D latent
  std::array<float, 4> gridRect() const;  // world rectangle of the free canvas
  void fitView();
  // capture
  void toggleRecording();
  void toggleRecordingTo(const std::string& path);
  // reset the run and record from its step 0 (record_from_reset.hpp); path "" = time-stamped;
  // resume: run on after step 0 was held for one step interval (else stay paused)
  void recordFromReset(const std::string& path, bool resume);
  // per frame, before drawing: start the recording on the step-0 frame, shown as running
  std::shared_ptr<const Snapshot> advanceRecordFromReset(std::shared_ptr<const Snapshot> frame);
  bool captureFrame();
  // a new time-stamped file in the captures folder (captures_folder.hpp); "" after a visible error
  std::string capturePath(capture::CaptureKind kind, const char* ext);
  // the window title: the run's name; in presenter mode also REC and the latest notice, which the
  // captured status bar leaves out
  void updateWindowTitle();
  void screenshotTo(const std::string& path);
  // headless helpers
  std::array<float, 4> sendNudgedView(long frame_index);
  bool runScriptEvents(long frame_index, bool& paused, bool& quit, std::vector<std::string>& shots, int& extra_steps);
  // what a script or lesson command may change in the headless loop; null members: the window's
  // loop (pause and resume go to the workers, screenshot is F12's)
  struct CommandEffects {
    bool* paused = nullptr;
    bool* quit = nullptr;
    std::vector<std::string>* shots = nullptr;
    int* extra_steps = nullptr;
  };
  // one checked command (shell_commands.cpp); throws InvalidArgument; `where` prefixes messages
  void runCommand(const std::string& verb, const std::string& arg, const std::string& where, CommandEffects fx);

  // guided lessons (lesson_shell.cpp): start one (its preset, settings, view, speed) or stop it;
  // once per frame, step its beats and run what they ask (seconds: since the lesson started)
  void startLesson(const std::string& name_or_path);
  void adoptLesson(Lesson lesson);  // the run is the lesson's start already
  void stopLesson();
  void stepLesson(double seconds, CommandEffects fx);
  void drawLessonCaption(float bottom);  // the box ends at screen y `bottom`
  void waitForSteps(RunWorker& worker, std::uint64_t steps_target, long frame_index);
  std::shared_ptr<const Snapshot> waitForView(const RunWorker& worker, const std::array<float, 4>& rect,
                                              std::uint64_t after_id, long frame_index);

  // A/B fork and timeline (split_view.cpp). Side A is worker_ / scene_, side B worker_b_ /
  // scene_b_; both panes share one camera (the view is linked) and one timeline (a seek moves both).
  bool split() const { return worker_b_ != nullptr; }
  RunWorker& focusedWorker() { return split() && focus_ == 1 ? *worker_b_ : *worker_; }
  // parameter changes and edits: to the focused side, or to both (send_both_)
  void sendToFocused(const Command& c);
  void sendToAll(const Command& c);  // pause, resume, steps, resets, seeks: both sides
  // Fork: A's worker hands over its state between two steps. wait = false (interactive): the
  // answer is adopted by pollFork() on a later frame; wait = true (headless scripts) waits here
  void requestFork(bool wait);
  void pollFork();
  void adoptFork(const std::shared_ptr<const ForkSeed>& seed);
  void closeSide(int side);  // 0 closes A (B runs on alone), 1 closes B
  void setFocus(int side);
  void seekAll(long step);
  // one clock for both sides while they run: neither gets more than kForkSlack steps ahead of the
  // other (cmd::SetStepLimit); interactive loop, once per frame
  void keepSidesTogether();
  // the free canvas split in two panes {x0, y0, x1, y1} (screen), and each pane's camera: cam_'s
  // zoom, the world point at the free canvas centre shown at the pane centre
  std::array<float, 4> paneRect(int side) const;
  Camera paneCamera(int side) const;
  int paneAt(float screen_x) const;  // the pane under a screen x
  void adoptPaneCamera(const Camera& pane, int side);  // a pan / zoom in a pane moves the linked view
  std::array<float, 2> drawPaneLabels(const Snapshot* a, const Snapshot* b);
  void renderPanes(int fb_width, int fb_height, const render::SceneOverlay& overlay);

  ShellOptions opt_;
  Scenario scenario_;
  std::string initial_source_;  // the start-up scenario file or preset, named in a failed first start
  std::string start_error_;     // why the requested start failed ("" = it did not); the window shows it
  GLFWwindow* window_ = nullptr;
  bool imgui_ready_ = false;
  ui::PresenterFonts fonts_;
  std::string title_base_ = "driftlab", shown_title_;
  std::unique_ptr<RunWorker> worker_;  // FlowWorker (particles) or GeneratorWorker (generator)
  bool generator_mode_ = false;
  GeneratorScenario gen_scenario_;       // the generator run's scenario (generator mode)
  ui::UiState ui_;
  ui::AppStatus status_;
  ui::UiActions actions_;
  ShortcutActions shortcuts_;
  Camera cam_;
  OrbitCamera orbit_;  // the 3-D sphere view's camera (Scene::sphereMode)
  render::Scene scene_;
  CanvasInput canvas_;
  gl::RenderTarget target_;
  capture::Recorder recorder_;
  capture::RecordFromReset record_from_reset_;
  std::string pixels_;
  std::vector<ScriptEvent> script_;
  std::size_t script_pos_ = 0;
  std::string ini_path_;
  bool need_fit_ = true;
  bool screenshot_requested_ = false;
  std::string pending_screenshot_;
  int target_w_ = 0, target_h_ = 0;
  float dpi_scale_ = 1.f;
  std::array<float, 4> free_rect_{0, 0, 0, 0};  // screen rectangle not covered by docked panels
  // last view rectangle sent to the worker
  std::array<float, 4> sent_rect_{0, 0, 0, 0};
  int sent_quiver_n_ = 0, sent_density_n_ = 0;
  Clock::time_point last_view_send_{};
  std::array<float, 4> moving_rect_{0, 0, 0, 0};  // rectangle of the previous frame (pan detection)
  Clock::time_point last_rect_change_{};
  std::vector<std::string> dropped_;
  bool record_failed_ = false;
  // render on change (interactive loop): a frame is drawn for a new snapshot, and for
  // kSettleFrames frames after any input; otherwise the loop waits for events
  bool input_seen_ = true;
  int settle_frames_ = 0;
  std::uint64_t drawn_snapshot_id_ = 0;
  // a geometry switch within one run places data and particles anew: said once in the status line
  const RunWorker* geometry_worker_ = nullptr;
  GeometryKind shown_geometry_ = GeometryKind::Euclidean;
  void noticeGeometrySwitch(const Snapshot& frame);
  // A/B fork (split_view.cpp)
  std::unique_ptr<RunWorker> worker_b_;
  render::Scene scene_b_;
  std::shared_ptr<const Snapshot> frame_b_;  // side B's snapshot of this frame
  std::future<std::shared_ptr<const ForkSeed>> pending_fork_;
  int focus_ = 0;            // 0 = A, 1 = B
  bool send_both_ = false;   // parameter changes go to both sides
  int input_pane_ = 0;       // the pane under the cursor (tools act there)
  std::uint64_t drawn_snapshot_b_ = 0;
  long limit_sent_a_ = -1, limit_sent_b_ = -1;  // the step limits last sent (-1 = none)
  // guided lessons (lesson_shell.cpp)
  std::unique_ptr<LessonRunner> lesson_;
  std::optional<Lesson> pending_lesson_;  // --lesson: adopted once the first run exists
  Clock::time_point lesson_started_{};
  long lesson_frame0_ = 0;                 // headless: the frame the lesson started at
  bool lesson_next_ = false, lesson_back_ = false;  // the lesson controls' buttons, for the next step
  std::optional<std::pair<double, double>> saved_speeds_;  // flow and generator speed before a lesson set its own
};

}  // namespace driftlab::app
