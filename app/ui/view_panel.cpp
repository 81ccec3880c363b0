// The canvas tools and the view section of the controls window: everything in ViewOptions.
// Only plain data is edited here; the shell notices quiver_n/density_n changes and sends
// cmd::SetView with its view rectangle. Render thread only.
#include <algorithm>
#include <string>
#include <vector>

#include "driftlab/field/divergence.hpp"
#include "imgui.h"
#include "panels.hpp"
#include "widgets.hpp"

namespace driftlab::app::ui {

namespace {

constexpr ImGuiSliderFlags kLog = ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp;

// a combo over an enum whose values are 0..n-1 with the given names
template <class E>
void enumCombo(const char* label, E& value, const std::vector<const char*>& names) {
  int v = static_cast<int>(value);
  if (ImGui::Combo(label, &v, names.data(), static_cast<int>(names.size()))) value = static_cast<E>(v);
}

void drawTools(UiState& state, const UiActions& actions) {
  ViewOptions& v = state.view;
  static const char* const kToolNames[] = {"1 probe", "2 pick", "3 brush", "4 erase", "5 drag", "6 blob"};
  int tool = static_cast<int>(v.tool);
  for (int i = 0; i < 6; ++i) {
    if (i % 3 != 0) ImGui::SameLine();
    ImGui::RadioButton(kToolNames[i], &tool, i);
    if (i == 2) helpMarker("tool");
  }
  v.tool = static_cast<CanvasTool>(tool);
  if (v.tool == CanvasTool::Brush || v.tool == CanvasTool::Erase) {
    ImGui::SliderFloat("brush radius", &v.brush_radius, 0.005f, 1.0f, "%.3f", kLog);
    helpMarker("brush_radius");
  }
  if (v.tool == CanvasTool::Brush) {
    ImGui::SliderInt("points / frame", &v.brush_points, 1, 64, "%d", ImGuiSliderFlags_AlwaysClamp);
    helpMarker("brush_points");
  }
  if (v.tool == CanvasTool::DropBlob) {
    ImGui::SliderInt("blob particles", &v.blob_count, 1, 5000, "%d", kLog);
    helpMarker("blob_count");
    ImGui::SliderFloat("blob radius", &v.blob_radius, 0.005f, 1.0f, "%.3f", kLog);
    helpMarker("blob_radius");
  }
  if (ImGui::Button("Clear data") && actions.send) actions.send(cmd::ClearData{});
  helpMarker("clear_data");
}

void drawView(const Snapshot* frame, UiState& state, const UiActions& actions) {
  ViewOptions& v = state.view;
  // layers
  ImGui::Checkbox("particles", &v.show_particles);
  ImGui::SameLine();
  ImGui::Checkbox("data", &v.show_data);
  ImGui::SameLine();
  ImGui::Checkbox("grid", &v.show_grid);
  helpMarker("view.layers");
  enumCombo("colour by", v.coloring, {"start position", "speed", "nearest mode", "plain"});
  helpMarker("view.coloring");

  // arrows and field
  ImGui::Checkbox("particle arrows", &v.show_particle_arrows);
  helpMarker("view.particle_arrows");
  ImGui::Checkbox("quiver field", &v.show_quiver);
  helpMarker("view.quiver");
  enumCombo("arrow length", v.arrow_mode, {"true (locked scale)", "normalized", "log", "proportional up to p90"});
  helpMarker("view.arrow_mode");
  if (v.arrow_mode == ArrowMode::TrueLength) {
    ImGui::SliderFloat("arrow scale", &v.arrow_scale, 1e-4f, 10.f, "%.4f", kLog);
    helpMarker("view.arrow_scale");
  }
  enumCombo("field split", v.split, {"total", "attraction / repulsion", "per term"});
  helpMarker("view.split");
  if (v.split == FieldSplit::PerTerm) {
    const int n_terms = frame != nullptr ? static_cast<int>(frame->terms.size()) : 0;
    if (v.solo_term >= n_terms) v.solo_term = -1;
    const char* preview = v.solo_term < 0 ? "all terms" : divergenceName(frame->terms[v.solo_term]);
    if (ImGui::BeginCombo("solo term", preview)) {
      if (ImGui::Selectable("all terms", v.solo_term < 0)) v.solo_term = -1;
      for (int i = 0; i < n_terms; ++i)
        if (ImGui::Selectable(divergenceName(frame->terms[i]), v.solo_term == i)) v.solo_term = i;
      ImGui::EndCombo();
    }
    helpMarker("view.solo_term");
  }

  // background map
  enumCombo("heat map", v.heat_map, {"none", "log p", "log q", "log p/q (equilibrium = neutral)", "speed |v|"});
  helpMarker("view.heat_map");
  ImGui::SliderFloat("heat opacity", &v.heat_opacity, 0.f, 1.f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
  helpMarker("view.heat_opacity");
  ImGui::Checkbox("lock colour range", &v.heat_range_locked);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("locked: the colour range is taken from the run's first snapshot and kept until a reset,\n"
                      "new seed or preset, so a colour means the same value all run long.\n"
                      "unlocked: re-fitted to every snapshot (locking again keeps the current range).");

  // overlays
  ImGui::Checkbox("trails", &v.show_trails);
  ImGui::SameLine();
  ImGui::BeginDisabled(!v.show_trails);
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.45f);
  ImGui::SliderInt("frames", &v.trail_length, 2, 400, "%d", kLog);
  ImGui::EndDisabled();
  helpMarker("view.trails");
  ImGui::Checkbox("bandwidth circle", &v.show_bandwidth_circle);
  helpMarker("view.bandwidth_circle");
  ImGui::Checkbox("kernel profile at cursor", &v.show_kernel_profile);
  helpMarker("view.kernel_profile");
  ImGui::Checkbox("colour bar / arrow legend", &v.show_colorbar);
  helpMarker("view.colorbar");

  // sizes and resolutions
  ImGui::SliderFloat("particle size", &v.particle_size, 1.f, 20.f, "%.1f px", ImGuiSliderFlags_AlwaysClamp);
  helpMarker("view.sizes");
  ImGui::SliderFloat("data size", &v.data_size, 1.f, 20.f, "%.1f px", ImGuiSliderFlags_AlwaysClamp);
  helpMarker("view.sizes");
  ImGui::SliderInt("quiver grid", &v.quiver_n, 4, 96, "%d", ImGuiSliderFlags_AlwaysClamp);
  helpMarker("view.resolution");
  ImGui::SliderInt("heat-map grid", &v.density_n, 16, 256, "%d", ImGuiSliderFlags_AlwaysClamp);
  helpMarker("view.resolution");
  const int n = frame != nullptr ? static_cast<int>(frame->particles.cols()) : 0;
  if (ImGui::InputInt("picked particle", &v.picked_particle)) v.picked_particle = std::clamp(v.picked_particle, -1, n - 1);
  helpMarker("view.picked_particle");
  if (ImGui::Button("Fit view (F)") && actions.fit_view) actions.fit_view();
  helpMarker("view.fit");
  ImGui::SameLine();
  ImGui::Checkbox("plots window", &state.show_plots);
}

}  // namespace

void drawViewOptions(const Snapshot* frame, UiState& state, const UiActions& actions) {
  if (ImGui::CollapsingHeader("Canvas tools", ImGuiTreeNodeFlags_DefaultOpen)) drawTools(state, actions);
  if (ImGui::CollapsingHeader("View", ImGuiTreeNodeFlags_DefaultOpen)) drawView(frame, state, actions);
}

}  // namespace driftlab::app::ui
