// GUI-free unit tests of the app's pure parts: the 2-D and orbit cameras, colour maps, script parsing, view
// settings and run loading (build first, swap after). No GL context, no ImGui, no display.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <thread>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/generator/model_file.hpp"
#include "driftlab/run/commands.hpp"
#include "capture/captures_folder.hpp"
#include "capture/record_from_reset.hpp"
#include "render/caption.hpp"
#include <unistd.h>
#include <cstdlib>
#include "render/camera.hpp"
#include "render/colormap.hpp"
#include "render/orbit_camera.hpp"
#include "run_loader.hpp"
#include "run_speed.hpp"
#include "lesson.hpp"
#include "script.hpp"

using driftlab::app::Camera;
using driftlab::app::Vec2f;
using driftlab::app::OrbitCamera;
using driftlab::app::Vec3f;

TEST_CASE("orbit camera: the centre projects to the framing rectangle's centre, north is up") {
  OrbitCamera cam;
  cam.setViewport(800, 600);
  cam.frameInto(200, 0, 800, 600);  // a panel covers the left 200 pixels
  auto c = cam.toScreen({0, 0, 0});
  REQUIRE(c);
  CHECK(c->x == doctest::Approx(500).epsilon(1e-4));
  CHECK(c->y == doctest::Approx(300).epsilon(1e-4));
  auto north = cam.toScreen({0, 0, 1}), south = cam.toScreen({0, 0, -1});
  REQUIRE(north);
  REQUIRE(south);
  CHECK(north->y < c->y);  // screen y grows downwards
  CHECK(south->y > c->y);
  CHECK(north->x == doctest::Approx(500).epsilon(1e-4));  // the axis is vertical on screen
  // the sphere's outline fills 0.40 of the rectangle's smaller side at the default distance
  Vec3f r, u, f;
  cam.basis(r, u, f);
  const float d = cam.distance(), tangent = std::sqrt(d * d - 1.f);
  // a point on the outline: the tangent from the eye touches the sphere at angle asin(1/d)
  Vec3f e = cam.eye();
  const float k = 1.f / d;  // outline point = e/d^2 + right * sqrt(1 - 1/d^2)
  Vec3f rim{e.x * k * k + r.x * tangent * k, e.y * k * k + r.y * tangent * k, e.z * k * k + r.z * tangent * k};
  auto s = cam.toScreen(rim);
  REQUIRE(s);
  CHECK(s->x - c->x == doctest::Approx(0.40 * 600).epsilon(1e-3));
}

TEST_CASE("orbit camera: view matrix is a rigid motion and clip w is the depth") {
  OrbitCamera cam;
  cam.setViewport(640, 480);
  cam.frameInto(0, 0, 640, 480);
  const auto v = cam.view();
  const Vec3f e = cam.eye();
  // the eye maps to the camera origin; the origin lies at depth -distance
  CHECK(v[0] * e.x + v[4] * e.y + v[8] * e.z + v[12] == doctest::Approx(0).epsilon(1e-5));
  CHECK(v[2] * e.x + v[6] * e.y + v[10] * e.z + v[14] == doctest::Approx(0).scale(1).epsilon(1e-5));
  CHECK(v[14] == doctest::Approx(-cam.distance()).epsilon(1e-5));
  // columns of the rotation part are orthonormal
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) {
      float s = 0;
      for (int k = 0; k < 3; ++k) s += v[a * 4 + k] * v[b * 4 + k];
      CHECK(s == doctest::Approx(a == b ? 1.f : 0.f).scale(1).epsilon(1e-5));
    }
  const auto m = cam.viewProjection();
  // clip w = distance from the camera plane: the origin at `distance`
  CHECK(m[15] == doctest::Approx(cam.distance()).epsilon(1e-5));
  // the point facing the eye is in front of the sphere's far side
  Vec3f near_pt{e.x / cam.distance(), e.y / cam.distance(), e.z / cam.distance()};
  CHECK(cam.facesCamera(near_pt));
  CHECK_FALSE(cam.facesCamera({-near_pt.x, -near_pt.y, -near_pt.z}));
}

