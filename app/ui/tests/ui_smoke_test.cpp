// Headless ImGui test of drawUi: a context with no backend, no GL and no display (ImGui 1.86 has
// no null backend: set DisplaySize, build the font atlas, NewFrame/Render; STYLE.md L12). A
// fabricated Snapshot with history, markers, warnings and an error drives the panels; mouse
// input is injected through ImGuiIO (the pre-1.87 API) to click a button and drag a slider.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <variant>
#include <thread>
#include <vector>

#include "../comparison_job.hpp"
#include "../panels.hpp"
#include "../plot_widget.hpp"
#include "../ui.hpp"
#include "../widgets.hpp"
#include "shortcuts.hpp"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>  // key codes only (ImGui 1.86 keys are GLFW key codes)
#include "driftlab/flow/param_table.hpp"
#include "driftlab/flow/scenario.hpp"
#include "imgui.h"
#include "imgui_internal.h"

using namespace driftlab;
using namespace driftlab::app::ui;

namespace {

std::shared_ptr<Snapshot> makeSnapshot(const FlowParams& params, std::uint64_t version) {
  auto s = std::make_shared<Snapshot>();
  s->snapshot_id = version * 10;
  s->params_version = version;
  s->params = params;
  s->step = 30000;
  s->time = 290.0;
  s->step_size = params.step;
  s->eta_used = params.step * 0.8;
  s->bandwidth = params.bandwidth.h;
  s->steps_per_second = 250.0;
  s->particles = PointsF::Random(2, 500);
  s->velocities = PointsF::Random(2, 500);
  s->data = PointsF::Random(2, 800);
  s->mode_centres = PointsF::Random(2, 8);
  s->terms = {Divergence::ReverseKL, Divergence::Chi2};
  auto h = std::make_shared<MetricHistory>();
  for (int i = 0; i < 3000; ++i) {
    Metrics m;
    m.step = i * 10;
    m.time = i * 0.1;
    m.mmd2 = std::exp(-i / 500.0) * (1.0 + 0.1 * std::sin(i));
    m.energy = 2.0 * std::exp(-i / 700.0);
    m.sliced_w2 = 0.5 * std::exp(-i / 900.0);
    m.kl_qp = 0.5 * std::exp(-i / 800.0) - 0.01;  // turns negative: a gap on log axes
    m.kl_pq = 0.3 * std::exp(-i / 600.0);
    m.chi2 = 4.0 * std::exp(-i / 400.0);
    m.modes_covered = std::min(8, i / 100);
    m.modes_total = 8;
    m.objective = i < 10 ? NAN : 1.0 / (1.0 + i);
    // mode mass: mode 0 over-full, mode 7 empty at the start, balanced at the end
    const double drift = std::exp(-i / 500.0) / 8.0;
    m.mode_share = {0.125 + drift, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125 - drift};
    m.mode_weight.assign(8, 0.125);
    m.mode_tv = drift;
    h->rows.push_back(m);
  }
  h->markers = {{10000, 100.0, "kernel=laplacian"}, {15000, 150.0, "bandwidth=0.05"}, {15100, 151.0, "divergence=chi2"}};
  s->history = h;
  s->warnings = {"step 1200: blow-up rolled back, eta halved to 0.005"};
  s->error = "step: must be > 0 (got -1)";
  return s;
}

// one ImGui context without any backend, plus the commands drawUi sends
struct Harness {
  ImGuiContext* ctx;
  UiState state;
  UiActions actions;
  AppStatus status;
  std::vector<Command> sent;
  int presets_loaded = 0;
  std::string last_preset;

  explicit Harness(float w = 1280.f, float h = 720.f) {
    ctx = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(w, h);
    io.IniFilename = nullptr;
    io.DeltaTime = 1.f / 60.f;
    unsigned char* pixels = nullptr;
    int tw = 0, th = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
    actions.send = [this](Command c) { sent.push_back(std::move(c)); };
    actions.load_preset = [this](const std::string& name) {
      ++presets_loaded;
      last_preset = name;
    };
    status.ui_fps = 60.f;
    status.message = "loaded scenario.json";
  }
  ~Harness() { ImGui::DestroyContext(ctx); }
  Harness(const Harness&) = delete;
  Harness& operator=(const Harness&) = delete;

