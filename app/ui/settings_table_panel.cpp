// "All settings": one row per particle-flow setting of the core parameter table — its label, its
// value as `--set` writes it, the table's help as tooltip. Enter applies the typed text through
// applySetting (the same parser, checks and messages as --set and scenario files) and sends the
// result like any other edit; a refused text shows the table's one-line error and sends nothing.
// A parameter added to the table appears here without any app change.
// Render thread only.
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/param_table.hpp"
#include "driftlab/flow/scenario.hpp"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "panels.hpp"
#include "widgets.hpp"

namespace driftlab::app::ui {

void drawAllSettingsSection(const Snapshot* frame, ParamShadow& s, const UiActions& actions) {
  Scenario current;
  current.params = s.params;
  ImGui::TextDisabled("type a value, Enter applies it (same syntax as --set)");
  for (const ParamInfo& info : flowParamInfos()) {
    if (info.mode != ParamMode::Shared && info.mode != ParamMode::Particles) continue;
    ImGui::PushID(info.key.c_str());
    std::string& text = s.setting_texts[info.key];
    if (s.editing_setting != info.key) text = settingValue(current, info.key);  // follow the engine
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
    if (ImGui::InputText("##value", &text, ImGuiInputTextFlags_EnterReturnsTrue)) {
      Scenario edited = current;
      try {
        applySetting(edited, info.key + "=" + text);
        s.params = edited.params;
        sendShadow(frame, s, actions);
      } catch (const InvalidArgument& e) {
        s.local_error = e.what();
        s.local_error_time = ImGui::GetTime();
      }
    }
    if (ImGui::IsItemActive()) s.editing_setting = info.key;
    else if (s.editing_setting == info.key) s.editing_setting.clear();
    ImGui::SameLine();
    ImGui::TextUnformatted(info.key.c_str());
    if (!info.live) {
      ImGui::SameLine();
      ImGui::TextDisabled("(restarts)");
    }
    helpMarker(info.key.c_str());
    ImGui::PopID();
  }
}

}  // namespace driftlab::app::ui
