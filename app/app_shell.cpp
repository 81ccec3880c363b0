// [SECTION] index: set-up (window, ImGui, config dir) | scenario loading | frame building |
// capture | interactive loop | runShell. The headless loop is in headless_loop.cpp.
#include "shell.hpp"  // first: epoxy before GLFW

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <limits>
#include <memory>
#include <random>
#include <thread>
#include <utility>
#include <vector>

#include "backends/imgui_impl_glfw.h"
#include "backends/imgui_impl_opengl3.h"
#include "canvas_input.hpp"
#include "capture/recorder.hpp"
#include "capture/screenshot.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/io/csv.hpp"
#include "driftlab/io/points_file.hpp"
#include "imgui.h"
#include "imgui_internal.h"  // window rectangles, to find the canvas not covered by panels
#include "render/camera.hpp"
#include "render/overlays.hpp"
#include "render/presenter_overlay.hpp"
#include "render/scene.hpp"
#include "run_loader.hpp"
#include "run_speed.hpp"
#include "script.hpp"
#include "shortcuts.hpp"
#include "ui/ui.hpp"

namespace driftlab::app {

namespace {

const float kBackground[3] = {0.075f, 0.082f, 0.102f};
constexpr int kSettleFrames = 30;               // frames drawn after an input event (hover, tooltips)
constexpr double kIdlePollSeconds = 1.0 / 120;  // longest wait before looking for a new snapshot

void glfwErrorCallback(int code, const char* text) {
  std::fprintf(stderr, "driftlab: GLFW error %d: %s\n", code, text ? text : "?");
}

// $XDG_CONFIG_HOME/driftlab or ~/.config/driftlab; never the working directory ("" if neither is known)
std::string configDir() {
  std::string base;
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) {
    base = x;
  } else if (const char* h = std::getenv("HOME"); h && *h) {
    base = std::string(h) + "/.config";
  } else {
    return {};
  }
  return base + "/driftlab";
}

// The part of the screen not covered by ImGui windows docked at the left, right, top or bottom
// edge: legends, tick labels, fit-to-view and the worker's grid rectangle use it.
// Render thread, after the panels were submitted this frame.
std::array<float, 4> freeCanvasRect(float width, float height) {
  std::array<float, 4> r{0, 0, width, height};
  ImGuiContext* g = ImGui::GetCurrentContext();
  if (!g) return r;
  for (ImGuiWindow* w : g->Windows) {
    if (!w->Active || w->Hidden ||
        (w->Flags & (ImGuiWindowFlags_ChildWindow | ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_Popup)))
      continue;
    float ax = w->Pos.x, ay = w->Pos.y, bx = w->Pos.x + w->Size.x, by = w->Pos.y + w->Size.y;
    if (ax <= 4 && bx < width * 0.5f) r[0] = std::max(r[0], bx);
    else if (bx >= width - 4 && ax > width * 0.5f) r[2] = std::min(r[2], ax);
    else if (by >= height - 4 && ay > height * 0.5f) r[3] = std::min(r[3], ay);
    else if (ay <= 4 && by < height * 0.5f) r[1] = std::max(r[1], by);
  }
  if (r[2] - r[0] < 100 || r[3] - r[1] < 100) return {0, 0, width, height};  // panels cover almost all
  return r;
}


void dropCallback(GLFWwindow* w, int count, const char** paths) {
  if (auto* shell = static_cast<Shell*>(glfwGetWindowUserPointer(w))) shell->onDrop(count, paths);
}

// input notifications for render-on-change; installed before ImGui's backend, which chains them
void noteInput(GLFWwindow* w) {
  if (auto* shell = static_cast<Shell*>(glfwGetWindowUserPointer(w))) shell->onInput();
}
void cursorCallback(GLFWwindow* w, double, double) { noteInput(w); }
void buttonCallback(GLFWwindow* w, int, int, int) { noteInput(w); }
void scrollCallback(GLFWwindow* w, double, double) { noteInput(w); }
void keyCallback(GLFWwindow* w, int, int, int, int) { noteInput(w); }
void charCallback(GLFWwindow* w, unsigned int) { noteInput(w); }
void sizeCallback(GLFWwindow* w, int, int) { noteInput(w); }
void focusCallback(GLFWwindow* w, int) { noteInput(w); }
void enterCallback(GLFWwindow* w, int) { noteInput(w); }

}  // namespace

// [SECTION] set-up

Shell::~Shell() {
  if (recorder_.active()) std::fprintf(stderr, "driftlab: %s\n", recorder_.stop().c_str());
  worker_.reset();  // joins the engine thread before GL and ImGui go away
  if (imgui_ready_) {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
  }
  // GL objects must die while the context exists
  scene_ = render::Scene();
  target_ = gl::RenderTarget();
  if (window_) glfwDestroyWindow(window_);
  glfwTerminate();
}