  void frame(const Snapshot* snap) {
    ImGui::NewFrame();
    drawUi(snap, state, actions, status);
    ImGui::Render();
  }
  // press and release at pos, one frame each
  void click(ImVec2 pos, const Snapshot* snap) {
    mouse(pos, true);
    frame(snap);
    mouse(pos, false);
    frame(snap);
  }
  void mouse(ImVec2 pos, bool down) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = pos;
    io.MouseDown[0] = down;
  }
  // centre of the item `label` (an ID in window `window`) found by sweeping the mouse down the
  // window at x offset `dx`; (-1, -1) when it is not found
  ImVec2 find(const char* window, const char* label, const Snapshot* snap, float dx = 40.f) {
    ImGuiWindow* win = ImGui::FindWindowByName(window);
    if (win == nullptr) return ImVec2(-1, -1);
    const ImGuiID id = win->GetID(label);
    float first = -1, last = -1;
    for (float y = win->Pos.y + 1; y < win->Pos.y + win->Size.y; y += 2.f) {
      mouse(ImVec2(win->Pos.x + dx, y), false);
      frame(snap);
      if (ctx->HoveredId == id) {
        if (first < 0) first = y;
        last = y;
      } else if (first >= 0) {
        break;
      }
    }
    mouse(ImVec2(-1, -1), false);
    frame(snap);
    return first < 0 ? ImVec2(-1, -1) : ImVec2(win->Pos.x + dx, (first + last) / 2);
  }
};

template <class T>
int countOf(const std::vector<Command>& cmds) {
  int n = 0;
  for (const auto& c : cmds) n += std::holds_alternative<T>(c) ? 1 : 0;
  return n;
}

int maxVertices() {
  int mx = 0;
  const ImDrawData* dd = ImGui::GetDrawData();
  for (int i = 0; i < dd->CmdListsCount; ++i) mx = std::max(mx, dd->CmdLists[i]->VtxBuffer.Size);
  return mx;
}

}  // namespace

TEST_CASE("drawUi runs headless with and without a snapshot and sends nothing without input") {
  Harness h;
  h.frame(nullptr);  // before the engine's first frame
  const FlowParams params;
  const auto snap = makeSnapshot(params, 3);
  for (int i = 0; i < 3; ++i) h.frame(snap.get());
  CHECK(h.sent.empty());
  // the panels are there on the first frames, without any click
  ImGuiWindow* controls = ImGui::FindWindowByName("Controls");
  ImGuiWindow* plots = ImGui::FindWindowByName("Plots");
  REQUIRE(controls != nullptr);
  REQUIRE(plots != nullptr);
  CHECK_FALSE(controls->Collapsed);
  CHECK_FALSE(plots->Collapsed);
  CHECK(controls->DrawList->VtxBuffer.Size > 1000);
  CHECK(plots->DrawList->VtxBuffer.Size > 1000);
  // the shadow copy follows the snapshot
  CHECK(h.state.shadow.valid);
  CHECK(h.state.shadow.version == 3u);
  CHECK(h.state.shadow.params == params);
  // the help window and the hidden-panels mode also draw
  h.state.show_help = true;
  h.frame(snap.get());
  CHECK(ImGui::FindWindowByName("Help") != nullptr);
  h.state.show_panels = false;
  h.frame(snap.get());
  CHECK(h.sent.empty());
}

TEST_CASE("keyboard: P toggles presenter mode; the View panel shows its UI scale") {
  Harness h;
  app::ShortcutActions a;
  auto press = [&](int key) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[key] = true;
    ImGui::NewFrame();
    app::handleShortcuts(h.state, a);
    ImGui::Render();
    io.KeysDown[key] = false;
    ImGui::NewFrame();
    app::handleShortcuts(h.state, a);
    ImGui::Render();
  };
  CHECK_FALSE(h.state.view.presenter);
  CHECK(h.state.view.uiScale() == doctest::Approx(1.0));
  press(GLFW_KEY_P);
  CHECK(h.state.view.presenter);
  CHECK(h.state.view.uiScale() == doctest::Approx(1.7));
  h.frame(nullptr);  // the panels draw in presenter mode
  press(GLFW_KEY_P);
  CHECK_FALSE(h.state.view.presenter);
}

