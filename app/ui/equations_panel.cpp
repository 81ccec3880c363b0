// The Equations window (E): the velocity formula of the field and mixture in force, written out per
// active term as THEORY.md states it, the values of every term at the canvas probe point, and the
// THEORY.md sections they come from. The text is equation_text.hpp's (GUI-free, tested); the maths
// glyphs come from DejaVu Sans (presenter_style.hpp's mathFont). Render thread only.
#include <algorithm>
#include <cstdio>
#include <string>

#include "equation_text.hpp"
#include "imgui.h"
#include "panels.hpp"
#include "presenter_style.hpp"

namespace driftlab::app::ui {

namespace {

constexpr double kProbeRefreshSeconds = 0.2;  // at most 5 evaluations per second while the flow runs

// the terms at the probe point for this snapshot, recomputed when the snapshot or the point changes
void refreshProbe(const Snapshot& frame, UiState& state) {
  EquationsState& eq = state.equations;
  const ViewOptions& v = state.view;
  const bool same_point = eq.valid && eq.x == v.probe_x && eq.y == v.probe_y;
  const double now = ImGui::GetTime();
  if (same_point && (eq.snapshot_id == frame.snapshot_id || now - eq.computed_at < kProbeRefreshSeconds)) return;
  Points particles = frame.particles.cast<double>(), data = frame.data.cast<double>();
  Vec x(2);
  x << v.probe_x, v.probe_y;
  try {
    VelocityOptions opt = frame.params.velocityOptions(particles, data, frame.time);
    opt.path = ComputePath::Exact64;  // one point: float64 sums, so the terms add up to the engine's value exactly
    eq.terms = evaluateProbeTerms(particles, data, opt, x);
  } catch (const std::exception& e) {
    eq.terms = ProbeTerms{};
    eq.terms.error = e.what();
  }
  eq.lines = probeLines(eq.terms);
  eq.snapshot_id = frame.snapshot_id;
  eq.x = v.probe_x;
  eq.y = v.probe_y;
  eq.valid = true;
  eq.computed_at = now;
}

}  // namespace

void drawEquationsWindow(const Snapshot* frame, UiState& state, float x, float bottom, float w) {
  if (!state.view.show_equations) return;
  ImFont* math = mathFont();
  // first use: tall enough for the formula and the probe lines of this mixture (10 lines besides the
  // formula and one per term, title bar included), anchored at its bottom edge; the user may move and
  // resize it
  const ImGuiIO& io = ImGui::GetIO();
  const float line = (math ? math->FontSize : ImGui::GetFontSize()) * io.FontGlobalScale + ImGui::GetStyle().ItemSpacing.y;
  int n_terms = 0;
  std::size_t n_formula = 6;
  if (frame) {
    n_formula = equationLines(frame->params).size();
    for (double lambda : frame->params.weights.w) n_terms += lambda > 0 ? 1 : 0;
  }
  const bool probe_lines = frame == nullptr || frame->particles.rows() == 2;  // else one line says why not
  const std::size_t n_lines = n_formula + (probe_lines ? 10 + static_cast<std::size_t>(n_terms) : 3);
  const float height = std::min(bottom - 8.f, line * static_cast<float>(n_lines) + 24.f);
  ImGui::SetNextWindowPos(ImVec2(x, bottom), ImGuiCond_FirstUseEver, ImVec2(0.f, 1.f));
  ImGui::SetNextWindowSize(ImVec2(w, height), ImGuiCond_FirstUseEver);
  if (ImGui::Begin("Equations", &state.view.show_equations)) {
    if (math) ImGui::PushFont(math);
    if (frame == nullptr) {
      ImGui::TextDisabled("waiting for the engine...");
    } else {
      const FlowParams& p = frame->params;
      const std::vector<std::string> lines = equationLines(p);
      // the formula (all lines but the last, which names the sections)
      for (std::size_t i = 0; i + 1 < lines.size(); ++i) ImGui::TextUnformatted(lines[i].c_str());
      char h_now[64];
      std::snprintf(h_now, sizeof h_now, "h in force: %.4g", frame->bandwidth);
      ImGui::TextDisabled("%s", h_now);
      ImGui::Separator();
      // the values at the probe point
      if (frame->particles.rows() != 2) {
        ImGui::TextDisabled("probe values: the canvas probe reads 2-D runs only");
      } else if (!state.view.probe_shown) {
        ImGui::TextDisabled("probe values: click the canvas with the probe tool (key 1)");
        state.equations.valid = false;
      } else {
        refreshProbe(*frame, state);
        ImGui::TextDisabled("at the probe point");
        for (const std::string& line : state.equations.lines) ImGui::TextUnformatted(line.c_str());
      }
      ImGui::Separator();
      ImGui::TextDisabled("%s", lines.back().c_str());
      ImGui::SameLine();
      if (ImGui::SmallButton("copy")) ImGui::SetClipboardText(("docs/" + lines.back()).c_str());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("copy \"docs/%s\": the sections these formulas come from", lines.back().c_str());
    }
    if (math) ImGui::PopFont();
    if (!math) ImGui::TextDisabled("(install fonts-dejavu-core for the maths glyphs)");
  }
  ImGui::End();
}

}  // namespace driftlab::app::ui
