// The "Timeline and A/B fork" section of the controls window: a step slider over the run's
// timeline (Seek; both sides of a fork move together), branch and discard, what the keyframes
// hold, and the fork controls (Fork, Close A, Close B, focus, both). Render thread only.
#include <algorithm>
#include <cstdio>
#include <string>

#include "imgui.h"
#include "panels.hpp"
#include "widgets.hpp"

namespace driftlab::app::ui {

namespace {

std::string mib(std::size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

void drawForkControls(UiState& state, const UiActions& actions) {
  if (!state.split) {
    ImGui::BeginDisabled(state.fork_pending);
    if (ImGui::Button("Fork A/B  (B)") && actions.fork) actions.fork();
    ImGui::EndDisabled();
    helpMarker("fork");
    return;
  }
  if (ImGui::Button("Close A") && actions.close_side) actions.close_side(0);
  ImGui::SameLine();
  if (ImGui::Button("Close B") && actions.close_side) actions.close_side(1);
  helpMarker("fork");
  ImGui::TextUnformatted("changes go to:");
  ImGui::SameLine();
  int target = state.send_both ? 2 : state.focus;
  const int before = target;
  ImGui::RadioButton("A", &target, 0);
  ImGui::SameLine();
  ImGui::RadioButton("B", &target, 1);
  ImGui::SameLine();
  ImGui::RadioButton("both", &target, 2);
  if (target != before) {
    if (target == 2) {
      if (actions.set_send_both) actions.set_send_both(true);
    } else {
      if (actions.set_send_both) actions.set_send_both(false);
      if (actions.set_focus) actions.set_focus(target);
    }
  }
  ImGui::SameLine();
  ImGui::TextDisabled("(O)");
}

}  // namespace

void drawTimelineSection(const Snapshot* frame, UiState& state, const UiActions& actions) {
  drawForkControls(state, actions);
  if (frame == nullptr) return;
  const TimelineView& t = frame->timeline;
  const long first = std::min(t.first_step, frame->step), last = std::max(t.end_step, frame->step);
  int shown = static_cast<int>(frame->step);
  ImGui::BeginDisabled(last <= first);
  const bool moved = ImGui::SliderInt("step", &shown, static_cast<int>(first), static_cast<int>(std::max(last, first + 1)),
                                      "%d", ImGuiSliderFlags_AlwaysClamp);
  ImGui::EndDisabled();
  if (moved && actions.seek) actions.seek(static_cast<long>(shown));
  helpMarker("timeline");
  if (frame->step < t.end_step)
    ImGui::TextDisabled("at step %ld of %ld: Play replays, a change branches", frame->step, t.end_step);
  const std::size_t branches = frame->history ? frame->history->branches.size() : 0;
  if (ImGui::SmallButton("Branch here") && actions.send) actions.send(cmd::Branch{});
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("keep the recorded future as a faint branch in the plots and continue from this step");
  if (branches > 0) {
    ImGui::SameLine();
    char label[48];
    std::snprintf(label, sizeof label, "Discard %zu branch%s", branches, branches == 1 ? "" : "es");
    if (ImGui::SmallButton(label) && actions.send) actions.send(cmd::DiscardBranches{});
  }
  ImGui::TextDisabled("keyframes: %zu, every %ld step%s, %s of %s", t.keyframes, t.interval, t.interval == 1 ? "" : "s",
                      mib(t.bytes).c_str(), mib(t.budget).c_str());
}

}  // namespace driftlab::app::ui
