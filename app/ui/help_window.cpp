// The help window (H): keyboard shortcuts and mouse controls. The shortcuts themselves are
// handled by the shell (one place, STYLE.md L14); this only lists them. Render thread only.
#include "imgui.h"
#include "panels.hpp"

namespace driftlab::app::ui {

namespace {

struct Row {
  const char* keys;
  const char* what;
};

constexpr Row kKeys[] = {
    {"Space", "play / pause"},
    {"Right arrow", "one step (while paused)"},
    {"Left arrow", "one step back on the timeline (exactly the state recorded there)"},
    {"B", "fork into A (left) and B (right) from this state; again: close B"},
    {"O", "give the other side of the fork the focus (settings go there)"},
    {"R", "reset to t = 0 with the same seeds"},
    {"N", "new seed (new data and particles)"},
    {"F", "fit the view to data and particles (sphere view: north up)"},
    {"F12", "screenshot (PNG, in ~/Pictures/driftlab)"},
    {"F9", "start / stop recording (MP4, in ~/Videos/driftlab)"},
    {"Shift+F9", "reset and record from step 0 (F9 stops)"},
    {"[  /  ]", "slower / faster (1 ... 1000 steps/s, unlimited)"},
    {"H", "this help"},
    {"I", "images window (image-like data such as the 8x8 digits)"},
    {"E", "equations: the velocity formula in force and its terms at the probe point"},
    {"Tab", "hide / show all panels"},
    {"P", "presenter mode: large font, high contrast, legend and caption on the canvas"},
    {"1 - 6", "canvas tool: probe, pick, brush, erase, drag, blob"},
    {"Esc", "clear the picked particle and the probe"},
};

constexpr Row kMouse[] = {
    {"wheel", "zoom around the cursor"},
    {"right drag", "pan"},
    {"left click / drag", "the canvas tool (Controls > Canvas tools)"},
    {"sphere view: any drag", "rotate the globe (wheel zooms, F: north up)"},
    {"sphere view: left click", "probe: the field at that point (Esc clears); pick: the nearest particle"},
    {"hover a plot", "values of every curve at that x; markers show your changes"},
    {"hover (?)", "what a control means, its usual range, what to watch"},
};

void table(const char* id, const Row* rows, int n) {
  if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) return;
  ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 8.f);
  ImGui::TableSetupColumn("action", ImGuiTableColumnFlags_WidthStretch);
  for (int i = 0; i < n; ++i) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(rows[i].keys);
    ImGui::TableSetColumnIndex(1);
    ImGui::TextUnformatted(rows[i].what);
  }
  ImGui::EndTable();
}

}  // namespace

void drawHelpWindow(UiState& state) {
  if (!state.show_help) return;
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.45f), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(460.f, 0.f), ImGuiCond_Appearing);
  if (ImGui::Begin("Help", &state.show_help, ImGuiWindowFlags_NoCollapse)) {
    ImGui::TextWrapped("driftlab moves particles (q) along the Wasserstein gradient flow of a KDE-approximated "
                       "divergence towards the data (p). Every control applies live; each change leaves a "
                       "marker on the curves.");
    ImGui::Separator();
    ImGui::TextDisabled("keyboard (when no text field is active)");
    table("keys", kKeys, static_cast<int>(sizeof kKeys / sizeof kKeys[0]));
    ImGui::Spacing();
    ImGui::TextDisabled("mouse");
    table("mouse", kMouse, static_cast<int>(sizeof kMouse / sizeof kMouse[0]));
    ImGui::Spacing();
    if (ImGui::Button("Close (H)")) state.show_help = false;
  }
  ImGui::End();
}

}  // namespace driftlab::app::ui