TEST_CASE("every control drawn has a (?) help text") {
  Harness h(1280.f, 3000.f);  // tall enough that every section is laid out
  FlowParams params;
  params.bandwidth.rule = BandwidthRule::Anneal;  // shows the annealing controls too
  params.kernel.kind = KernelKind::IMQ;
  params.velocity_mode = VelocityMode::ExactSmoothed;
  const auto snap = makeSnapshot(params, 1);
  h.state.view.tool = app::CanvasTool::DropBlob;
  h.state.view.split = app::FieldSplit::PerTerm;
  h.state.view.arrow_mode = app::ArrowMode::TrueLength;
  for (int i = 0; i < 2; ++i) h.frame(snap.get());
  h.state.view.tool = app::CanvasTool::Brush;
  h.state.plots_grouped = false;
  params.bandwidth.rule = BandwidthRule::MultiScale;
  params.kernel.kind = KernelKind::StudentT;
  const auto snap2 = makeSnapshot(params, 2);
  for (int i = 0; i < 2; ++i) h.frame(snap2.get());
  std::string missing;
  for (const auto& k : missingHelpKeys()) missing += k + " ";
  CHECK_MESSAGE(missingHelpKeys().empty(), "keys without help: " << missing);
}

TEST_CASE("panels stay inside the 16-bit index budget and a long plot is decimated") {
  Harness h;
  const auto snap = makeSnapshot(FlowParams{}, 1);
  h.frame(snap.get());
  CHECK(maxVertices() < 65536);

  // one plot of three series of 100000 samples each emits only a few thousand vertices
  std::vector<double> xs(100000), a(100000), b(100000), c(100000);
  for (int i = 0; i < 100000; ++i) {
    xs[i] = i;
    a[i] = 1.0 + std::sin(i * 0.01);
    b[i] = std::exp(-i * 1e-4) * (1.5 + std::cos(i * 0.37));
    c[i] = (i % 7 == 0) ? -1.0 : 0.5 + 1e-5 * i;  // many gaps on the log axis
  }
  const PlotSeries series[] = {{"a", xs.data(), a.data(), 100000, IM_COL32(255, 0, 0, 255)},
                               {"b", xs.data(), b.data(), 100000, IM_COL32(0, 255, 0, 255)},
                               {"c", xs.data(), c.data(), 100000, IM_COL32(0, 0, 255, 255)}};
  const PlotMarker markers[] = {{5000.0, "kernel=laplacian"}, {5001.0, "bandwidth=0.05"}};
  ImGui::NewFrame();
  ImGui::SetNextWindowSize(ImVec2(1000, 400));
  ImGui::Begin("plot test");
  const int before = ImGui::GetWindowDrawList()->VtxBuffer.Size;
  PlotOptions opt;
  opt.log_y = true;
  opt.size = ImVec2(-1, 300);
  plotLines("big", series, markers, opt);
  const int used = ImGui::GetWindowDrawList()->VtxBuffer.Size - before;
  ImGui::End();
  ImGui::Render();
  MESSAGE("vertices for 3 x 100000 samples: " << used);
  CHECK(used > 100);
  CHECK(used < 8000);
}

TEST_CASE("hovering a plot shows a read-out and links a cursor to the other plots") {
  Harness h;
  const auto snap = makeSnapshot(FlowParams{}, 1);
  h.frame(snap.get());
  ImGuiWindow* plots = ImGui::FindWindowByName("Plots");
  REQUIRE(plots != nullptr);
  // below the mode-mass chart at the window's top: inside one of the stacked plots
  h.mouse(ImVec2(plots->Pos.x + plots->Size.x * 0.6f, plots->Pos.y + plots->Size.y * 0.6f), false);
  h.frame(snap.get());
  h.frame(snap.get());
  CHECK(h.state.plot_cursor);
  CHECK(h.state.plot_cursor_x > 0.0);
  CHECK(h.state.plot_cursor_x < 30000.0);
  h.state.plot_vs_time = true;  // the same in flow time
  h.frame(snap.get());
  h.frame(snap.get());
  CHECK(h.state.plot_cursor);
  CHECK(h.state.plot_cursor_x < 300.0);
  CHECK(h.sent.empty());
}