TEST_CASE("orbit camera: drags rotate, pitch is clamped, zoom is clamped, reset restores north up") {
  OrbitCamera cam;
  const float yaw0 = cam.yawDeg(), pitch0 = cam.pitchDeg();
  cam.rotate(50, 0);
  CHECK(cam.yawDeg() == doctest::Approx(yaw0 - 20));
  cam.rotate(0, 10000);
  CHECK(cam.pitchDeg() == doctest::Approx(OrbitCamera::kMaxPitchDeg));
  cam.rotate(0, -100000);
  CHECK(cam.pitchDeg() == doctest::Approx(-OrbitCamera::kMaxPitchDeg));
  cam.zoom(1e6f);
  CHECK(cam.distance() == doctest::Approx(OrbitCamera::kMinDistance));
  cam.zoom(1e-6f);
  CHECK(cam.distance() == doctest::Approx(OrbitCamera::kMaxDistance));
  cam.reset();
  CHECK(cam.yawDeg() == doctest::Approx(yaw0));
  CHECK(cam.pitchDeg() == doctest::Approx(pitch0));
  CHECK(cam.distance() == doctest::Approx(OrbitCamera::kDefaultDistance));
  Vec3f r, u, f;
  cam.basis(r, u, f);
  CHECK(u.z > 0.5f);  // north up on screen
  CHECK(r.z == doctest::Approx(0).scale(1));  // the horizon is level
}

TEST_CASE("camera: screenToWorld inverts worldToScreen, and world y points up") {
  Camera cam;
  cam.setViewport(640, 480);
  cam.fit(-1, -2, 3, 1);
  for (Vec2f w : {Vec2f{0, 0}, Vec2f{-1, -2}, Vec2f{3, 1}, Vec2f{0.25f, -0.75f}}) {
    Vec2f back = cam.screenToWorld(cam.worldToScreen(w));
    CHECK(back.x == doctest::Approx(w.x).epsilon(1e-5));
    CHECK(back.y == doctest::Approx(w.y).epsilon(1e-5));
  }
  // a point above another in the world is higher on the screen (smaller screen y)
  CHECK(cam.worldToScreen({0, 1}).y < cam.worldToScreen({0, 0}).y);
}

TEST_CASE("camera: zoomAt keeps the world point under the anchor fixed") {
  Camera cam;
  cam.setViewport(800, 600);
  cam.fit(-1, -1, 1, 1);
  Vec2f anchor{613, 127};
  Vec2f before = cam.screenToWorld(anchor);
  cam.zoomAt(anchor, 1.7f);
  Vec2f after = cam.screenToWorld(anchor);
  CHECK(after.x == doctest::Approx(before.x).epsilon(1e-5));
  CHECK(after.y == doctest::Approx(before.y).epsilon(1e-5));
  CHECK(cam.pixelsPerUnit() > 0);
}

TEST_CASE("camera: fit shows the whole box with equal axes and the margin") {
  Camera cam;
  cam.setViewport(1000, 500);
  cam.fit(0, 0, 4, 1, 0.1f);  // wide box: the width decides the scale
  auto r = cam.visibleRect();
  CHECK(r[0] <= 0.f);
  CHECK(r[2] >= 4.f);
  CHECK(r[1] <= 0.f);
  CHECK(r[3] >= 1.f);
  // equal axes: one world unit is the same number of pixels in x and y
  float sx = cam.worldToScreen({1, 0}).x - cam.worldToScreen({0, 0}).x;
  float sy = cam.worldToScreen({0, 0}).y - cam.worldToScreen({0, 1}).y;
  CHECK(sx == doctest::Approx(sy).epsilon(1e-5));
  // scale = 1000 / (4 * 1.2)
  CHECK(cam.pixelsPerUnit() == doctest::Approx(1000.0 / 4.8).epsilon(1e-4));
}

TEST_CASE("camera: fitInto centres the box in the free screen rectangle") {
  Camera cam;
  cam.setViewport(1280, 720);
  cam.fitInto(-1, -1, 1, 1, 340, 0, 900, 700, 0.0f);
  Vec2f c = cam.worldToScreen({0, 0});
  CHECK(c.x == doctest::Approx(620).epsilon(1e-4));
  CHECK(c.y == doctest::Approx(350).epsilon(1e-4));
  // the 560 px wide rectangle is narrower than it is high: the box's width (2 units) fills it
  CHECK(cam.pixelsPerUnit() == doctest::Approx(280).epsilon(1e-4));
}