bool Shell::createWindow() {
  glfwSetErrorCallback(glfwErrorCallback);
  if (!glfwInit()) {
    std::fprintf(stderr, "driftlab: cannot initialise GLFW (no usable display?)\n");
    return false;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  if (opt_.headless) glfwWindowHint(GLFW_VISIBLE, GLFW_FALSE);
  window_ = glfwCreateWindow(opt_.width, opt_.height, "driftlab", nullptr, nullptr);
  if (!window_) {
    std::fprintf(stderr, "driftlab: cannot create an OpenGL 3.3 core window\n");
    return false;
  }
  glfwMakeContextCurrent(window_);
  glfwSwapInterval(opt_.headless ? 0 : 1);
  if (gl::contextDescription().find("llvmpipe") != std::string::npos) ui_.view.max_drawn_points = kSoftwareMaxDrawnPoints;
  glfwSetWindowUserPointer(window_, this);
  glfwSetDropCallback(window_, dropCallback);
  glfwSetCursorPosCallback(window_, cursorCallback);
  glfwSetMouseButtonCallback(window_, buttonCallback);
  glfwSetScrollCallback(window_, scrollCallback);
  glfwSetKeyCallback(window_, keyCallback);
  glfwSetCharCallback(window_, charCallback);
  glfwSetFramebufferSizeCallback(window_, sizeCallback);
  glfwSetWindowFocusCallback(window_, focusCallback);
  glfwSetCursorEnterCallback(window_, enterCallback);
  return true;
}

void Shell::initImGui() {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  // layout is remembered per user, never in the working directory; nothing is written by
  // headless or test runs (--frames)
  io.IniFilename = nullptr;
  if (!opt_.headless && opt_.frames < 0) {
    std::string dir = configDir();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (!dir.empty() && !ec) {
      ini_path_ = dir + "/imgui.ini";
      io.IniFilename = ini_path_.c_str();
    }
  }
  ImGui::StyleColorsDark();
  ImGui::GetStyle().WindowRounding = 4.f;
  fonts_ = ui::loadPresenterFonts();  // before the backend's first NewFrame builds the font atlas
  ImGui_ImplGlfw_InitForOpenGL(window_, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  imgui_ready_ = true;
}

void Shell::makeActions() {
  actions_.send = [this](Command c) { sendToFocused(c); };
  actions_.fork = [this] { requestFork(false); };
  actions_.close_side = [this](int side) { closeSide(side); };
  actions_.set_focus = [this](int side) { setFocus(side); };
  actions_.set_send_both = [this](bool both) { send_both_ = both && split(); };
  actions_.seek = [this](long step) { seekAll(step); };
  actions_.start_lesson = [this](const std::string& name) { startLesson(name); };
  actions_.stop_lesson = [this] { stopLesson(); };
  actions_.lesson_next = [this] { lesson_next_ = true; };
  actions_.lesson_back = [this] { lesson_back_ = true; };
  actions_.load_scenario = [this](const std::string& p) { loadScenarioFile(p); };
  actions_.save_scenario = [this](const std::string& p) { saveScenarioFile(p); };
  actions_.export_points = [this](const std::string& p) { exportPointsFile(p); };
  actions_.load_preset = [this](const std::string& n) { loadPreset(n); };
  actions_.screenshot = [this] { screenshot_requested_ = true; };
  actions_.toggle_recording = [this] { toggleRecording(); };
  actions_.record_from_reset = [this] {
    auto f = worker_ ? worker_->latest() : nullptr;
    recordFromReset("", f && !f->paused);  // a paused run stays paused
  };
  actions_.fit_view = [this] { fitView(); };
  actions_.set_generator_mode = [this](bool g) { switchMode(g); };
  actions_.load_generator_preset = [this](const std::string& n) { loadGeneratorPreset(n); };
  actions_.save_model = [this](const std::string& p) { saveModelFile(p); };
  // worker_ is never null once the loop runs (build first, swap after); the guards cost nothing
  // play, pause, steps, reset and new seed move both sides of a fork together (one clock)
  shortcuts_.toggle_pause = [this] {
    if (!worker_) return;
    record_from_reset_.dropResume();  // the user's own play/pause wins over a pending resume
    auto f = worker_->latest();
    sendToAll(f && f->paused ? Command{cmd::Resume{}} : Command{cmd::Pause{}});
  };
  shortcuts_.step_once = [this] {
    sendToAll(cmd::Pause{});
    sendToAll(cmd::StepOnce{});
  };
  shortcuts_.step_back = [this] {
    auto f = worker_ ? worker_->latest() : nullptr;
    if (f && f->step > f->timeline.first_step) seekAll(f->step - 1);
  };
  shortcuts_.reset = [this] { sendToAll(cmd::Reset{}); };
  shortcuts_.new_seed = [this] {
    std::random_device rd;
    sendToAll(cmd::NewSeed{(static_cast<std::uint64_t>(rd()) << 16) % 1000000007ull});
  };
  shortcuts_.fork = [this] {
    if (split()) closeSide(1);
    else requestFork(false);
  };
  shortcuts_.swap_focus = [this] { setFocus(1 - focus_); };
  shortcuts_.screenshot = actions_.screenshot;
  shortcuts_.toggle_recording = actions_.toggle_recording;
  shortcuts_.record_from_reset = actions_.record_from_reset;
  shortcuts_.slower = [this] { setSpeed(slowerSpeed(ui_.speed(generator_mode_))); };
  shortcuts_.faster = [this] { setSpeed(fasterSpeed(ui_.speed(generator_mode_))); };
  shortcuts_.fit_view = actions_.fit_view;
}

// [SECTION] scenario loading

bool Shell::loadInitial() {
  try {
    // one name space for users: --preset NAME also opens a generator preset (digits_generator, ...)
    if (!opt_.preset.empty() && opt_.generator_preset.empty() && isGeneratorPresetName(opt_.preset))
      std::swap(opt_.preset, opt_.generator_preset);
    if (!opt_.lesson.empty()) {
      // a lesson starts from its own preset, settings and view (adopted after the first run starts)
      if (!opt_.scenario_path.empty() || !opt_.preset.empty() || !opt_.generator_preset.empty())
        throw InvalidArgument("--lesson starts from the lesson's own preset: leave out --scenario and --preset");
      pending_lesson_ = findLesson(opt_.lesson);
      if (!pending_lesson_->generator_preset.empty()) opt_.generator_preset = pending_lesson_->generator_preset;
      else opt_.preset = pending_lesson_->preset;
    }
    const int sources = !opt_.scenario_path.empty() + !opt_.preset.empty() + !opt_.generator_preset.empty();
    if (sources > 1) throw InvalidArgument("use only one of --scenario, --preset and --generator-preset");
    if (!opt_.generator_preset.empty()) {
      gen_scenario_ = generatorPreset(opt_.generator_preset);
      gen_scenario_.params.validate();
      ui_.generator_preset = opt_.generator_preset;
      initial_source_ = "generator preset " + opt_.generator_preset;
      enterGeneratorMode();
    } else if (!opt_.scenario_path.empty()) {
      // either kind, told apart by its structure (scenario_kind.hpp)
      ScenarioOfAnyKind loaded = loadScenarioOfAnyKind(opt_.scenario_path);
      scenario_ = loaded.flow;
      gen_scenario_ = loaded.generator;
      ui_.scenario_path = opt_.scenario_path;
      initial_source_ = opt_.scenario_path;
      if (loaded.generator_mode) enterGeneratorMode();
    } else if (!opt_.preset.empty()) {
      scenario_ = presetScenario(opt_.preset);
      initial_source_ = "preset " + opt_.preset;
    } else {
      scenario_ = defaultScenario();
      initial_source_ = "the default preset";
    }
    // --set / --data: as driftlab-cli run --set, over whatever the scenario or preset chose
    if (!opt_.settings.empty() && generator_mode_)
      throw InvalidArgument("--set and --data apply to particle-flow runs, not generator mode");
    applySettings(scenario_, opt_.settings);
    scenario_.params.validate();
    if (!opt_.script.empty())
      script_ = generator_mode_ ? loadScript(opt_.script, gen_scenario_) : loadScript(opt_.script, scenario_);
    ui_.view.presenter = opt_.presenter;  // first: --view ui_scale=X sets the scale of the mode in force
    for (const auto& kv : opt_.view_settings) applyViewSetting(ui_.view, ui_.show_panels, kv);
    if (ui_.view.compare_at_start) ui::startComparison(ui_, scenario_.params.dataset);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "driftlab: %s\n", e.what());
    start_error_ = e.what();
    return false;
  }
  return true;
}

// generator mode at start-up: the flow scenario carries the generator's field (scripts, panels)
void Shell::enterGeneratorMode() {
  generator_mode_ = true;
  // samples jump as the network learns: trails are clutter there (--view trails=on brings them)
  ui_.view.show_trails = false;
  const std::string name = gen_scenario_.name;
  scenario_ = defaultScenario();
  scenario_.name = name;
  scenario_.params = gen_scenario_.params.field;
}

// The loops' first run, after the window opened: the engine reads the data and init CSV files
// here, so a scenario naming a missing one ends the program with one line and exit code 2.
bool Shell::startInitialRun(bool paused) {
  try {
    if (generator_mode_)
      startGeneratorRun(gen_scenario_, paused, initial_source_);
    else
      startRun(scenario_, paused, initial_source_);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "driftlab: %s\n", e.what());
    start_error_ = e.what();
    return false;
  }
  return imageShapeFitsData();
}