TEST_CASE("clicking Pause sends cmd::Pause") {
  Harness h(1280.f, 3000.f);
  const auto snap = makeSnapshot(FlowParams{}, 1);
  h.frame(snap.get());
  const ImVec2 p = h.find("Controls", "Pause (Space)", snap.get());
  REQUIRE(p.x >= 0);
  h.click(p, snap.get());
  REQUIRE(h.sent.size() == 1);
  CHECK(std::holds_alternative<cmd::Pause>(h.sent[0]));
}

TEST_CASE("dragging the step-size slider shows the value at once and sends one SetParams on release") {
  Harness h(1280.f, 3000.f);
  FlowParams params;
  params.step = 0.01;
  const auto snap = makeSnapshot(params, 5);
  h.frame(snap.get());
  const ImVec2 p = h.find("Controls", "step size", snap.get(), 20.f);
  REQUIRE(p.x >= 0);
  // press, drag to the right over several frames
  h.mouse(p, true);
  h.frame(snap.get());
  for (int i = 1; i <= 10; ++i) {
    h.mouse(ImVec2(p.x + 8.f * i, p.y), true);
    h.frame(snap.get());
  }
  CHECK(h.sent.empty());                       // nothing while dragging
  const double dragged = h.state.shadow.params.step;
  CHECK(dragged > 0.01);                       // but the value moved (log slider, to the right)
  h.mouse(ImVec2(p.x + 80.f, p.y), false);     // release
  h.frame(snap.get());
  REQUIRE(countOf<cmd::SetParams>(h.sent) == 1);
  const auto& sp = std::get<cmd::SetParams>(h.sent.back());
  CHECK(sp.params.step == doctest::Approx(dragged).epsilon(1e-12));
  CHECK(sp.params.kernel.kind == params.kernel.kind);  // the rest of the copy is the engine's

  // until the engine echoes it, the shadow keeps the edit although the snapshot is unchanged
  h.mouse(ImVec2(-1, -1), false);
  for (int i = 0; i < 5; ++i) h.frame(snap.get());
  CHECK(h.state.shadow.params.step == doctest::Approx(dragged).epsilon(1e-12));
  // the echo (a newer params_version) is followed
  FlowParams echoed = params;
  echoed.step = 0.02;
  const auto snap2 = makeSnapshot(echoed, 6);
  h.frame(snap2.get());
  CHECK(h.state.shadow.params.step == doctest::Approx(0.02).epsilon(1e-12));
  CHECK(h.state.shadow.version == 6u);
}

TEST_CASE("a mixture with every weight at zero is refused in the panel, not sent") {
  Harness h(1280.f, 3000.f);
  FlowParams params;
  params.weights = DivergenceWeights::single(Divergence::ReverseKL);
  const auto snap = makeSnapshot(params, 1);
  h.frame(snap.get());
  const ImVec2 p = h.find("Controls", "reverse_kl", snap.get(), 20.f);
  REQUIRE(p.x >= 0);
  h.mouse(p, true);
  h.frame(snap.get());
  h.mouse(ImVec2(p.x - 400.f, p.y), true);  // far to the left: weight 0
  h.frame(snap.get());
  h.frame(snap.get());
  h.mouse(ImVec2(p.x - 400.f, p.y), false);
  h.frame(snap.get());
  CHECK(countOf<cmd::SetParams>(h.sent) == 0);
  CHECK(h.state.shadow.local_error.find("weights") != std::string::npos);
  h.frame(snap.get());
  CHECK(h.state.shadow.params.weights[Divergence::ReverseKL] == doctest::Approx(1.0).epsilon(1e-12));
}

TEST_CASE("choosing a preset in the combo asks the shell to load it and keeps its name") {
  Harness h(1280.f, 3000.f);
  const auto snap = makeSnapshot(FlowParams{}, 1);
  h.frame(snap.get());
  const ImVec2 combo = h.find("Controls", "preset", snap.get(), 20.f);
  REQUIRE(combo.x >= 0);
  h.mouse(combo, true);  // open the combo
  h.frame(snap.get());
  h.mouse(combo, false);
  h.frame(snap.get());
  h.frame(snap.get());
  // the popup lists the presets below the combo: click the second entry
  const float row = ImGui::GetTextLineHeightWithSpacing();
  const ImVec2 entry(combo.x, combo.y + ImGui::GetFrameHeight() * 0.5f + row * 1.5f + 4.f);
  h.click(entry, snap.get());
  REQUIRE(h.presets_loaded == 1);
  CHECK_FALSE(h.last_preset.empty());
  CHECK(h.state.preset == h.last_preset);
  CHECK(h.sent.empty());  // the shell loads presets; no engine command from the panel itself
}

