// Small ImGui helpers shared by the panels: the (?) help marker and log-scale sliders.
// Render thread only.
#pragma once

#include <string>
#include <vector>

#include "imgui.h"

namespace driftlab::app::ui {

// "(?)" on the same line as the previous item; hovering shows paramHelp(key). A key without a
// text is recorded in missingHelpKeys() (the smoke test fails on any) and shows a placeholder.
void helpMarker(const char* key);
// where the control explained by helpMarker(key) was drawn (this frame or the last), for a lesson's
// highlight; nullptr when it is not on screen
struct WidgetRect {
  ImVec2 min, max;
  int frame = 0;
};
const WidgetRect* widgetRect(const std::string& key);
const std::vector<std::string>& missingHelpKeys();

// a double slider on a logarithmic scale; returns true when the value changed this frame
bool sliderDoubleLog(const char* label, double* v, double lo, double hi, const char* format);
// a double slider on a linear scale
bool sliderDouble(const char* label, double* v, double lo, double hi, const char* format);

// true on the frame the previous item was released after its value changed (sliders, drags,
// inputs): the moment to send a command, so a drag does not flood the worker's queue
bool editFinished();

}  // namespace driftlab::app::ui