TEST_CASE("colour maps: the diverging map is neutral grey at its centre, blue below, red above") {
  using driftlab::app::ColorMap;
  auto mid = driftlab::app::sampleColorMap(ColorMap::Diverging, 0.5f);
  CHECK(mid.r == doctest::Approx(mid.g).epsilon(1e-3));
  CHECK(mid.g == doctest::Approx(mid.b).epsilon(1e-3));
  auto lo = driftlab::app::sampleColorMap(ColorMap::Diverging, 0.05f);
  auto hi = driftlab::app::sampleColorMap(ColorMap::Diverging, 0.95f);
  CHECK(lo.b > lo.r);
  CHECK(hi.r > hi.b);
  // out-of-range and NaN inputs are clamped, never garbage
  auto nan = driftlab::app::sampleColorMap(ColorMap::Viridis, std::nanf(""));
  CHECK(std::isfinite(nan.r));
  auto table = driftlab::app::colorMapTable(ColorMap::Viridis);
  CHECK(table[3] == 255);
}

TEST_CASE("script: lines are parsed, sorted by frame and checked against the scenario") {
  auto s = driftlab::defaultScenario();
  auto ev = driftlab::app::parseScript("# demo\n120 set weights.chi2=0\n60 set kernel=laplacian\n\n200 pause\n"
                                       "250 screenshot out.png\n30 view heat=logratio\n",
                                       "demo.txt", s);
  REQUIRE(ev.size() == 5);
  CHECK(ev[0].frame == 30);
  CHECK(ev[0].verb == "view");
  CHECK(ev[1].arg == "kernel=laplacian");
  CHECK(ev[1].line == 3);
  CHECK(ev[2].frame == 120);
  CHECK(ev[4].arg == "out.png");
}

TEST_CASE("script: a bad line is an InvalidArgument naming the file and the line") {
  auto s = driftlab::defaultScenario();
  auto message = [&](const char* text) {
    try {
      driftlab::app::parseScript(text, "demo.txt", s);
    } catch (const driftlab::InvalidArgument& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message("10 pause\nten pause\n").find("demo.txt line 2") != std::string::npos);
  CHECK(message("10 jump\n").find("line 1") != std::string::npos);
  CHECK(message("10 set kernel=nonsense\n").find("line 1") != std::string::npos);
  CHECK(message("10 view heat=rainbow\n").find("line 1") != std::string::npos);
  CHECK(message("10 pause now\n").find("takes no argument") != std::string::npos);
  CHECK(message("-5 pause\n").find("frame number") != std::string::npos);
  CHECK(message("10 load\n").find("'load' needs an argument") != std::string::npos);
}

TEST_CASE("script: load takes a path, read only when its frame comes") {
  auto ev = driftlab::app::parseScript("40 load no/such/file.json\n", "demo.txt", driftlab::defaultScenario());
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].verb == "load");
  CHECK(ev[0].arg == "no/such/file.json");
  CHECK(ev[0].frame == 40);
}

TEST_CASE("script: drag takes two pixel offsets") {
  auto ev = driftlab::app::parseScript("12 drag 150 -120\n", "demo.txt", driftlab::defaultScenario());
  REQUIRE(ev.size() == 1);
  CHECK(ev[0].verb == "drag");
  CHECK(ev[0].arg == "150 -120");
  for (const char* bad : {"3 drag 10\n", "3 drag\n", "3 drag 1 2 3\n", "3 drag a b\n"})
    CHECK_THROWS_AS(driftlab::app::parseScript(bad, "demo.txt", driftlab::defaultScenario()), driftlab::InvalidArgument);
}

TEST_CASE("script: the fork and timeline verbs and their arguments") {
  auto ev = driftlab::app::parseScript("10 fork\n10 focus B\n11 both on\n30 seek 4\n31 branch\n32 discard\n40 close A\n",
                                       "demo.txt", driftlab::defaultScenario());
  REQUIRE(ev.size() == 7);
  CHECK(ev[0].verb == "fork");
  CHECK(ev[1].arg == "B");
  CHECK(ev[2].arg == "on");
  CHECK(ev[3].verb == "seek");
  CHECK(ev[3].arg == "4");
  CHECK(ev[6].verb == "close");
  for (const char* bad : {"3 fork now\n", "3 focus C\n", "3 focus\n", "3 both yes\n", "3 close\n", "3 seek\n",
                          "3 seek -1\n", "3 seek 2.5\n", "3 branch 4\n"})
    CHECK_THROWS_AS(driftlab::app::parseScript(bad, "demo.txt", driftlab::defaultScenario()), driftlab::InvalidArgument);
}