// --image WxH must fit the data: W*H = d. d is known once the engine has read the data, so this
// waits for the run's first snapshot -- once, before the first frame, and only with --image.
bool Shell::imageShapeFitsData() {
  const ImageViewOptions& im = ui_.view.images;
  if (im.width <= 0 || im.height <= 0) return true;
  std::shared_ptr<const Snapshot> first;
  for (auto until = Clock::now() + std::chrono::seconds(30); !(first = worker_->latest()) && Clock::now() < until;)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const long d = first ? static_cast<long>(first->particles.rows()) : 0;
  if (!first || static_cast<long>(im.width) * im.height == d) return true;
  std::fprintf(stderr, "driftlab: --image %dx%d: W*H = %d pixels, but the data have d = %ld dimensions\n", im.width,
               im.height, im.width * im.height, d);
  return false;
}

// Build first, swap after (swapInBuiltWorker): buildFlowWorker throws (InvalidArgument naming
// `source`) before anything of the current run is touched, so a failed load leaves it running and
// worker_ is never null. The old worker is joined once replaced (at most one step of waiting).
void Shell::startRun(const Scenario& s, bool paused, const std::string& source) {
  swapInBuiltWorker(worker_, [&] { return buildFlowWorker(s, /*paused=*/true, source); });
  scenario_ = s;
  generator_mode_ = false;
  title_base_ = "driftlab - " + s.name;
  updateWindowTitle();
  adoptNewWorker(s.metrics_every, paused);
}

// generator mode: a GeneratorWorker instead of the FlowWorker; the canvas, panels and plots read
// the same Snapshot (generator_worker.hpp says what its fields mean there). Build first, as startRun.
void Shell::startGeneratorRun(const GeneratorScenario& s, bool paused, const std::string& source) {
  swapInBuiltWorker(worker_, [&] { return buildGeneratorWorker(s, /*paused=*/true, source); });
  generator_mode_ = true;
  gen_scenario_ = s;
  title_base_ = "driftlab - " + s.name + " (generator)";
  updateWindowTitle();
  adoptNewWorker(s.metrics_every, paused);
}

// the view state that belonged to the previous worker; the speed and the resume travel in one
// command batch with the metrics cadence, applied before the worker's first step
void Shell::adoptNewWorker(int metrics_every, bool paused) {
  scene_.forget();  // snapshot ids restart with the new worker
  // a new run ends a fork: side B belonged to the previous one
  worker_b_.reset();
  scene_b_.forget();
  frame_b_.reset();
  pending_fork_ = {};
  limit_sent_a_ = limit_sent_b_ = -1;  // a new worker has no step limit
  focus_ = 0;
  send_both_ = false;
  record_from_reset_.cancel();
  worker_->send(cmd::SetMetricsEvery{std::max(1, metrics_every)});
  sendSpeed();
  if (!paused) worker_->send(cmd::Resume{});
  need_fit_ = true;
  sent_quiver_n_ = 0;  // the new worker needs the view rectangle again
  ui_.view.picked_particle = -1;
  canvas_.probe.reset();
}

void Shell::loadGeneratorPreset(const std::string& name) {
  try {
    startGeneratorRun(generatorPreset(name), startPaused(), "generator preset " + name);
    ui_.generator_preset = name;
    setMessage("loaded generator preset " + name, false);
  } catch (const std::exception& e) {
    setMessage(e.what(), true);  // the current run continues untouched
  }
}

