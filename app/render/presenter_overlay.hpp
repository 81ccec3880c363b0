// Presenter mode's canvas annotations: a legend (data vs particles in their colours) at the
// top-left of the free canvas and a caption line (kernel, h, divergence, step, flow time) along its
// bottom. Drawn with ImGui's background draw list, i.e. into the frame that screenshots and
// recordings capture. Render thread only, between ImGui::NewFrame and ImGui::Render.
#pragma once

#include <array>

#include "driftlab/run/snapshot.hpp"
#include "view_options.hpp"

namespace driftlab::app::render {

// returns the screen y of the top of what it drew (the legend above the caption), so that a lesson's
// caption box can sit above it
float drawPresenterOverlay(const Snapshot& frame, const ViewOptions& view, const std::array<float, 4>& free_rect);

}  // namespace driftlab::app::render