TEST_CASE("the plot groups show every metric once and a mode plot only for mixtures") {
  for (bool grouped : {true, false}) {
    for (bool mixture : {true, false}) {
      const auto groups = plotGroups(grouped, mixture);
      std::vector<int> seen(8, 0);
      for (const auto& g : groups)
        for (int m : g.metrics) ++seen[m];
      for (int m = 0; m < 8; ++m) CHECK(seen[m] == (m == 6 && !mixture ? 0 : 1));  // 6 = modes covered
      bool has_mode_plot = false;
      for (const auto& g : groups) has_mode_plot = has_mode_plot || std::string(g.title) == "modes covered";
      CHECK(has_mode_plot == mixture);
    }
  }
  CHECK(plotGroups(true, true).size() == 4);
  CHECK(plotGroups(false, false).size() == 7);
}

TEST_CASE("generator mode: the Run panel shows the generator, Save model and the mode switch call the shell") {
  Harness h(1280.f, 3000.f);
  auto snap = makeSnapshot(FlowParams{}, 1);
  auto gen = std::make_shared<GeneratorView>();
  snap->step = 120;
  gen->name = "gen_checkerboard";
  gen->settings = "32-256-256-256-2 silu, lr 0.001, batch 2048/2048, eta 1";
  gen->lr = 1e-3;
  gen->eta = 1.0;
  gen->batch = 2048;
  gen->data_batch = 2048;
  gen->latent = 2;
  gen->widths = "256,256,256";
  gen->latent_nx = gen->latent_ny = 3;
  gen->latent_grid = PointsF::Random(2, 9);
  snap->generator = gen;
  std::vector<std::string> saved;
  std::vector<bool> modes;
  h.actions.save_model = [&](const std::string& p) { saved.push_back(p); };
  h.actions.set_generator_mode = [&](bool g) { modes.push_back(g); };
  h.state.model_path = "trained.json";
  for (int i = 0; i < 2; ++i) h.frame(snap.get());
  CHECK(h.sent.empty());  // drawing alone sends nothing
  const ImVec2 save = h.find("Controls", "Save model", snap.get(), 290.f);
  REQUIRE(save.x >= 0);
  h.click(save, snap.get());
  REQUIRE(saved.size() == 1);
  CHECK(saved[0] == "trained.json");
  const ImVec2 particles = h.find("Controls", "drifting", snap.get(), 70.f);
  REQUIRE(particles.x >= 0);
  h.click(particles, snap.get());
  REQUIRE(modes.size() == 1);
  CHECK_FALSE(modes[0]);
}

TEST_CASE("All settings lists every particle-flow setting of the parameter table with its value and help") {
  Harness h(1280.f, 3000.f);
  FlowParams params;
  params.step = 0.025;
  params.bandwidth.scales = {0.02, 0.05, 0.2};
  const auto snap = makeSnapshot(params, 1);
  h.frame(snap.get());  // the shadow follows the snapshot
  ImGui::NewFrame();
  ImGui::Begin("all settings test");
  drawAllSettingsSection(snap.get(), h.state.shadow, h.actions);
  ImGui::End();
  ImGui::Render();
  Scenario expected;
  expected.params = params;
  int rows = 0;
  for (const ParamInfo& info : flowParamInfos()) {
    if (info.mode != ParamMode::Shared && info.mode != ParamMode::Particles) continue;
    ++rows;
    CAPTURE(info.key);
    REQUIRE(h.state.shadow.setting_texts.count(info.key) == 1);
    CHECK(h.state.shadow.setting_texts[info.key] == settingValue(expected, info.key));
  }
  CHECK(rows >= 30);
  CHECK(h.state.shadow.setting_texts["step"] == "0.025");
  CHECK(h.state.shadow.setting_texts["bandwidth.scales"] == "0.02,0.05,0.2");
  CHECK(missingHelpKeys().empty());
  CHECK(h.sent.empty());
}