// the worker writes the file between steps; a failure comes back as Snapshot::error
void Shell::saveModelFile(const std::string& path) {
  if (!generator_mode_ || !worker_) {
    setMessage("save model: only in generator mode", true);
    return;
  }
  focusedWorker().send(cmd::SaveModel{path});
  setMessage("saving model to " + path, false);
}

void Shell::switchMode(bool generator) {
  if (generator == generator_mode_) return;
  if (generator) {
    ui_.view.show_trails = false;  // samples jump as the network learns: trails are clutter
    loadGeneratorPreset(ui_.generator_preset.empty() ? "gen_checkerboard" : ui_.generator_preset);
  } else if (!ui_.preset.empty()) {
    loadPreset(ui_.preset);
  } else {
    try {
      startRun(defaultScenario(), startPaused(), "the default preset");
    } catch (const std::exception& e) {
      setMessage(e.what(), true);
    }
  }
}

// Headless capture drives a paused worker with StepOnce, which no speed cap touches; the cap is
// not even sent there, so a recording advances exactly --steps-per-frame steps per frame.
void Shell::sendSpeed() {
  if (!opt_.headless) sendToAll(cmd::SetStepRate{ui_.speed(generator_mode_)});
}

// [ and ]: the user's speed for the current mode, kept for later runs (UiState::speed)
void Shell::setSpeed(double steps_per_second) {
  ui_.speed(generator_mode_) = steps_per_second;
  if (steps_per_second > 0) ui_.last_limited_speed = steps_per_second;
  sendSpeed();
}

void Shell::setMessage(const std::string& m, bool error) {
  status_.message = m;
  status_.message_is_error = error;
}

// Load, a dropped file and the script's `load`: a flow or a generator scenario, told apart by
// its structure (scenario_kind.hpp). On any failure the current run continues untouched and the
// error is the status message.
void Shell::loadScenarioFile(const std::string& path) {
  try {
    ScenarioOfAnyKind loaded = loadScenarioOfAnyKind(path);
    if (loaded.generator_mode) {
      startGeneratorRun(loaded.generator, startPaused(), path);
      setMessage("loaded generator scenario " + path, false);
    } else {
      startRun(loaded.flow, startPaused(), path);
      setMessage("loaded scenario " + path, false);
    }
    ui_.scenario_path = path;
  } catch (const std::exception& e) {
    setMessage(e.what(), true);
  }
}

void Shell::loadPreset(const std::string& name) {
  try {
    startRun(presetScenario(name), startPaused(), "preset " + name);
    setMessage("loaded preset " + name, false);
  } catch (const std::exception& e) {
    setMessage(e.what(), true);
  }
}

void Shell::saveScenarioFile(const std::string& path) {
  try {
    if (generator_mode_) {
      // the live field; generator-only keys changed by scripts are not echoed in snapshots
      GeneratorScenario g = gen_scenario_;
      if (auto f = worker_ ? focusedWorker().latest() : nullptr) g.params.field = f->params;
      saveGeneratorScenario(path, g);
      setMessage("saved generator scenario " + path, false);
      return;
    }
    Scenario s = scenario_;
    if (auto f = worker_ ? focusedWorker().latest() : nullptr) s.params = f->params;
    saveScenario(path, s);
    setMessage("saved scenario " + path, false);
  } catch (const std::exception& e) {
    setMessage(e.what(), true);
  }
}

// Export: the particles (generator mode: the fixed noise batch's samples) of the latest snapshot, in
// every dimension, as float64 .npy or CSV by the extension (io/points_file.hpp); the render thread
// reads a published snapshot and never waits for a step
void Shell::exportPointsFile(const std::string& path) {
  try {
    const auto snap = worker_ ? focusedWorker().latest() : nullptr;
    if (!snap || snap->particles.cols() == 0) throw InvalidArgument("no particles to export yet");
    const Points points = snap->particles.cast<double>();
    const char* what = generator_mode_ ? "samples" : "particles";
    writePoints(path, points, coordinateNames(static_cast<int>(points.rows())), what);
    setMessage("exported " + std::to_string(points.cols()) + " " + what + " (d = " + std::to_string(points.rows()) +
                   ", step " + std::to_string(snap->step) + ") to " + path,
               false);
  } catch (const std::exception& e) {
    setMessage(std::string("export ") + path + ": " + e.what(), true);
  }
}

// [SECTION] frame building (shared by both loops)

void Shell::fitView() {
  // the sphere view: north up at the default distance (F, the fit button); the 2-D camera is still
  // fitted below so that a switch back to the plane shows the points
  if (scene_.sphereMode()) orbit_.reset();
  // generator mode fits the data: an untrained network's samples spread several times wider,
  // and the data is where they are headed (the checkerboard would fill a fifth of the canvas)
  auto b = scene_.bounds(generator_mode_);
  if (!b) return;
  if (split() && free_rect_[2] > free_rect_[0]) {
    // each pane is half the canvas: fit a pane-wide rectangle at the canvas centre (paneCamera)
    const float half = 0.25f * (free_rect_[2] - free_rect_[0]), cx = 0.5f * (free_rect_[0] + free_rect_[2]);
    cam_.fitInto((*b)[0], (*b)[1], (*b)[2], (*b)[3], cx - half, free_rect_[1], cx + half, free_rect_[3], 0.06f);
  } else if (free_rect_[2] > free_rect_[0])
    cam_.fitInto((*b)[0], (*b)[1], (*b)[2], (*b)[3], free_rect_[0], free_rect_[1], free_rect_[2], free_rect_[3], 0.06f);
  else
    cam_.fit((*b)[0], (*b)[1], (*b)[2], (*b)[3], 0.06f);
  need_fit_ = false;
}

std::array<float, 4> Shell::gridRect() const {
  if (!(free_rect_[2] > free_rect_[0])) return cam_.visibleRect();
  if (split()) {  // both panes show the same world rectangle (paneCamera)
    const Camera pane = paneCamera(0);
    const auto pr = paneRect(0);
    Vec2f a = pane.screenToWorld({pr[0], pr[3]}), b = pane.screenToWorld({pr[2], pr[1]});
    return {a.x, a.y, b.x, b.y};
  }
  Vec2f a = cam_.screenToWorld({free_rect_[0], free_rect_[3]}), b = cam_.screenToWorld({free_rect_[2], free_rect_[1]});
  return {a.x, a.y, b.x, b.y};
}

