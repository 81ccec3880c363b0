// Guided lessons in the panels: the lesson list of the Run section with, while a lesson runs, its
// progress, the prompt and Back / Next / Stop, and the frame around the control a beat asks the user
// to touch. The caption itself is drawn on the canvas by the shell (recordings carry it). Render
// thread only.
#include <cmath>
#include <string>

#include "imgui.h"
#include "panels.hpp"
#include "widgets.hpp"

namespace driftlab::app::ui {

void drawLessonList(UiState& state, const UiActions& actions) {
  const LessonView& v = state.lesson;
  if (v.catalog.empty()) return;
  const char* shown = v.active ? v.title.c_str() : "start a guided lesson...";
  if (ImGui::BeginCombo("lesson", shown)) {
    for (const auto& [name, summary] : v.catalog) {
      if (ImGui::Selectable(name.c_str(), false) && actions.start_lesson) actions.start_lesson(name);
      if (ImGui::IsItemHovered() && !summary.empty()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.f);
        ImGui::TextUnformatted(summary.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
    }
    ImGui::EndCombo();
  }
  helpMarker("lesson");
}

// under the lesson list while a lesson runs: its progress, the prompt, Back / Next / Stop
void drawLessonControls(UiState& state, const UiActions& actions) {
  LessonView& v = state.lesson;
  if (!v.active) return;
  if (v.finished) ImGui::TextDisabled("done: every step of the lesson was shown");
  else ImGui::TextDisabled("step %d of %d", v.index + 1, v.count);
  if (!v.prompt.empty()) {
    ImGui::PushTextWrapPos(0.f);
    ImGui::TextColored(ImVec4(1.f, 0.84f, 0.43f, 1.f), "Now: %s", v.prompt.c_str());
    ImGui::PopTextWrapPos();
  }
  if (ImGui::Button("Back") && actions.lesson_back) actions.lesson_back();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("this step again from its start");
  ImGui::SameLine();
  ImGui::BeginDisabled(v.finished);
  if (ImGui::Button("Next") && actions.lesson_next) actions.lesson_next();
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Stop lesson") && actions.stop_lesson) actions.stop_lesson();
}

// a pulsing frame around the control the current beat asks for, over everything else
void drawLessonHighlight(const UiState& state) {
  const LessonView& v = state.lesson;
  if (!v.active || v.highlight.empty()) return;
  const WidgetRect* r = widgetRect(v.highlight);
  if (r == nullptr) return;
  const float pulse = 0.5f + 0.5f * std::sin(static_cast<float>(ImGui::GetTime()) * 5.f);
  const ImU32 col = IM_COL32(255, 214, 110, static_cast<int>(140 + 115 * pulse));
  ImGui::GetForegroundDrawList()->AddRect(ImVec2(r->min.x - 4.f, r->min.y - 3.f), ImVec2(r->max.x + 4.f, r->max.y + 3.f),
                                          col, 4.f, 0, 3.f);
}

}  // namespace driftlab::app::ui