TEST_CASE("script: in generator mode set lines take generator keys and flow keys, and bad values name the line") {
  const auto g = driftlab::generatorPreset("gen_checkerboard");
  auto ev = driftlab::app::parseScript("0 set latent=2\n10 set lr=0.002\n5 set kernel=gaussian\n", "gen.txt", g);
  REQUIRE(ev.size() == 3);
  CHECK(ev[1].arg == "kernel=gaussian");
  // a generator key is not a particle-flow setting
  CHECK_THROWS_AS(driftlab::app::parseScript("0 set lr=0.002\n", "flow.txt", driftlab::defaultScenario()),
                  driftlab::InvalidArgument);
  std::string message;
  try {
    driftlab::app::parseScript("0 set lr=0.002\n7 set batch=1\n", "gen.txt", g);
  } catch (const driftlab::InvalidArgument& e) {
    message = e.what();
  }
  CHECK(message.find("gen.txt line 2") != std::string::npos);
  CHECK(message.find("batch") != std::string::npos);
}

TEST_CASE("view settings: each key changes its field and bad values are rejected") {
  driftlab::app::ViewOptions v;
  bool panels = true;
  driftlab::app::applyViewSetting(v, panels, "heat=logq");
  CHECK(v.heat_map == driftlab::app::HeatMap::LogQ);
  driftlab::app::applyViewSetting(v, panels, "arrows=true");
  CHECK(v.arrow_mode == driftlab::app::ArrowMode::TrueLength);
  driftlab::app::applyViewSetting(v, panels, "arrows=proportional");
  CHECK(v.arrow_mode == driftlab::app::ArrowMode::Proportional);
  driftlab::app::applyViewSetting(v, panels, "split=terms");
  CHECK(v.split == driftlab::app::FieldSplit::PerTerm);
  driftlab::app::applyViewSetting(v, panels, "panels=off");
  CHECK_FALSE(panels);
  driftlab::app::applyViewSetting(v, panels, "arrow_scale=0.25");
  CHECK(v.arrow_scale == doctest::Approx(0.25).epsilon(1e-6));
  CHECK_THROWS_AS(driftlab::app::applyViewSetting(v, panels, "quiver_n=1"), driftlab::InvalidArgument);
  CHECK_THROWS_AS(driftlab::app::applyViewSetting(v, panels, "grid=maybe"), driftlab::InvalidArgument);
  CHECK_THROWS_AS(driftlab::app::applyViewSetting(v, panels, "nokey"), driftlab::InvalidArgument);
}

namespace {

std::string loadError(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const driftlab::InvalidArgument& e) {
    return e.what();
  }
  return "no error";
}

std::string tempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("driftlab_app_unit_" + name)).string();
}

driftlab::Scenario smallScenario() {
  driftlab::Scenario s = driftlab::defaultScenario();
  driftlab::applySetting(s, "particles=200");
  driftlab::applySetting(s, "samples=200");
  return s;
}

// polls until the worker has done `steps` steps (the timeout only guards against a hang)
bool waitForSteps(const driftlab::RunWorker& w, std::uint64_t steps) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (w.stepsDone() < steps && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  return w.stepsDone() >= steps;
}

}  // namespace

TEST_CASE("run loading: a missing, malformed or unreadable data or init CSV names the scenario and the file") {
  using driftlab::app::buildFlowWorker;
  const std::string missing = tempPath("missing.csv");
  std::filesystem::remove(missing);
  driftlab::Scenario s = smallScenario();
  s.params.dataset = "csv";
  s.params.data_csv = missing;
  const std::string e1 = loadError([&] { buildFlowWorker(s, true, "S.json"); });
  CHECK(e1.rfind("S.json: " + missing + ": cannot open file", 0) == 0);
  CHECK(e1.find('\n') == std::string::npos);

  const std::string bad = tempPath("bad.csv");
  std::ofstream(bad) << "x,y\n0.5,abc\n";
  s.params.data_csv = bad;
  CHECK(loadError([&] { buildFlowWorker(s, true, "S.json"); }) == "S.json: " + bad + ":2:2: not a number: 'abc'");

  driftlab::Scenario init = smallScenario();
  init.params.init = "csv";
  init.params.init_csv = missing;
  CHECK(loadError([&] { buildFlowWorker(init, true, "I.json"); }).rfind("I.json: " + missing + ": cannot open file", 0) ==
        0);
  const std::string dir = std::filesystem::temp_directory_path().string();
  init.params.init_csv = dir;
  CHECK(loadError([&] { buildFlowWorker(init, true, "I.json"); }) == "I.json: " + dir + ": is a directory, not a CSV file");

  driftlab::GeneratorScenario g = driftlab::generatorPreset("gen_checkerboard");
  g.params.field.dataset = "csv";
  g.params.field.data_csv = missing;
  CHECK(loadError([&] { driftlab::app::buildGeneratorWorker(g, true, "G.json"); })
            .rfind("G.json: " + missing + ": cannot open file", 0) == 0);
  std::filesystem::remove(bad);
}

