// Internal: the panels drawUi lays out, one file each (STYLE.md L12), and the pieces they share.
// Render thread only.
#pragma once

#include <string>
#include <vector>

#include "driftlab/kde/kernel.hpp"
#include "ui.hpp"

namespace driftlab::app::ui {

// height of the status bar at the bottom of the display, pixels
float statusBarHeight();

// the "Controls" window body parts (controls_panel.cpp, flow_params_panel.cpp, view_panel.cpp)
void drawControlsPanel(const Snapshot* frame, UiState& state, const UiActions& actions, const AppStatus& status);
void drawFlowParams(const Snapshot* frame, UiState& state, const UiActions& actions);
void drawViewOptions(const Snapshot* frame, UiState& state, const UiActions& actions);
// the divergence-mixture section (divergence_panel.cpp); edits shadow.params
void drawDivergenceSection(const Snapshot* frame, ParamShadow& shadow, const UiActions& actions);
// every particle-flow setting of the parameter table as key = value text (settings_table_panel.cpp)
void drawAllSettingsSection(const Snapshot* frame, ParamShadow& shadow, const UiActions& actions);

// the timeline and A/B fork section (timeline_panel.cpp): a step slider over the run's timeline
// (Seek), branch / discard, keyframe memory, Fork / Close A / Close B, focus and "both"
void drawTimelineSection(const Snapshot* frame, UiState& state, const UiActions& actions);

// mode dfm (dfm_panel.cpp): the sampler's time slider (Seek), oracle / learned drift with the
// training loss, which arrows, bridge paths, the share of samples on training points
void drawDfmSection(const Snapshot* frame, UiState& state, const UiActions& actions);

// the "Compare modes" window (comparison_window.cpp): runs the mode comparison on its own thread
// and plots energy distance against field evaluations for every mode
void drawComparisonWindow(const Snapshot* frame, UiState& state);

// guided lessons (lesson_panel.cpp): the Run section's lesson list and, while a lesson runs, its
// controls; the frame around the control the current beat asks for
void drawLessonList(UiState& state, const UiActions& actions);
void drawLessonControls(UiState& state, const UiActions& actions);
void drawLessonHighlight(const UiState& state);

// the "Plots" window (plots_panel.cpp)
void drawPlotsPanel(const Snapshot* frame, UiState& state);
// its small multiples: metric indices in the order mmd2, energy, sliced_w2, kl_qp, kl_pq, chi2,
// modes_covered, objective; the mode plot only for mixture datasets
struct PlotGroup {
  const char* title;
  std::vector<int> metrics;
  bool allow_log;  // mode counts stay linear
};
std::vector<PlotGroup> plotGroups(bool grouped, bool mixture);

// the mode-mass bar chart (mode_share_panel.cpp): per mode, q's share vs p's weight and
// mode_tv from the newest metrics row; a line of text for datasets without modes
void drawModeSharePanel(const Snapshot* frame);

// the status bar along the bottom (status_bar.cpp)
void drawStatusBar(const Snapshot* frame, const UiState& state, const AppStatus& status);

// the "Images" window (image_grid_panel.cpp): particles and data of image-like data as grayscale
// images; opens itself when the data become image-like. x, y, w, h: its first-use placement
void drawImagesWindow(const Snapshot* frame, UiState& state, float x, float y, float w, float h);

// the help window with shortcuts and mouse controls (help_window.cpp)
void drawHelpWindow(UiState& state);

// the Equations window (E): the velocity formula of the field in force, its terms at the probe
// point and the THEORY.md sections (equations_panel.cpp); x, w: its first-use placement and width,
// bottom: the y of its first-use bottom edge
void drawEquationsWindow(const Snapshot* frame, UiState& state, float x, float bottom, float w);

// k(r) / k(0) for r in [0, r_max] for each bandwidth, with r = h markers (kernel_profile.cpp)
void drawKernelProfile(const KernelShape& shape, const std::vector<double>& bandwidths, float height);

// shadow-copy bookkeeping (flow_params_panel.cpp): follow the snapshot unless the user is editing
void syncShadow(const Snapshot* frame, ParamShadow& shadow);
// send the shadow's params as cmd::SetParams and hold them until the engine answers
void sendShadow(const Snapshot* frame, ParamShadow& shadow, const UiActions& actions);

}  // namespace driftlab::app::ui
