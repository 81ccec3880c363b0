// The kernel-profile mini plot beside the bandwidth slider (UX.md lesson 6): k(r)/k(0) against
// the distance r for the current kernel at each bandwidth in force, with a marker at r = h.
// Uses driftlab::KernelEvaluator, so it is exactly the kernel the engine uses. Render thread only.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "driftlab/kde/kernel.hpp"
#include "imgui.h"
#include "panels.hpp"
#include "plot_widget.hpp"

namespace driftlab::app::ui {

void drawKernelProfile(const KernelShape& shape, const std::vector<double>& bandwidths, float height) {
  constexpr int kSamples = 160;
  constexpr ImU32 kColors[] = {IM_COL32(110, 190, 255, 255), IM_COL32(255, 160, 80, 255), IM_COL32(140, 230, 120, 255),
                               IM_COL32(230, 120, 230, 255)};
  std::vector<double> hs;
  for (double h : bandwidths)
    if (h > 0 && std::isfinite(h)) hs.push_back(h);
  if (hs.empty()) {
    ImGui::TextDisabled("(no bandwidth)");
    return;
  }
  // r from 0 to 4 times the largest bandwidth: the Gaussian is gone there, heavy tails are not
  const double r_max = 4.0 * *std::max_element(hs.begin(), hs.end());
  std::vector<double> xs(kSamples);
  for (int i = 0; i < kSamples; ++i) xs[i] = r_max * i / (kSamples - 1);
  std::vector<std::vector<double>> ys(hs.size(), std::vector<double>(kSamples));
  std::vector<std::string> labels(hs.size()), marker_labels(hs.size());
  std::vector<PlotSeries> series;
  std::vector<PlotMarker> markers;
  for (std::size_t s = 0; s < hs.size(); ++s) {
    KernelSpec k{shape};
    k.h = hs[s];
    const KernelEvaluator eval(k, 2);
    const double log0 = eval.logValue(0.0);  // k(0) = 1 except IMQ (c^-2beta)
    for (int i = 0; i < kSamples; ++i) ys[s][i] = std::exp(eval.logValue(xs[i] * xs[i]) - log0);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%s h=%.3g", kernelName(shape.kind), hs[s]);
    labels[s] = buf;
    marker_labels[s] = hs.size() == 1 ? "h" : "h" + std::to_string(s + 1);
  }
  for (std::size_t s = 0; s < hs.size(); ++s) {
    series.push_back({labels[s].c_str(), xs.data(), ys[s].data(), kSamples, kColors[s % 4]});
    markers.push_back({hs[s], marker_labels[s].c_str()});
  }
  PlotOptions opt;
  opt.size = ImVec2(-1.f, height);
  opt.x_label = "r";
  opt.x_min = 0.0;
  opt.x_max = r_max;
  opt.legend = true;
  plotLines("kernel_profile", series, markers, opt);
}

}  // namespace driftlab::app::ui