TEST_CASE("run loading: a worker that fails to build leaves the running one in place, a good one replaces it") {
  using driftlab::app::buildFlowWorker;
  using driftlab::app::swapInBuiltWorker;
  const driftlab::Scenario good = smallScenario();
  driftlab::Scenario bad = good;
  bad.params.dataset = "csv";
  bad.params.data_csv = tempPath("missing.csv");
  std::unique_ptr<driftlab::RunWorker> current = buildFlowWorker(good, true, "good.json");
  current->send(driftlab::cmd::StepOnce{});
  REQUIRE(waitForSteps(*current, 1));
  const driftlab::RunWorker* before = current.get();

  CHECK_THROWS_AS(swapInBuiltWorker(current, [&] { return buildFlowWorker(bad, true, "bad.json"); }),
                  driftlab::InvalidArgument);
  REQUIRE(current != nullptr);
  CHECK(current.get() == before);
  current->send(driftlab::cmd::StepOnce{});  // the old run goes on from where it was
  CHECK(waitForSteps(*current, 2));
  CHECK(current->stepsDone() == 2);

  swapInBuiltWorker(current, [&] { return buildFlowWorker(good, true, "good.json"); });
  CHECK(current.get() != before);
  CHECK(current->stepsDone() == 0);
}

TEST_CASE("run loading: the kind comes from the file's structure, and a model file is named as such") {
  using driftlab::app::loadScenarioOfAnyKind;
  const std::string flow = tempPath("flow.json");
  driftlab::Scenario s = smallScenario();
  s.description = "trains no \"generator\" at all";
  driftlab::saveScenario(flow, s);
  const auto f = loadScenarioOfAnyKind(flow);
  CHECK_FALSE(f.generator_mode);
  CHECK(f.flow == s);

  const std::string gen = tempPath("gen.json");
  const driftlab::GeneratorScenario g = driftlab::generatorPreset("gen_swiss_roll");
  driftlab::saveGeneratorScenario(gen, g);
  const auto l = loadScenarioOfAnyKind(gen);
  CHECK(l.generator_mode);
  CHECK(l.generator == g);
  CHECK(l.flow.name == g.name);
  CHECK(l.flow.params == g.params.field);

  const std::string model = tempPath("model.json");
  driftlab::saveModel(model, driftlab::modelFromEngine(driftlab::GeneratorEngine(g.params), g));
  CHECK(loadError([&] { loadScenarioOfAnyKind(model); }) ==
        model + ": this is a generator model file, not a scenario; use driftlab-cli generate --model " + model +
            " to sample from it");
  for (const auto& p : {flow, gen, model}) std::filesystem::remove(p);
}

TEST_CASE("speed: [ and ] walk the ladder 1 .. 1000 and unlimited, and the labels say so") {
  using namespace driftlab::app;
  CHECK(fasterSpeed(kWatchStepsPerSecond) == 5.0);
  CHECK(slowerSpeed(kWatchStepsPerSecond) == 1.0);
  CHECK(slowerSpeed(1.0) == 1.0);             // the lowest stop stays
  CHECK(fasterSpeed(1000.0) == 0.0);          // past the top: unlimited
  CHECK(fasterSpeed(0.0) == 0.0);             // unlimited stays
  CHECK(slowerSpeed(0.0) == 1000.0);          // unlimited steps down to the top stop
  CHECK(fasterSpeed(3.0) == 5.0);             // a slider value between stops goes to the next one
  CHECK(slowerSpeed(3.0) == 2.0);
  CHECK(speedLabel(0.0) == "unlimited");
  CHECK(speedLabel(2.0) == "2 steps/s");
  CHECK(speedLabel(0.5) == "0.5 steps/s");
  // walking down from unlimited and back up visits every stop once
  double s = 0.0;
  int stops = 0;
  do {
    s = slowerSpeed(s);
    ++stops;
  } while (s > 1.0);
  CHECK(stops == static_cast<int>(kSpeedLadder.size()));
}

