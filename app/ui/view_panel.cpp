// The canvas tools and the view section of the controls window: everything in ViewOptions.
// Only plain data is edited here; the shell notices quiver_n/density_n changes and sends
// cmd::SetView with its view rectangle. Render thread only.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "driftlab/field/divergence.hpp"
#include "imgui.h"
#include "panels.hpp"
#include "render/sphere_mode.hpp"
#include "render/view_projection.hpp"
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

// the dimension of the frame's points (2 before the first frame)
int frameDim(const Snapshot* frame) {
  if (frame == nullptr) return 2;
  return static_cast<int>(frame->data.cols() > 0 ? frame->data.rows() : frame->particles.rows());
}

// d > 2: which plane the canvas shows (render/view_projection.hpp, THEORY.md §9.4)
void drawProjection(int d, ViewOptions& v) {
  ImGui::Text("data of dimension d = %d: the canvas shows a plane", d);
  enumCombo("projection", v.projection, {"PCA axes", "two coordinates", "random plane"});
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("a fixed linear map to the plane, chosen once per data set: motion on screen is the\n"
                      "projection of the real motion, arrows the projection P v of the true velocity.\n"
                      "PCA: the directions of largest variance of the data.");
  if (v.projection == ProjectionKind::Pca) {
    // pairs in the order PC1-PC2, PC1-PC3, PC2-PC3, PC1-PC4, ...
    const int k = std::min(d, render::ViewProjection::kPcaAxes);
    char preview[32];
    std::snprintf(preview, sizeof preview, "PC%d-PC%d", v.proj_a + 1, v.proj_b + 1);
    if (ImGui::BeginCombo("axes", preview)) {
      for (int b = 1; b < k; ++b)
        for (int a = 0; a < b; ++a) {
          char item[32];
          std::snprintf(item, sizeof item, "PC%d-PC%d", a + 1, b + 1);
          if (ImGui::Selectable(item, v.proj_a == a && v.proj_b == b)) {
            v.proj_a = a;
            v.proj_b = b;
          }
        }
      ImGui::EndCombo();
    }
  } else if (v.projection == ProjectionKind::Coordinates) {
    ImGui::SliderInt("horizontal x_i", &v.proj_a, 0, d - 1, "%d", ImGuiSliderFlags_AlwaysClamp);
    ImGui::SliderInt("vertical x_j", &v.proj_b, 0, d - 1, "%d", ImGuiSliderFlags_AlwaysClamp);
    if (v.proj_a == v.proj_b) ImGui::TextColored(ImVec4(1.f, 0.78f, 0.35f, 1.f), "choose two different coordinates");
  } else {
    ImGui::InputInt("plane seed", &v.proj_seed);
    ImGui::SameLine();
    if (ImGui::SmallButton("new plane")) ++v.proj_seed;
  }
  ImGui::TextColored(ImVec4(1.f, 0.78f, 0.35f, 1.f), "heat maps and the quiver grid need d = 2");
}

// a flow on S^2: the canvas is the 3-D sphere view (render/sphere_mode.hpp)
bool onSphere(const Snapshot* frame) { return frame != nullptr && render::sphereView(*frame); }

void drawTools(const Snapshot* frame, UiState& state, const UiActions& actions) {
  ViewOptions& v = state.view;
  if (onSphere(frame))
    ImGui::TextColored(ImVec4(1.f, 0.78f, 0.35f, 1.f), "sphere view: a drag rotates; the tools do nothing here");
  else if (frameDim(frame) > 2)
    ImGui::TextColored(ImVec4(1.f, 0.78f, 0.35f, 1.f), "d > 2: brush, erase, drag, blob and probe need d = 2");
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
  const int d = frameDim(frame);
  if (onSphere(frame)) {
    ImGui::Text("S^2: the canvas shows the sphere in 3-D");
    ImGui::TextDisabled("heat maps and the quiver field are drawn on the sphere");
  } else if (d > 2) {
    drawProjection(d, v);
  }

  // arrows and field
  ImGui::Checkbox("particle arrows", &v.show_particle_arrows);
  helpMarker("view.particle_arrows");
  ImGui::BeginDisabled(d > 2 && !onSphere(frame));  // grid fields exist for d = 2 and S^2 only
  ImGui::Checkbox("quiver field", &v.show_quiver);
  ImGui::EndDisabled();
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

  // background map: the plane's grid fields, or painted on S^2
  ImGui::BeginDisabled(d > 2 && !onSphere(frame));
  enumCombo("heat map", v.heat_map, {"none", "log p", "log q", "log p/q (equilibrium = neutral)", "speed |v|"});
  ImGui::EndDisabled();
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

  // presenter mode (P) and the UI scale of the mode in force
  ImGui::Checkbox("presenter mode (P)", &v.presenter);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("for a projector: large font, high-contrast theme, larger points with the data drawn over\n"
                      "the particles, a legend and a caption line on the canvas (also in screenshots and\n"
                      "recordings); REC and notices move to the window title");
  ImGui::SliderFloat("UI scale", v.presenter ? &v.presenter_scale : &v.ui_scale, 1.f, 2.5f, "%.2f",
                     ImGuiSliderFlags_AlwaysClamp);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("text and widget size; presenter mode keeps its own value (1.7)");

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
  if (ImGui::Button(onSphere(frame) ? "North up (F)" : "Fit view (F)") && actions.fit_view) actions.fit_view();
  helpMarker("view.fit");
  ImGui::SameLine();
  ImGui::Checkbox("plots window", &state.show_plots);
  ImGui::SameLine();
  ImGui::Checkbox("images (I)", &v.images.show);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("the Images window: particles and data as small grayscale images, for image-like data\n"
                      "(the 8x8 digits; other data: driftlab --image WxH with W*H = d). Opens by itself for them.");
}

}  // namespace

void drawViewOptions(const Snapshot* frame, UiState& state, const UiActions& actions) {
  if (ImGui::CollapsingHeader("Canvas tools", ImGuiTreeNodeFlags_DefaultOpen)) drawTools(frame, state, actions);
  if (ImGui::CollapsingHeader("View", ImGuiTreeNodeFlags_DefaultOpen)) drawView(frame, state, actions);
}

}  // namespace driftlab::app::ui