TEST_CASE("the speed control: the app starts at the watch speed, the slider is off while unlimited, a drag sends its rate") {
  Harness h(1280.f, 3000.f);
  const auto snap = makeSnapshot(FlowParams{}, 1);
  h.frame(snap.get());
  CHECK(h.state.flow_speed == app::kWatchStepsPerSecond);  // the app starts watchable
  auto click = [&](const char* label) {
    const ImVec2 p = h.find("Controls", label, snap.get(), 20.f);
    REQUIRE(p.x >= 0);
    h.mouse(p, true);
    h.frame(snap.get());
    h.mouse(p, false);
    h.frame(snap.get());
    h.mouse(ImVec2(-1, -1), false);
    h.frame(snap.get());
  };
  h.state.flow_speed = 0.0;  // as if "unlimited" had been ticked
  h.sent.clear();
  click("speed");  // disabled while unlimited: nothing sent
  CHECK(countOf<cmd::SetStepRate>(h.sent) == 0);
  h.state.flow_speed = 50.0;
  h.state.last_limited_speed = 50.0;
  h.frame(snap.get());
  const ImVec2 s = h.find("Controls", "speed", snap.get(), 20.f);
  REQUIRE(s.x >= 0);
  h.mouse(s, true);  // a click on the slider's left end: 1 step/s, sent on release
  h.frame(snap.get());
  h.mouse(s, false);
  h.frame(snap.get());
  REQUIRE(countOf<cmd::SetStepRate>(h.sent) == 1);
  const double sent = std::get<cmd::SetStepRate>(h.sent.back()).steps_per_second;
  CHECK(sent >= 1.0);
  CHECK(sent < 50.0);
  CHECK(h.state.flow_speed == doctest::Approx(sent));
}

TEST_CASE("keyboard: [ and ] call slower and faster, Shift+F9 records from reset, F9 alone toggles recording") {
  Harness h;
  int slower = 0, faster = 0, from_reset = 0, toggles = 0;
  app::ShortcutActions a;
  a.slower = [&] { ++slower; };
  a.faster = [&] { ++faster; };
  a.record_from_reset = [&] { ++from_reset; };
  a.toggle_recording = [&] { ++toggles; };
  // one key press: down for a frame (ImGui 1.86 keys are GLFW key codes), then up
  auto press = [&](int key, bool shift) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[key] = true;
    io.KeyShift = shift;
    ImGui::NewFrame();
    app::handleShortcuts(h.state, a);
    ImGui::Render();
    io.KeysDown[key] = false;
    io.KeyShift = false;
    ImGui::NewFrame();
    app::handleShortcuts(h.state, a);
    ImGui::Render();
  };
  press(GLFW_KEY_LEFT_BRACKET, false);
  CHECK(slower == 1);
  press(GLFW_KEY_RIGHT_BRACKET, false);
  CHECK(faster == 1);
  press(GLFW_KEY_F9, /*shift=*/true);
  CHECK(from_reset == 1);
  CHECK(toggles == 0);
  press(GLFW_KEY_F9, false);
  CHECK(toggles == 1);
  CHECK(from_reset == 1);
}

