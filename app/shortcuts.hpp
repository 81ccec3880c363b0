// Every keyboard shortcut of the app in one function, so an ImGui upgrade (1.87's named keys)
// touches one place (STYLE.md L14). Render thread only, between ImGui::NewFrame and Render.
#pragma once

#include <functional>

#include "ui/ui.hpp"

namespace driftlab::app {

struct ShortcutActions {
  std::function<void()> toggle_pause, step_once, reset, new_seed, screenshot, toggle_recording, fit_view;
  std::function<void()> record_from_reset;  // Shift+F9
  std::function<void()> slower, faster;     // [ and ]: the run's speed one stop down / up (run_speed.hpp)
  std::function<void()> step_back;          // Left: one step back on the timeline
  std::function<void()> fork, swap_focus;   // B: fork into A/B (in the split view: close B); O: focus A <-> B
};

// Space play/pause, Right single step, Left one step back (timeline), B fork A/B (again: close B),
// O focus the other side, R reset (same seed), N new seed, F12 screenshot, F9 record,
// Shift+F9 reset and record from step 0, [ / ] slower / faster, F fit view, H help, I images
// window, E equations window, Tab hide panels, 1-6 canvas tools (probe, pick, brush, erase, drag, blob), Escape clears the pick. Ignored while ImGui wants the keyboard (a text field has focus).
void handleShortcuts(ui::UiState& ui, const ShortcutActions& actions);

}  // namespace driftlab::app