// The worker computes its grid fields over the free canvas and recomputes them at once when the
// rectangle changes, which at large N costs seconds: while the user pans or zooms, send the new
// rectangle only once the view has been still for 200 ms (or every second during a long drag).
void Shell::maybeSendView(bool force) {
  auto r = gridRect();
  const ViewOptions& v = ui_.view;
  auto now = Clock::now();
  if (r != moving_rect_) {
    moving_rect_ = r;
    last_rect_change_ = now;
  }
  bool changed = r != sent_rect_ || v.quiver_n != sent_quiver_n_ || v.density_n != sent_density_n_;
  if (!changed || !worker_) return;
  bool settled = now - last_rect_change_ >= std::chrono::milliseconds(200);
  bool overdue = now - last_view_send_ >= std::chrono::seconds(1);
  bool first = sent_quiver_n_ == 0;
  if (!force && !first && !settled && !overdue) return;
  int qn = std::clamp(v.quiver_n, 2, 256), dn = std::clamp(v.density_n, 2, 512);
  sendToAll(cmd::SetView{r[0], r[1], r[2], r[3], qn, dn});
  sent_rect_ = r;
  sent_quiver_n_ = v.quiver_n;
  sent_density_n_ = v.density_n;
  last_view_send_ = now;
}

// render thread
void Shell::noticeGeometrySwitch(const Snapshot& frame) {
  const GeometryKind g = frame.params.geometry;
  if (geometry_worker_ == worker_.get() && g != shown_geometry_) {
    // short enough for the status bar at 1280 px; positions do not carry over
    setMessage(g == GeometryKind::Euclidean ? "geometry euclidean: data and particles placed anew"
                                            : "geometry sphere: data and particles placed anew",
               false);
  }
  geometry_worker_ = worker_.get();
  shown_geometry_ = g;
}

void Shell::buildFrame(const std::shared_ptr<const Snapshot>& frame_a, bool with_input) {
  if (frame_a) noticeGeometrySwitch(*frame_a);
  if (frame_a) scene_.sync(*frame_a, ui_.view);
  if (split() && frame_b_) scene_b_.sync(*frame_b_, ui_.view);
  // the panels, probe and overlays follow the focused side; the plots overlay the other one
  const std::shared_ptr<const Snapshot>& frame = split() && focus_ == 1 && frame_b_ ? frame_b_ : frame_a;
  const std::shared_ptr<const Snapshot>& other = split() ? (focus_ == 1 ? frame_a : frame_b_) : nullptr;
  ui_.split = split();
  ui_.focus = focus_;
  ui_.send_both = send_both_;
  ui_.fork_pending = pending_fork_.valid();
  ui_.compare_history = other ? other->history : nullptr;
  ui::applyPresenterLook(ui_.view.presenter, ui_.view.uiScale(), fonts_);  // fonts only between frames
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  if (opt_.headless) {
    // offscreen: the UI is laid out for the capture size, whatever the hidden window reports
    io.DisplaySize = ImVec2(static_cast<float>(target_w_), static_cast<float>(target_h_));
    io.DisplayFramebufferScale = ImVec2(1, 1);
  }
  ImGui::NewFrame();
  if (!opt_.headless) status_.ui_fps = io.Framerate;
  status_.recording = recorder_.active();
  status_.recording_path = recorder_.path();
  if (!scene_.errors().empty() && status_.message.empty()) setMessage(scene_.errors(), true);
  if (with_input) {
    handleShortcuts(ui_, shortcuts_);
    if (!io.WantCaptureKeyboard && ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) {
      canvas_.probe.reset();
      canvas_.sphere_probe.reset();
    }
    if (scene_.sphereMode()) {
      handleSphereInput(canvas_, orbit_, ui_.view, frame.get());
    } else if (split()) {
      // the pane under the cursor takes the input: its camera pans and zooms the linked view,
      // its side gets the tools' edits and probes
      if (!canvas_.left_down) input_pane_ = paneAt(io.MousePos.x);
      Camera pane = paneCamera(input_pane_);
      RunWorker* side = input_pane_ == 1 ? worker_b_.get() : worker_.get();
      const auto& pane_frame = input_pane_ == 1 ? frame_b_ : frame_a;
      handleCanvasInput(canvas_, pane, input_pane_ == 1 ? scene_b_ : scene_, ui_.view, pane_frame.get(),
                        [side](Command c) { side->send(std::move(c)); });
      adoptPaneCamera(pane, input_pane_);
    } else {
      handleCanvasInput(canvas_, cam_, scene_, ui_.view, frame.get(), actions_.send);
    }
  }
  if (ui_.show_panels) ui::drawUi(frame.get(), ui_, actions_, status_);
  free_rect_ = ui_.show_panels ? freeCanvasRect(io.DisplaySize.x, io.DisplaySize.y)
                               : std::array<float, 4>{0, 0, io.DisplaySize.x, io.DisplaySize.y};
  // the sphere view frames the unit sphere in the free canvas (its zoom and rotation are the user's)
  orbit_.setViewport(cam_.viewportWidth(), cam_.viewportHeight());
  orbit_.frameInto(free_rect_[0], free_rect_[1], free_rect_[2], free_rect_[3]);
  if (frame && need_fit_) fitView();
  render::OverlayInputs ov;
  ov.cursor_world = canvas_.cursor_world;
  ov.cursor_screen = canvas_.cursor_screen;
  ov.probe = canvas_.probe;
  if (frame) {
    KernelSpec k{frame->params.kernel, frame->params.bandwidth.h};
    if (frame->bandwidth > 0) k.h = frame->bandwidth;
    ov.kernel = k;
  }
  ov.free_rect = free_rect_;
  // the legends below describe this frame's arrows
  if (split()) {
    if (!scene_.sphereMode()) scene_.prepareArrows(paneCamera(0), ui_.view);
    if (!scene_b_.sphereMode()) scene_b_.prepareArrows(paneCamera(1), ui_.view);
  } else if (!scene_.sphereMode()) {
    scene_.prepareArrows(cam_, ui_.view);
  }
  if (split()) {
    // one caption per pane instead of the presenter caption (the pane labels say the same per side)
    const std::array<float, 2> label_h = drawPaneLabels(frame_a.get(), frame_b_.get());
    for (int side = 0; side < 2; ++side) {
      render::OverlayInputs pane_ov = ov;
      pane_ov.free_rect = paneRect(side);
      pane_ov.free_rect[1] += label_h[static_cast<std::size_t>(side)];
      if (side != input_pane_) {
        pane_ov.cursor_world.reset();
        pane_ov.probe.reset();
      }
      // a legend wider than a pane is cut at the divider rather than drawn over the other side
      const auto pr = paneRect(side);
      ImGui::GetBackgroundDrawList()->PushClipRect(ImVec2(pr[0], pr[1]), ImVec2(pr[2], pr[3]), true);
      render::drawCanvasOverlays(paneCamera(side), side == 0 ? scene_ : scene_b_, ui_.view, pane_ov);
      ImGui::GetBackgroundDrawList()->PopClipRect();
    }
  }
  // a lesson's caption sits above the tick labels, or above the presenter legend and caption
  float caption_bottom = free_rect_[3] - 1.8f * ImGui::GetFontSize();
  if (!split()) {
    render::drawCanvasOverlays(cam_, scene_, ui_.view, ov);
    if (frame && ui_.view.presenter) caption_bottom = render::drawPresenterOverlay(*frame, ui_.view, free_rect_) - 6.f;
  }
  drawLessonCaption(caption_bottom);
  // the sphere view: the bandwidth as a geodesic circle around the point under the cursor
  if (!split() && scene_.sphereMode() && canvas_.cursor_sphere && ui_.view.show_bandwidth_circle && frame &&
      frame->bandwidth > 0)
    render::drawGeodesicCircle(orbit_, *canvas_.cursor_sphere, static_cast<float>(frame->bandwidth));
  if (!split() && scene_.sphereMode() && canvas_.sphere_probe) render::drawSphereProbe(orbit_, *canvas_.sphere_probe);
  updateWindowTitle();
  if (frame && frame->generator && ui_.show_latent_grid && !split()) drawLatentGrid(*frame->generator);
  ImGui::Render();
}