TEST_CASE("the Images window opens by itself for the 8x8 digits, notes a shape that does not fit, I toggles it") {
  Harness h;
  FlowParams params;
  const auto flat = makeSnapshot(params, 1);
  for (int i = 0; i < 2; ++i) h.frame(flat.get());
  CHECK_FALSE(h.state.view.images.show);  // 2-D data: closed
  CHECK(ImGui::FindWindowByName("Images") == nullptr);
  const int without = ImGui::GetDrawData()->TotalVtxCount;

  params.dataset = "digits";
  auto digits = makeSnapshot(params, 2);
  digits->particles = (PointsF::Random(64, 300).array() + 1.f) * 8.f;
  digits->velocities = PointsF::Random(64, 300);
  digits->data = (PointsF::Random(64, 400).array() + 1.f) * 8.f;
  digits->data.col(5) = digits->particles.col(3);  // one exact copy
  digits->mode_centres = (PointsF::Random(64, 10).array() + 1.f) * 8.f;
  for (int i = 0; i < 2; ++i) h.frame(digits.get());
  CHECK(h.state.view.images.show);
  REQUIRE(ImGui::FindWindowByName("Images") != nullptr);
  const int plain = ImGui::GetDrawData()->TotalVtxCount;
  CHECK(plain > without + 2 * 64 * 4 * 20);  // 2 x 64 images of many pixels each
  CHECK(h.state.image_grid.matcher.nearestClass().size() == 64u);

  // the overlay: one nearest data image per particle, the copy among them found
  h.state.view.images.nearest = true;
  h.frame(digits.get());
  const app::ImageMatcher& m = h.state.image_grid.matcher;
  CHECK(m.withNearest());
  CHECK(m.matched() == 64);
  CHECK(m.copies() == 1);
  CHECK(m.isCopy(3));
  CHECK(m.nearestData()[3] == 5);
  CHECK(ImGui::GetDrawData()->TotalVtxCount > plain);

  // a shape that does not fit d: a note, no images
  h.state.view.images.width = h.state.view.images.height = 7;
  h.frame(digits.get());
  CHECK(ImGui::GetDrawData()->TotalVtxCount < without + 2000);
  h.state.view.images.width = h.state.view.images.height = 0;
  h.frame(digits.get());  // image-like again: it was open, it stays open
  CHECK(h.state.view.images.show);

  // I closes and opens it; closed, it stays closed while the data stay image-like
  app::ShortcutActions a;
  auto press = [&](int key) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[key] = true;
    ImGui::NewFrame();
    app::handleShortcuts(h.state, a);
    ImGui::Render();
    io.KeysDown[key] = false;
    ImGui::NewFrame();
    app::handleShortcuts(h.state, a);
    ImGui::Render();
  };
  press(GLFW_KEY_I);
  CHECK_FALSE(h.state.view.images.show);
  for (int i = 0; i < 2; ++i) h.frame(digits.get());
  CHECK_FALSE(h.state.view.images.show);
  press(GLFW_KEY_I);
  CHECK(h.state.view.images.show);
}

namespace {

// a same-line widget of the Controls window: scanned along the row at height y (found by a
// left-aligned widget of that row), far fewer frames than a scan of the window per x
ImVec2 findOnRow(Harness& h, const char* label, float y, const Snapshot* snap) {
  ImGuiWindow* win = ImGui::FindWindowByName("Controls");
  if (win == nullptr || y < 0) return ImVec2(-1, -1);
  const ImGuiID id = win->GetID(label);
  for (float x = win->Pos.x + 8.f; x < win->Pos.x + win->Size.x; x += 5.f) {
    h.mouse(ImVec2(x, y), false);
    h.frame(snap);
    if (ImGui::GetCurrentContext()->HoveredId == id) {
      h.mouse(ImVec2(-1, -1), false);
      h.frame(snap);
      return ImVec2(x + 2.f, y);
    }
  }
  return ImVec2(-1, -1);
}

}  // namespace

TEST_CASE("mode switch: JKO and DFM are one SetParams each on the particle run") {
  Harness h(1280.f, 3000.f);
  auto snap = makeSnapshot(FlowParams{}, 1);
  for (int i = 0; i < 2; ++i) h.frame(snap.get());
  const float mode_row = h.find("Controls", "drifting", snap.get(), 70.f).y;
  const ImVec2 jko = findOnRow(h, "JKO", mode_row, snap.get());
  REQUIRE(jko.x >= 0);
  h.click(jko, snap.get());
  REQUIRE(countOf<cmd::SetParams>(h.sent) == 1);
  const auto& to_jko = std::get<cmd::SetParams>(h.sent.back());
  CHECK(to_jko.params.integrator == Integrator::Jko);
  CHECK(to_jko.params.mode == FlowMode::Drifting);
  CHECK(to_jko.label == "mode=jko");
  const ImVec2 dfm = findOnRow(h, "DFM", mode_row, snap.get());
  REQUIRE(dfm.x >= 0);
  h.click(dfm, snap.get());
  REQUIRE(countOf<cmd::SetParams>(h.sent) == 2);
  CHECK(std::get<cmd::SetParams>(h.sent.back()).params.mode == FlowMode::Dfm);
}

