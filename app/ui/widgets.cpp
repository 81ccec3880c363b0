// Shared ImGui helpers (see widgets.hpp). Render thread only.
#include "widgets.hpp"

#include <algorithm>

#include "imgui.h"
#include "param_help.hpp"

namespace driftlab::app::ui {

namespace {
std::vector<std::string>& missingKeys() {
  static std::vector<std::string> keys;  // render thread only
  return keys;
}
}  // namespace

void helpMarker(const char* key) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  const char* text = paramHelp(key);
  if (text == nullptr) {
    auto& keys = missingKeys();
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.emplace_back(key);
    text = "(no help text yet)";
  }
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.f);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

const std::vector<std::string>& missingHelpKeys() { return missingKeys(); }

bool sliderDoubleLog(const char* label, double* v, double lo, double hi, const char* format) {
  return ImGui::SliderScalar(label, ImGuiDataType_Double, v, &lo, &hi, format, ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
}

bool sliderDouble(const char* label, double* v, double lo, double hi, const char* format) {
  return ImGui::SliderScalar(label, ImGuiDataType_Double, v, &lo, &hi, format, ImGuiSliderFlags_AlwaysClamp);
}

bool editFinished() { return ImGui::IsItemDeactivatedAfterEdit(); }

}  // namespace driftlab::app::ui