TEST_CASE("record from reset: the recording starts on the first paused step-0 snapshot after the request") {
  using driftlab::app::capture::RecordFromReset;
  using namespace std::chrono_literals;
  const RecordFromReset::Clock::time_point t0{std::chrono::seconds(50)};
  RecordFromReset r;
  CHECK_FALSE(r.waiting());
  r.request(/*latest_snapshot_id=*/10, /*was_running=*/true, 500ms, "take.mp4");
  CHECK(r.waiting());
  CHECK(r.path() == "take.mp4");
  CHECK_FALSE(r.startsWith(10, 0, true, t0));   // the snapshot seen at the request
  CHECK_FALSE(r.startsWith(11, 7, false, t0));  // the run before the reset got applied
  CHECK_FALSE(r.startsWith(12, 0, false, t0));  // not the paused state the shell asked for
  CHECK(r.startsWith(13, 0, true, t0));
  CHECK_FALSE(r.startsWith(14, 0, true, t0));   // once
  CHECK(r.holding());                           // step 0 stays one step interval, shown as running
  CHECK_FALSE(r.resumeDue(t0 + 499ms));
  CHECK(r.resumeDue(t0 + 500ms));
  CHECK_FALSE(r.resumeDue(t0 + 600ms));         // one Resume
  CHECK_FALSE(r.holding());

  // a paused run stays paused; pressing Space during the hold drops the resume
  r.request(20, /*was_running=*/false, 500ms, "");
  CHECK(r.startsWith(21, 0, true, t0));
  CHECK_FALSE(r.holding());
  CHECK_FALSE(r.resumeDue(t0 + 1s));
  r.request(30, true, 500ms, "");
  r.dropResume();
  CHECK(r.startsWith(31, 0, true, t0));
  CHECK_FALSE(r.resumeDue(t0 + 1s));
  // a load cancels the sequence
  r.request(40, true, 0ms, "");
  r.cancel();
  CHECK_FALSE(r.startsWith(41, 0, true, t0));
}

TEST_CASE("captures folder: XDG variable first, then ~/Pictures or ~/Videos, none without HOME") {
  using driftlab::app::capture::CaptureKind;
  using driftlab::app::capture::capturesFolderFor;
  CHECK(capturesFolderFor(CaptureKind::Picture, "/x/pics", "/home/u") == "/x/pics/driftlab");
  CHECK(capturesFolderFor(CaptureKind::Picture, "", "/home/u") == "/home/u/Pictures/driftlab");
  CHECK(capturesFolderFor(CaptureKind::Video, nullptr, "/home/u") == "/home/u/Videos/driftlab");
  CHECK(capturesFolderFor(CaptureKind::Video, "/v", nullptr) == "/v/driftlab");
  CHECK(capturesFolderFor(CaptureKind::Picture, nullptr, "").empty());
}

TEST_CASE("captures folder: created on demand; a file in the way is a visible error, not a crash") {
  namespace fs = std::filesystem;
  const fs::path base = fs::temp_directory_path() / ("driftlab_captures_" + std::to_string(::getpid()));
  fs::remove_all(base);
  ::setenv("XDG_PICTURES_DIR", (base / "pics").c_str(), 1);
  auto ok = driftlab::app::capture::ensureCapturesFolder(driftlab::app::capture::CaptureKind::Picture);
  CHECK(ok.error.empty());
  CHECK(fs::is_directory(base / "pics" / "driftlab"));
  fs::create_directories(base);
  std::ofstream(base / "file") << "x";
  ::setenv("XDG_PICTURES_DIR", (base / "file").c_str(), 1);
  auto bad = driftlab::app::capture::ensureCapturesFolder(driftlab::app::capture::CaptureKind::Picture);
  CHECK(bad.error.find((base / "file" / "driftlab").string()) != std::string::npos);
  ::unsetenv("XDG_PICTURES_DIR");
  fs::remove_all(base);
}