// Generator mode with a 2-D latent: the image of a latent grid under the generator (GAN Lab's
// manifold view), as thin lines between neighbouring grid nodes, behind the panels.
void Shell::drawLatentGrid(const GeneratorView& frame) {
  const int nx = frame.latent_nx, ny = frame.latent_ny;
  if (nx < 2 || ny < 2 || frame.latent_grid.rows() != 2 || frame.latent_grid.cols() != static_cast<Eigen::Index>(nx) * ny)
    return;
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  const ImU32 colour = IM_COL32(255, 255, 255, 70);
  auto at = [&](int ix, int iy) {
    const Eigen::Index k = static_cast<Eigen::Index>(iy) * nx + ix;
    const Vec2f p = cam_.worldToScreen({frame.latent_grid(0, k), frame.latent_grid(1, k)});
    return ImVec2(p.x, p.y);
  };
  std::vector<ImVec2> line;
  for (int iy = 0; iy < ny; ++iy) {
    line.clear();
    for (int ix = 0; ix < nx; ++ix) line.push_back(at(ix, iy));
    dl->AddPolyline(line.data(), nx, colour, 0, 1.f);
  }
  for (int ix = 0; ix < nx; ++ix) {
    line.clear();
    for (int iy = 0; iy < ny; ++iy) line.push_back(at(ix, iy));
    dl->AddPolyline(line.data(), ny, colour, 0, 1.f);
  }
}

// to_screen: straight into the window (interactive frames that nobody captures: saves a full-screen
// copy on software GL); otherwise into the fixed-size offscreen target that captures read
void Shell::renderFrame(const std::shared_ptr<const Snapshot>& frame, bool to_screen, int fbw, int fbh) {
  if (to_screen) {
    gl::bindScreen(fbw, fbh);
  } else if (!target_.resize(target_w_, target_h_)) {
    setMessage("cannot create the offscreen framebuffer", true);
    return;
  } else {
    target_.bind();
  }
  gl::clear(kBackground[0], kBackground[1], kBackground[2], 1.f);
  render::SceneOverlay so;
  if (frame) {
    so.cursor = canvas_.cursor_world;
    so.bandwidth = static_cast<float>(frame->bandwidth);
  }
  const ViewOptions& v = ui_.view;
  if (canvas_.cursor_world && (v.tool == CanvasTool::Brush || v.tool == CanvasTool::Erase)) {
    so.brush = canvas_.cursor_world;
    so.brush_radius = v.brush_radius;
  }
  if (canvas_.probe) {
    so.probe = canvas_.probe->at;
    so.probe_velocity = canvas_.probe->v;
  }
  if (split())
    renderPanes(to_screen ? fbw : target_w_, to_screen ? fbh : target_h_, so);
  else if (scene_.sphereMode())
    scene_.drawSphere(orbit_, ui_.view, dpi_scale_);
  else
    scene_.draw(cam_, ui_.view, dpi_scale_, so);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

// [SECTION] capture

void Shell::toggleRecording() { toggleRecordingTo(""); }

// path "" = a time-stamped MP4 in the working directory (F9); timed test runs pass --record's path
void Shell::toggleRecordingTo(const std::string& requested) {
  if (recorder_.active()) {
    bool ok = false;
    std::string msg = recorder_.stop(&ok);
    setMessage(msg, !ok);
    glfwSetWindowAttrib(window_, GLFW_RESIZABLE, GLFW_TRUE);
    return;
  }
  std::string path = requested.empty() ? capturePath(capture::CaptureKind::Video, "mp4") : requested;
  if (path.empty()) return;  // the captures folder cannot be made: capturePath said why
  // the FBO size is fixed for the whole recording (even sizes for yuv420p)
  std::string err = recorder_.start(path, capture::Recorder::formatForPath(path), target_w_, target_h_, opt_.fps);
  if (!err.empty()) {
    setMessage(err, true);
    return;
  }
  glfwSetWindowAttrib(window_, GLFW_RESIZABLE, GLFW_FALSE);
  setMessage("recording to " + path + " (F9 stops)", false);
}

// Pause + Reset in one batch: the worker publishes the paused step-0 state, which
// advanceRecordFromReset turns into the recording's first frame. A recording already running is
// closed first (a retake keeps the earlier file).
void Shell::recordFromReset(const std::string& path, bool resume) {
  if (!worker_) return;
  if (recorder_.active()) toggleRecording();
  const auto latest = worker_->latest();
  const double speed = ui_.speed(generator_mode_);  // the speed sent to this run (sendSpeed)
  const auto hold = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(speed > 0 ? std::min(1.0, 1.0 / speed) : 0.0));
  record_from_reset_.request(latest ? latest->snapshot_id : 0, resume, hold, path);
  sendToAll(cmd::Pause{});
  sendToAll(cmd::Reset{});
  setMessage("resetting to record from step 0", false);
}

