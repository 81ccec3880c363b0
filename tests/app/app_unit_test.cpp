// GUI-free unit tests of the app's pure parts: the 2-D camera, colour maps, script parsing and
// view settings. No GL context, no ImGui, no display.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cmath>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/scenario.hpp"
#include "render/camera.hpp"
#include "render/colormap.hpp"
#include "script.hpp"

using driftlab::app::Camera;
using driftlab::app::Vec2f;

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