TEST_CASE("presenter caption: kernel, h, mixture, step, flow time") {
  using driftlab::Divergence;
  const auto w = driftlab::DivergenceWeights::mixedDefault();
  CHECK(driftlab::app::render::presenterCaption(driftlab::KernelKind::Gaussian, 0.1, w, 240, 2.4, true) ==
        "Gaussian kernel, h = 0.1 \xC2\xB7 mixed (reverse KL 1, \xCF\x87\xC2\xB2 0.5) \xC2\xB7 step 240 \xC2\xB7 t = 2.4");
  CHECK(driftlab::app::render::weightsDisplay(driftlab::DivergenceWeights::single(Divergence::ForwardKL), false) ==
        "forward KL");
  CHECK(driftlab::app::render::divergenceDisplayName(Divergence::Chi2, false) == "chi\xC2\xB2");
}

TEST_CASE("lessons: every built-in lesson parses, starts from a preset and has captions") {
  const auto& lessons = driftlab::app::builtinLessons();
  REQUIRE(lessons.size() >= 5);
  for (const auto& l : lessons) {
    CAPTURE(l.name);
    CHECK_FALSE(l.title.empty());
    CHECK_FALSE(l.summary.empty());
    CHECK(l.beats.size() >= 3);
    for (const auto& b : l.beats) CHECK_FALSE(b.caption.empty());
  }
  CHECK(driftlab::app::findLesson("bandwidth_decides").preset == "lesson_bandwidth_decides_narrow");
  CHECK_THROWS_WITH_AS(driftlab::app::findLesson("no_such_lesson"),
                       doctest::Contains("lesson no_such_lesson: not a built-in lesson"), driftlab::InvalidArgument);
}

TEST_CASE("lessons: a bad line names the lesson and the line") {
  using driftlab::app::parseLesson;
  const std::string head = "title T\npreset default\n";
  CHECK_THROWS_WITH_AS(parseLesson(head + "beat\ncaption c\nwait forever\n", "x"),
                       doctest::Contains("lesson x line 5: wait: expected"), driftlab::InvalidArgument);
  CHECK_THROWS_WITH_AS(parseLesson(head + "beat\ncaption c\ndo load f.json\n", "x"),
                       doctest::Contains("line 5: do: 'load' is not a command a lesson may run"), driftlab::InvalidArgument);
  CHECK_THROWS_WITH_AS(parseLesson(head + "beat\ncaption c\ndo set kernal=x\n", "x"),
                       doctest::Contains("kernal"), driftlab::InvalidArgument);
  CHECK_THROWS_WITH_AS(parseLesson(head + "beat\ncaption c\nwait setting kernel\n", "x"),
                       doctest::Contains("needs an `expect` line"), driftlab::InvalidArgument);
  CHECK_THROWS_WITH_AS(parseLesson("title T\nbeat\ncaption c\n", "x"), doctest::Contains("give one start"),
                       driftlab::InvalidArgument);
  CHECK_THROWS_WITH_AS(parseLesson(head + "beat\nprompt p\n", "x"), doctest::Contains("a beat without a caption"),
                       driftlab::InvalidArgument);
  CHECK_THROWS_WITH_AS(parseLesson(head + "speed 0\nbeat\ncaption c\n", "x"), doctest::Contains("speed:"),
                       driftlab::InvalidArgument);
}