TEST_CASE("DFM panel: the time slider seeks within the recorded run, the drift choice is a setting, the loss plots") {
  Harness h(1280.f, 3000.f);
  FlowParams p;
  p.mode = FlowMode::Dfm;
  p.dfm_drift = DfmDriftKind::Learned;
  auto snap = makeSnapshot(p, 1);
  snap->step = 100;
  snap->timeline.first_step = 0;
  snap->timeline.end_step = 200;
  auto dfm = std::make_shared<DfmView>();
  dfm->steps = 200;
  dfm->step = 100;
  dfm->t_end = 0.999;
  dfm->t = 100 * 0.999 / 200;
  dfm->near_share = 0.95;
  dfm->learned = true;
  dfm->learned_ready = true;
  for (int k = 0; k < 3000; ++k) dfm->learned_loss.push_back(1.0f / float(1 + k));
  dfm->train_seconds = 3.4;
  dfm->paths = 2;
  dfm->knots = 4;
  dfm->bridge_paths = PointsF::Random(2, 10);
  dfm->oracle_velocity.nx = dfm->oracle_velocity.ny = 2;
  snap->dfm = dfm;
  std::vector<long> seeks;
  h.actions.seek = [&](long step) { seeks.push_back(step); };
  for (int i = 0; i < 2; ++i) h.frame(snap.get());
  CHECK(h.sent.empty());
  // the slider: a click at its left end seeks to step 0 (t = 0)
  const ImVec2 slider = h.find("Controls", "t", snap.get(), 20.f);
  REQUIRE(slider.x >= 0);
  h.click(ImVec2(slider.x - 10.f, slider.y), snap.get());
  REQUIRE(!seeks.empty());
  CHECK(seeks.back() == 0);
  // the drift row lies between the slider and the loss plot: scan rows below the slider
  ImVec2 oracle(-1, -1);
  for (float y = slider.y + 10.f; y < slider.y + 120.f && oracle.x < 0; y += 6.f) oracle = findOnRow(h, "oracle", y, snap.get());
  REQUIRE(oracle.x >= 0);
  h.click(oracle, snap.get());
  REQUIRE(countOf<cmd::SetParam>(h.sent) == 1);
  CHECK(std::get<cmd::SetParam>(h.sent.back()).key_equals_value == "dfm.drift=oracle");
  // arrows: the oracle's instead of the learned ones
  ImVec2 oracle_arrows(-1, -1);
  for (float y = oracle.y + 60.f; y < oracle.y + 260.f && oracle_arrows.x < 0; y += 6.f)
    oracle_arrows = findOnRow(h, "oracle b", y, snap.get());
  REQUIRE(oracle_arrows.x >= 0);
  h.click(oracle_arrows, snap.get());
  CHECK(h.state.view.dfm_oracle_arrows);
}

TEST_CASE("Compare modes window: a finished comparison is plotted and tabled; Run starts another on the run's target") {
  Harness h(1280.f, 900.f);
  auto snap = makeSnapshot(FlowParams{}, 1);
  ComparisonOptions o;
  o.samples = 64;
  o.flow_steps = 5;
  o.jko_steps = 1;
  o.dfm_steps = {2, 5};
  o.dfm_train_steps = 20;
  o.generator_steps = 5;
  h.state.comparison = std::make_shared<ComparisonJob>(o);
  h.state.show_comparison = true;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!comparisonDone(h.state) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  REQUIRE(h.state.comparison->result() != nullptr);
  CHECK(h.state.comparison->result()->curves.size() == 5u);
  for (int i = 0; i < 3; ++i) h.frame(snap.get());
  CHECK(h.sent.empty());
  CHECK(maxVertices() > 0);
  const ImVec2 run = h.find("Compare modes", "Run comparison", snap.get(), 40.f);
  REQUIRE(run.x >= 0);
  h.click(run, snap.get());
  // a new comparison of the default options on the run's dataset (the snapshot's is built in)
  REQUIRE(h.state.comparison != nullptr);
  CHECK(h.state.comparison->options().samples == 512);
  CHECK(h.state.comparison->options().dataset == FlowParams{}.dataset);
  h.state.comparison.reset();  // cancels and joins at once
}