// Render thread, once per frame; never waits: it only looks at the snapshot it already has.
std::shared_ptr<const Snapshot> Shell::advanceRecordFromReset(std::shared_ptr<const Snapshot> frame) {
  const auto now = Clock::now();
  if (frame && record_from_reset_.startsWith(frame->snapshot_id, frame->step, frame->paused, now) &&
      !recorder_.active()) {
    toggleRecordingTo(record_from_reset_.path());
    if (recorder_.active()) {
      setMessage("recording from step 0 to " + recorder_.path() + " (F9 stops)", false);
    } else {
      record_from_reset_.cancel();
      if (!opt_.record.empty()) record_failed_ = true;  // --record-from-reset: the run fails (exit 1)
    }
  }
  if (record_from_reset_.resumeDue(now)) sendToAll(cmd::Resume{});
  if (frame && frame->paused && record_from_reset_.holding()) {
    // step 0 held before the resume: shown as the running run it is part of
    auto shown = std::make_shared<Snapshot>(*frame);
    shown->paused = false;
    frame = shown;
  }
  return frame;
}

bool Shell::captureFrame() {
  bool need_pixels = recorder_.active() || screenshot_requested_ || !pending_screenshot_.empty();
  if (!need_pixels) return true;
  target_.readPixels(pixels_);
  if (recorder_.active()) {
    std::string err = recorder_.addFrame(pixels_);
    if (!err.empty()) {
      recorder_.stop();
      setMessage(err, true);
      record_failed_ = true;
    }
  }
  if (screenshot_requested_) {
    screenshot_requested_ = false;
    if (std::string path = capturePath(capture::CaptureKind::Picture, "png"); !path.empty()) screenshotTo(path);
  }
  if (!pending_screenshot_.empty()) {
    screenshotTo(pending_screenshot_);
    pending_screenshot_.clear();
  }
  return !record_failed_;
}

std::string Shell::capturePath(capture::CaptureKind kind, const char* ext) {
  const capture::CapturesFolder folder = capture::ensureCapturesFolder(kind);
  if (!folder.error.empty()) {
    setMessage(folder.error, true);
    return {};
  }
  return capture::timestampedPath(folder.path, "driftlab", ext);
}

void Shell::updateWindowTitle() {
  if (!window_) return;
  std::string t = title_base_;
  if (ui_.view.presenter) {
    if (recorder_.active()) t += "  [REC " + recorder_.path() + "]";
    if (!status_.message.empty()) t += "  |  " + status_.message;
  }
  if (t == shown_title_) return;
  glfwSetWindowTitle(window_, t.c_str());
  shown_title_ = t;
}

void Shell::screenshotTo(const std::string& path) {
  std::string err = capture::writePng(path, target_.width(), target_.height(), pixels_);
  if (err.empty())
    setMessage("screenshot saved to " + path, false);
  else
    setMessage(err, true);
  if (opt_.headless) std::fprintf(stderr, "driftlab: %s\n", status_.message.c_str());
}

// [SECTION] interactive loop

int Shell::interactiveLoop() {
  if (!startInitialRun(false)) {
    // the scenario parsed but its data or init file did not load: the default preset runs instead
    fallBackToDefault();
    if (!startInitialRun(false)) return 2;
  }
  if (!start_error_.empty()) setMessage(start_error_ + " -- the default preset runs instead", true);
  const int rc = interactiveFrames();
  return rc == 0 && !start_error_.empty() ? 2 : rc;
}

void Shell::fallBackToDefault() {
  scenario_ = defaultScenario();
  gen_scenario_ = GeneratorScenario{};
  generator_mode_ = false;
  initial_source_ = "the default preset";
  pending_lesson_.reset();
  script_.clear();
}