TEST_CASE("lessons: the runner begins beats at their step, waits for the user, plays the user headless") {
  using namespace driftlab::app;
  const Lesson l = parseLesson(
      "title T\npreset default\n"
      "beat\ncaption one\ndo pause\nwait next\n"
      "beat\ncaption two\nat 5\nwait steps 3\n"
      "beat\ncaption three\nprompt change the kernel\nwait setting kernel\nexpect set kernel=laplacian\n",
      "t");
  // the window: Next ends a `wait next`; steps and the setting end the others
  LessonRunner r(l, /*simulate_user=*/false);
  LessonInput in;
  auto cmds = r.update(in);  // beat 1 begins and runs its command
  REQUIRE(cmds.size() == 1);
  CHECK(cmds[0].verb == "pause");
  in.seconds = 100;
  CHECK(r.update(in).empty());
  CHECK(r.beatIndex() == 0);  // the window waits for Next however long
  in.next = true;
  r.update(in);
  in.next = false;
  CHECK(r.beatIndex() == 1);
  in.step = 4;
  r.update(in);
  CHECK_FALSE(r.begun());  // at 5: not yet
  in.step = 5;
  r.update(in);
  CHECK(r.begun());
  in.step = 7;
  r.update(in);
  CHECK(r.beatIndex() == 1);
  in.step = 8;
  r.update(in);
  CHECK(r.beatIndex() == 2);
  r.update(in);  // beat 3 begins
  CHECK(r.settingKey() == "kernel");
  in.setting_value = "gaussian";
  r.update(in);  // its value when it began
  in.seconds = 1000;
  CHECK(r.update(in).empty());  // the window never does the user's part
  in.setting_value = "laplacian";
  r.update(in);
  CHECK(r.finished());

  // headless: after the hold the runner does the `expect` command and moves on
  LessonRunner h(l, /*simulate_user=*/true, /*hold_seconds=*/2.0);
  LessonInput hin;
  h.update(hin);
  hin.seconds = 2.5;
  h.update(hin);
  CHECK(h.beatIndex() == 1);
  hin.step = 8;
  h.update(hin);  // begins (step >= 5)
  h.update(hin);  // 3 steps from 8: not yet
  hin.step = 11;
  h.update(hin);
  CHECK(h.beatIndex() == 2);
  hin.setting_value = "gaussian";
  h.update(hin);  // begins
  h.update(hin);  // value recorded
  hin.seconds = 5.0;
  const auto expect = h.update(hin);
  REQUIRE(expect.size() == 1);
  CHECK(expect[0].verb == "set");
  CHECK(expect[0].arg == "kernel=laplacian");
  hin.setting_value = "laplacian";
  h.update(hin);
  CHECK(h.finished());
}

TEST_CASE("lessons: steps after a reset in the beat count from step 0, not from a stale snapshot") {
  using namespace driftlab::app;
  const Lesson l = parseLesson("title T\npreset default\nbeat\ncaption a\nwait steps 10\nbeat\ncaption b\ndo reset\nwait steps 10\n", "t");
  LessonRunner r(l, false);
  LessonInput in;
  r.update(in);
  in.step = 30;  // many steps per frame: the goal (10) passed between two frames
  r.update(in);
  REQUIRE(r.beatIndex() == 1);
  CHECK(r.update(in).at(0).verb == "reset");  // begins; this frame still shows step 30
  r.update(in);
  CHECK(r.beatIndex() == 1);  // step 30 from before the reset: not the goal
  in.step = 4;
  r.update(in);
  CHECK(r.beatIndex() == 1);
  in.step = 12;
  r.update(in);
  CHECK(r.finished());
  // without a reset a beat that begins at step 30 ends at 40 even when frames jump past it
  LessonRunner j(parseLesson("title T\npreset default\nbeat\ncaption a\nwait steps 10\n", "t"), false);
  LessonInput jin;
  jin.step = 30;
  j.update(jin);
  jin.step = 55;
  j.update(jin);
  CHECK(j.finished());
}

TEST_CASE("orbit camera: the sphere point under a pixel is the ray's first hit of |x| = 1") {
  OrbitCamera cam;
  cam.setViewport(1280, 720);
  cam.frameInto(0, 0, 1280, 720);
  // through the principal point the ray runs along the view axis: the hit faces the eye
  const auto centre = cam.pickSphere(cam.principalPoint());
  REQUIRE(centre);
  const auto e = cam.eye();
  const float n = std::sqrt(e.x * e.x + e.y * e.y + e.z * e.z);
  CHECK(centre->x == doctest::Approx(e.x / n).epsilon(1e-5));
  CHECK(centre->y == doctest::Approx(e.y / n).epsilon(1e-5));
  CHECK(centre->z == doctest::Approx(e.z / n).epsilon(1e-5));
  // every hit is on the sphere, faces the camera and projects back to its pixel
  for (float dx : {-120.f, 0.f, 90.f})
    for (float dy : {-80.f, 60.f}) {
      const driftlab::app::Vec2f px{cam.principalPoint().x + dx, cam.principalPoint().y + dy};
      const auto hit = cam.pickSphere(px);
      REQUIRE(hit);
      CHECK(hit->x * hit->x + hit->y * hit->y + hit->z * hit->z == doctest::Approx(1.0).epsilon(1e-5));
      CHECK(cam.facesCamera(*hit));
      const auto back = cam.toScreen(*hit);
      REQUIRE(back);
      CHECK(back->x == doctest::Approx(px.x).epsilon(1e-3));
      CHECK(back->y == doctest::Approx(px.y).epsilon(1e-3));
    }
  CHECK_FALSE(cam.pickSphere({5.f, 5.f}));  // the corner of the window misses the sphere
}
