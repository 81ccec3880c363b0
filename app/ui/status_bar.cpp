// The status bar along the bottom of the window: engine rate and speed cap, UI rate, sizes, flow time, step,
// step size, bandwidth, params version, run state, recording, the latest engine warning (yellow)
// and the shell's message (red when an error). Render thread only.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "imgui.h"
#include "panels.hpp"
#include "../run_speed.hpp"

namespace driftlab::app::ui {

namespace {

const ImVec4 kYellow{1.f, 0.85f, 0.3f, 1.f};
const ImVec4 kRed{1.f, 0.35f, 0.3f, 1.f};
const ImVec4 kGreen{0.45f, 0.9f, 0.45f, 1.f};

void separator() {
  ImGui::SameLine();
  ImGui::TextDisabled("|");
  ImGui::SameLine();
}

// mean |v| over the particles, cached per snapshot (the bar is drawn every frame)
double meanSpeed(const Snapshot& s) {
  static std::uint64_t cached_id = ~std::uint64_t{0};  // render thread only
  static double cached = 0.0;
  if (s.snapshot_id != cached_id) {
    cached_id = s.snapshot_id;
    cached = s.velocities.cols() > 0 ? static_cast<double>(s.velocities.colwise().norm().mean()) : 0.0;
  }
  return cached;
}

}  // namespace

float statusBarHeight() { return ImGui::GetFrameHeight() + 2.f * ImGui::GetStyle().WindowPadding.y * 0.5f; }

void drawStatusBar(const Snapshot* frame, const UiState& state, const AppStatus& status) {
  const ImGuiIO& io = ImGui::GetIO();
  const float h = statusBarHeight();
  ImGui::SetNextWindowPos(ImVec2(0, io.DisplaySize.y - h));
  ImGui::SetNextWindowSize(ImVec2(io.DisplaySize.x, h));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing |
                                 ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8.f, ImGui::GetStyle().WindowPadding.y * 0.5f));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.f);
  if (ImGui::Begin("##status", nullptr, flags)) {
    ImGui::AlignTextToFramePadding();
    if (frame == nullptr) {
      ImGui::TextDisabled("engine starting...");
    } else {
      if (frame->paused) ImGui::TextColored(kYellow, "paused");
      else ImGui::TextColored(kGreen, "running");
      separator();
      // measured rate, then the cap in force ([ and ] change it)
      ImGui::Text(frame->steps_per_second < 9.95 ? "%.1f steps/s" : "%.0f steps/s", frame->steps_per_second);
      ImGui::SameLine();
      ImGui::TextDisabled("(speed %s)", speedLabel(frame->step_rate_limit).c_str());
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("the speed cap: [ slower, ] faster, or the speed slider in Run (unlimited = as fast as "
                          "the machine allows)");
      separator();
      ImGui::Text("%.0f fps", static_cast<double>(status.ui_fps));
      separator();
      ImGui::Text("N %d  M %d", static_cast<int>(frame->particles.cols()), static_cast<int>(frame->data.cols()));
      const int max_points = state.view.max_drawn_points;
      const int particle_stride = drawStride(frame->particles.cols(), max_points);
      const int data_stride = drawStride(frame->data.cols(), max_points);
      if (particle_stride > 1 || data_stride > 1) {
        ImGui::SameLine();
        ImGui::TextColored(kYellow, "(drawn: 1 in %d / 1 in %d)", particle_stride, data_stride);
        if (ImGui::IsItemHovered())
          ImGui::SetTooltip("software OpenGL: above %d points per layer every k-th point is drawn (same\n"
                            "distribution, interactive frame rates); the engine still moves all of them",
                            max_points);
      }
      separator();
      ImGui::Text("step %ld  t %.4g", frame->step, frame->time);
      separator();
      ImGui::Text("eta %.3g (eff %.3g)", frame->step_size, frame->eta_used);
      separator();
      ImGui::Text("h %.4g", frame->bandwidth);
      separator();
      ImGui::Text("mean |v| %.3g", meanSpeed(*frame));
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("mean particle speed: falls towards 0 as the flow reaches equilibrium (UX.md lesson 2)");
    }
    // presenter mode: the bar is part of the captured frame, so REC and notices stay out of it
    // (the shell shows them in the window title)
    const bool transient = !state.view.presenter;
    if (status.recording && transient) {
      separator();
      const bool blink = std::fmod(ImGui::GetTime(), 1.0) < 0.6;
      ImGui::TextColored(blink ? kRed : ImVec4(0.6f, 0.2f, 0.2f, 1.f), "REC");
      if (!status.recording_path.empty()) {
        ImGui::SameLine();
        ImGui::TextUnformatted(status.recording_path.c_str());
      }
    }
    if (frame != nullptr && !frame->warnings.empty()) {
      separator();
      ImGui::TextColored(kYellow, "%s", frame->warnings.back().c_str());
      if (ImGui::IsItemHovered() && frame->warnings.size() > 1) {
        ImGui::BeginTooltip();
        for (const auto& w : frame->warnings) ImGui::TextUnformatted(w.c_str());
        ImGui::EndTooltip();
      }
    }
    if (frame != nullptr && !frame->error.empty()) {
      separator();
      ImGui::TextColored(kRed, "rejected: %s", frame->error.c_str());
    }
    if (!status.message.empty() && (transient || status.message_is_error)) {
      separator();
      if (status.message_is_error) ImGui::TextColored(kRed, "%s", status.message.c_str());
      else ImGui::TextUnformatted(status.message.c_str());
    }
  }
  ImGui::End();
  ImGui::PopStyleVar(2);
}

}  // namespace driftlab::app::ui