int Shell::interactiveFrames() {
  if (pending_lesson_) {
    adoptLesson(std::move(*pending_lesson_));
    pending_lesson_.reset();
  }
  long frames = 0;
  auto t0 = Clock::now();
  while (!glfwWindowShouldClose(window_)) {
    glfwPollEvents();
    if (glfwGetWindowAttrib(window_, GLFW_ICONIFIED) && !recorder_.active()) {
      glfwWaitEventsTimeout(0.05);
      continue;
    }
    // files dropped on the window: the first scenario file is loaded, errors shown in the UI
    if (!dropped_.empty()) {
      std::string path = dropped_.front();
      dropped_.clear();
      loadScenarioFile(path);
    }
    pollFork();  // a fork's answer, once A's worker gave it (never waits)
    keepSidesTogether();
    if (lesson_) stepLesson(std::chrono::duration<double>(Clock::now() - lesson_started_).count(), CommandEffects{});
    auto frame = advanceRecordFromReset(worker_->latest());  // a pointer copy; never waits for a step
    frame_b_ = worker_b_ ? worker_b_->latest() : nullptr;
    // render on change: with nothing new (no snapshot, no input for kSettleFrames frames) the loop
    // waits for events instead of redrawing the same picture -- on a software renderer a frame
    // costs ~17 ms of CPU that the engine (a generator in training) would otherwise not get.
    // Timed runs, recordings and screenshots draw every iteration as before.
    const std::uint64_t snapshot_id = frame ? frame->snapshot_id : 0;
    const std::uint64_t snapshot_b = frame_b_ ? frame_b_->snapshot_id : 0;
    if (input_seen_) {
      settle_frames_ = kSettleFrames;
      input_seen_ = false;
    }
    const bool may_idle = opt_.frames <= 0 && !recorder_.active() && !screenshot_requested_ &&
                          pending_screenshot_.empty() && dropped_.empty() && !record_from_reset_.waiting() &&
                          !pending_fork_.valid();
    if (may_idle && snapshot_id == drawn_snapshot_id_ && snapshot_b == drawn_snapshot_b_ && settle_frames_ == 0) {
      glfwWaitEventsTimeout(kIdlePollSeconds);  // an input event ends the wait at once
      continue;
    }
    if (settle_frames_ > 0) --settle_frames_;
    drawn_snapshot_id_ = snapshot_id;
    drawn_snapshot_b_ = snapshot_b;
    int fbw = 0, fbh = 0, ww = 0, wh = 0;
    glfwGetFramebufferSize(window_, &fbw, &fbh);
    glfwGetWindowSize(window_, &ww, &wh);
    if (fbw <= 0 || fbh <= 0 || ww <= 0 || wh <= 0) {
      glfwWaitEventsTimeout(0.05);
      continue;
    }
    dpi_scale_ = static_cast<float>(fbw) / static_cast<float>(ww);
    if (!recorder_.active()) {
      target_w_ = std::max(2, fbw & ~1);
      target_h_ = std::max(2, fbh & ~1);
    }
    cam_.setViewport(static_cast<float>(ww), static_cast<float>(wh));
    buildFrame(frame, true);
    maybeSendView(false);
    if (opt_.frames > 0 && frames + 1 >= opt_.frames && !opt_.screenshot.empty()) pending_screenshot_ = opt_.screenshot;
    // timed runs with --record exercise the F9 path: start at the first frame, stop after the last
    if (frames == 0 && !opt_.record.empty() && opt_.record_from_reset) {
      // starts with the step-0 frame a few frames from now; the run is meant to run even if the
      // latest snapshot is still the new worker's paused first one
      recordFromReset(opt_.record, /*resume=*/true);
    } else if (frames == 0 && !opt_.record.empty() && !recorder_.active()) {
      toggleRecordingTo(opt_.record);
      if (!recorder_.active()) {
        std::fprintf(stderr, "driftlab: %s\n", status_.message.c_str());
        return 1;
      }
    }
    bool capture = recorder_.active() || screenshot_requested_ || !pending_screenshot_.empty();
    renderFrame(frame, !capture, fbw, fbh);
    if (capture) {
      captureFrame();
      target_.blitToScreen(fbw, fbh);
    }
    glfwSwapBuffers(window_);
    if (opt_.frames > 0 && ++frames >= opt_.frames) break;
  }
  if (recorder_.active()) {
    toggleRecording();  // the F9 stop path: checks the frames and reports the path
    std::fprintf(stderr, "driftlab: %s\n", status_.message.c_str());
    if (status_.message_is_error) return 1;
  } else if (record_failed_ || (opt_.record_from_reset && record_from_reset_.waiting())) {
    std::fprintf(stderr, "driftlab: %s\n", record_failed_ ? status_.message.c_str()
                                                          : "--record-from-reset: the run's step 0 never came");
    return 1;
  }
  if (opt_.frames > 0 && start_error_.empty()) {  // a failed start keeps its one line
    // timed test runs (--frames without --headless): the UI rate and the engine rate side by side
    double secs = std::chrono::duration<double>(Clock::now() - t0).count();
    auto last = worker_->latest();
    std::fprintf(stderr, "driftlab: %ld interactive frames in %.2f s (%.1f UI fps); engine at step %ld, %.3g steps/s, N %ld, M %ld\n",
                 frames, secs, secs > 0 ? static_cast<double>(frames) / secs : 0.0, last ? last->step : 0L,
                 last ? last->steps_per_second : 0.0, last ? static_cast<long>(last->particles.cols()) : 0L,
                 last ? static_cast<long>(last->data.cols()) : 0L);
  }
  return 0;
}

int Shell::run() {
  // a bad start (scenario, preset, --set, --view, lesson): headless capture ends with the one line
  // and exit code 2; the window opens on the default preset with the error shown in it, and the
  // program still ends with exit code 2 (scripts that start the app learn of it)
  if (!loadInitial()) {
    if (opt_.headless) return 2;
    fallBackToDefault();
  }
  if (!createWindow()) return 1;
  initImGui();
  makeActions();
  if (opt_.hide_panels) ui_.show_panels = false;
  try {
    for (const Lesson& l : builtinLessons()) ui_.lesson.catalog.emplace_back(l.name, l.summary);
  } catch (const std::exception& e) {
    setMessage(e.what(), true);  // a built-in lesson that does not parse (tests catch this first)
  }
  // headless capture has no wall-clock speed: each frame advances exactly --steps-per-frame steps,
  // and the panels say so (unlimited) rather than show a cap that does not apply
  if (opt_.headless) ui_.flow_speed = ui_.generator_speed = 0.0;
  return opt_.headless ? headlessLoop() : interactiveLoop();
}

int runShell(const ShellOptions& options) {
  Shell shell(options);
  return shell.run();
}

}  // namespace driftlab::app
