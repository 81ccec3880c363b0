// Headless ImGui test of the Equations window (equations_panel.cpp), part of driftlab_ui_smoke:
// E opens and closes it, it shows the formula of the snapshot's field and, once the canvas probe has
// a point, the terms there; and every character of its text has a glyph in the maths font that
// presenter_style.cpp loads (DejaVu Sans), so nothing is drawn as '?'.
#include <doctest/doctest.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "../equation_text.hpp"
#include "../panels.hpp"
#include "../presenter_style.hpp"
#include "../ui.hpp"
#include "shortcuts.hpp"

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>  // key codes only (ImGui 1.86 keys are GLFW key codes)
#include "imgui.h"
#include "imgui_internal.h"

using namespace driftlab;
using namespace driftlab::app::ui;

namespace {

// UTF-8 to code points (the formula text is well-formed UTF-8)
std::vector<unsigned> codepoints(const std::string& s) {
  std::vector<unsigned> out;
  for (std::size_t i = 0; i < s.size();) {
    unsigned c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    unsigned cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(n);
  }
  return out;
}

struct EqHarness {
  ImGuiContext* ctx;
  UiState state;
  UiActions actions;
  AppStatus status;
  PresenterFonts fonts;
  EqHarness() {
    ctx = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(1280.f, 720.f);
    io.IniFilename = nullptr;
    io.DeltaTime = 1.f / 60.f;
    fonts = loadPresenterFonts();
    unsigned char* pixels = nullptr;
    int tw = 0, th = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
  }
  ~EqHarness() { ImGui::DestroyContext(ctx); }
  EqHarness(const EqHarness&) = delete;
  EqHarness& operator=(const EqHarness&) = delete;
  void frame(const Snapshot* snap) {
    ImGui::NewFrame();
    app::handleShortcuts(state, {});
    drawUi(snap, state, actions, status);
    ImGui::Render();
  }
  void press(int key, const Snapshot* snap) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[key] = true;
    frame(snap);
    io.KeysDown[key] = false;
    frame(snap);
  }
};

std::shared_ptr<Snapshot> smallSnapshot() {
  auto s = std::make_shared<Snapshot>();
  s->snapshot_id = 7;
  s->params.weights = DivergenceWeights::parseList("reverse_kl=0.5,chi2=0.5");
  s->params.bandwidth.h = 0.3;
  s->bandwidth = 0.3;
  s->particles = PointsF::Random(2, 40);
  s->data = PointsF::Random(2, 60);
  return s;
}

}  // namespace

TEST_CASE("Equations window: E toggles it; it shows the formula and, with a probe point, the terms") {
  EqHarness h;
  auto snap = smallSnapshot();
  h.frame(snap.get());
  CHECK_FALSE(h.state.view.show_equations);
  h.press(GLFW_KEY_E, snap.get());
  REQUIRE(h.state.view.show_equations);
  ImGuiWindow* win = ImGui::FindWindowByName("Equations");
  REQUIRE(win != nullptr);
  CHECK(win->Active);
  CHECK_FALSE(h.state.equations.valid);  // no probe point yet
  // a probe point, as canvas_input.cpp mirrors it
  h.state.view.probe_shown = true;
  h.state.view.probe_x = 0.1f;
  h.state.view.probe_y = -0.2f;
  h.frame(snap.get());
  REQUIRE(h.state.equations.valid);
  CHECK(h.state.equations.terms.ok);
  CHECK(h.state.equations.terms.terms.size() == 2);
  REQUIRE(!h.state.equations.lines.empty());
  CHECK(h.state.equations.lines.front() == "x = (0.1, -0.2)");
  // the window is laid out over the canvas, between the two columns, above the status bar
  CHECK(win->Pos.x >= 340.f);
  CHECK(win->Pos.y + win->Size.y <= 720.f);
  h.press(GLFW_KEY_E, snap.get());
  CHECK_FALSE(h.state.view.show_equations);
  h.frame(snap.get());
  CHECK_FALSE(ImGui::FindWindowByName("Equations")->Active);
}

TEST_CASE("Equations window: every character of its text has a glyph in the maths font") {
  if (!std::filesystem::is_regular_file(kPresenterFontPath)) {
    MESSAGE("DejaVu Sans missing (fonts-dejavu-core): glyph check skipped");
    return;
  }
  EqHarness h;
  REQUIRE(h.fonts.math != nullptr);
  h.frame(nullptr);
  CHECK(mathFont() == h.fonts.math);
  std::vector<std::string> text;
  auto add = [&](const FlowParams& p) {
    for (const std::string& l : equationLines(p)) text.push_back(l);
  };
  FlowParams p;
  p.weights = DivergenceWeights::parseList(
      "drift=1,drift_double=1,forward_kl=1,reverse_kl=1,chi2=1,chi2_reverse=1,hellinger=1,js=1,alpha=1,mmd=1,sinkhorn=1");
  add(p);
  p.geometry = GeometryKind::Sphere;
  add(p);
  p.geometry = GeometryKind::SphereRetraction;
  p.bandwidth.rule = BandwidthRule::MultiScale;
  p.velocity_mode = VelocityMode::ExactSmoothed;
  p.target = TargetKind::StandardGaussian;
  add(p);
  p.bandwidth.rule = BandwidthRule::Anneal;
  add(p);
  // the probe lines, including a clamped ratio and the MMD means
  Points particles = Points::Random(2, 10), data = Points::Random(2, 12);
  VelocityOptions opt;
  opt.weights = DivergenceWeights::parseList("mmd=1,reverse_kl=1");
  opt.ratio_min = 0.99;
  opt.ratio_max = 1.01;
  Vec x(2);
  x << 0.3, 0.2;
  for (const std::string& l : probeLines(evaluateProbeTerms(particles, data, opt, x))) text.push_back(l);
  int missing = 0;
  for (const std::string& line : text)
    for (unsigned cp : codepoints(line))
      if (h.fonts.math->FindGlyphNoFallback(static_cast<ImWchar>(cp)) == nullptr) {
        ++missing;
        MESSAGE("no glyph U+" << std::hex << cp << " in: " << line);
      }
  CHECK(missing == 0);
  // the presenter font carries the same glyphs (it is the default font in presenter mode)
  if (h.fonts.large)
    for (unsigned cp : codepoints(equationLines(p).front())) CHECK(h.fonts.large->FindGlyphNoFallback(static_cast<ImWchar>(cp)) != nullptr);
}
