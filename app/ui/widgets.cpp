// Shared ImGui helpers (see widgets.hpp). Render thread only.
#include "widgets.hpp"

#include <algorithm>
#include <map>

#include "imgui.h"
#include "param_help.hpp"

namespace driftlab::app::ui {

namespace {
std::vector<std::string>& missingKeys() {
  static std::vector<std::string> keys;  // render thread only
  return keys;
}
}  // namespace

namespace {
std::map<std::string, WidgetRect>& widgetRects() {
  static std::map<std::string, WidgetRect> rects;  // render thread only
  return rects;
}
}  // namespace

const WidgetRect* widgetRect(const std::string& key) {
  const auto& rects = widgetRects();
  const auto it = rects.find(key);
  // only a control drawn in this frame or the last one (a collapsed section's is not on screen)
  return it != rects.end() && it->second.frame >= ImGui::GetFrameCount() - 1 ? &it->second : nullptr;
}

void helpMarker(const char* key) {
  // the control this marker explains is the last item: remember where it is (lesson highlights)
  widgetRects()[key] = WidgetRect{ImGui::GetItemRectMin(), ImGui::GetItemRectMax(), ImGui::GetFrameCount()};
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
