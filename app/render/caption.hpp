// The presenter caption: one line naming the kernel, the bandwidth, the divergence mixture, the
// step and the flow time, e.g. "Gaussian kernel, h = 0.1 · mixed (reverse KL 1, χ² 0.5) · step 240
// · t = 2.4". GUI-free (unit-tested); any thread.
#pragma once

#include <string>

#include "driftlab/field/divergence.hpp"
#include "driftlab/kde/kernel.hpp"

namespace driftlab::app::render {

// "reverse KL", "χ²", "Hellinger", ...; greek = false spells χ as "chi" (fonts without Greek glyphs)
std::string divergenceDisplayName(Divergence d, bool greek);
// "reverse KL" for a single divergence, "mixed (reverse KL 1, χ² 0.5)" for a mixture
std::string weightsDisplay(const DivergenceWeights& w, bool greek);
// UTF-8 (the separator is U+00B7)
std::string presenterCaption(KernelKind kernel, double h, const DivergenceWeights& w, long step, double time,
                             bool greek);

}  // namespace driftlab::app::render
