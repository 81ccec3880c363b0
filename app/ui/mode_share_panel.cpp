// The mode-mass bar chart: for each mode of a mixture dataset, the share of the particles (or
// generated samples) whose nearest centre it is, next to the target's weight, and their
// total-variation distance mode_tv (THEORY.md §8.3). Values come from the newest metrics row of
// the snapshot's history, so the chart shows exactly what the metrics CSV records. Render thread only.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>

#include "imgui.h"
#include "panels.hpp"

namespace driftlab::app::ui {

namespace {

constexpr ImU32 kShareColor = IM_COL32(102, 194, 255, 255);   // q: particles / samples
constexpr ImU32 kWeightColor = IM_COL32(190, 190, 190, 150);  // p: the target's weights
constexpr float kChartHeight = 90.f;

}  // namespace

void drawModeSharePanel(const Snapshot* frame) {
  const Metrics* last = nullptr;
  if (frame != nullptr && frame->history && !frame->history->rows.empty()) {
    // the newest row at or before the step on screen (the timeline may show a past step)
    const auto& rows = frame->history->rows;
    const auto after = std::upper_bound(rows.begin(), rows.end(), frame->step,
                                        [](long step, const Metrics& m) { return step < m.step; });
    last = after == rows.begin() ? &rows.front() : &*std::prev(after);
  }
  if (last == nullptr) {
    ImGui::TextDisabled(frame == nullptr ? "waiting for the engine..." : "no metrics yet");
    return;
  }
  const std::size_t k_modes = last->mode_share.size();
  if (k_modes == 0) {
    ImGui::TextDisabled("no modes for this dataset");
    return;
  }
  const bool generator = frame->generator != nullptr;
  const char* who = generator ? "samples" : "particles";
  // the noise level of N i.i.d. points from p: multinomial counts, E|q_k - p_k| ~ sqrt(2 p_k (1 - p_k) / (pi N))
  // (normal approximation), so E[tv] ~ 1/2 sum_k of that
  const double n = static_cast<double>(frame->particles.cols());
  double noise = 0.0;
  for (double w : last->mode_weight) noise += n > 0 ? 0.5 * std::sqrt(2.0 * w * (1.0 - w) / (3.14159265358979 * n)) : 0.0;
  ImGui::Text("mode_tv = %.4f", last->mode_tv);
  if (ImGui::IsItemHovered()) {
    ImGui::SetTooltip("total-variation distance 1/2 sum_k |q_k - p_k| between the share q_k of the %s\n"
                      "nearest to mode k and the target's weight p_k: 0 = every mode holds its share,\n"
                      "1 = all mass in modes of weight 0. Measured at step %ld.\n"
                      "%.0f points drawn i.i.d. from p would give about %.3f from sampling noise alone.",
                      who, last->step, n, noise);
  }
  ImGui::SameLine();
  ImGui::TextDisabled("(step %ld)", last->step);

  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const float w = std::max(100.f, ImGui::GetContentRegionAvail().x);
  const float label_h = ImGui::GetTextLineHeight();
  const float chart_h = kChartHeight;
  ImGui::InvisibleButton("##mode_share_chart", ImVec2(w, chart_h + label_h));
  const bool hovered = ImGui::IsItemHovered();

  const std::vector<double>& weights = last->mode_weight;  // normalized, as mode_tv uses them
  double top = 0.0;
  for (std::size_t k = 0; k < k_modes; ++k) {
    top = std::max(top, last->mode_share[k]);
    if (k < weights.size()) top = std::max(top, weights[k]);
  }
  if (!(top > 0.0)) top = 1.0;
  top *= 1.1;  // headroom above the tallest bar
  const float base_y = p0.y + chart_h;
  const float slot = w / static_cast<float>(k_modes);
  const float bar = std::max(1.f, slot * 0.38f);
  dl->AddLine(ImVec2(p0.x, base_y), ImVec2(p0.x + w, base_y), IM_COL32(150, 150, 150, 255));
  auto yOf = [&](double v) { return base_y - static_cast<float>(std::clamp(v / top, 0.0, 1.0)) * (chart_h - 2.f); };
  const int label_every = std::max(1, static_cast<int>(std::ceil(18.f / slot)));  // labels >= 18 px apart
  int hovered_k = -1;
  for (std::size_t k = 0; k < k_modes; ++k) {
    const float x = p0.x + slot * static_cast<float>(k) + slot * 0.5f;
    if (k < weights.size()) dl->AddRectFilled(ImVec2(x - bar, yOf(weights[k])), ImVec2(x, base_y), kWeightColor);
    dl->AddRectFilled(ImVec2(x, yOf(last->mode_share[k])), ImVec2(x + bar, base_y), kShareColor);
    if (static_cast<int>(k) % label_every == 0) {
      const std::string label = std::to_string(k);
      const float tw = ImGui::CalcTextSize(label.c_str()).x;
      dl->AddText(ImVec2(x - tw * 0.5f, base_y + 1.f), IM_COL32(170, 170, 170, 255), label.c_str());
    }
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    if (hovered && mouse.x >= x - slot * 0.5f && mouse.x < x + slot * 0.5f) hovered_k = static_cast<int>(k);
  }
  if (hovered_k >= 0) {
    const auto k = static_cast<std::size_t>(hovered_k);
    if (k < weights.size()) {
      ImGui::SetTooltip("mode %d: %s %.4f, target %.4f", hovered_k, who, last->mode_share[k], weights[k]);
    } else {
      ImGui::SetTooltip("mode %d: %s %.4f", hovered_k, who, last->mode_share[k]);
    }
  }
  // legend
  ImGui::ColorButton("##q", ImGui::ColorConvertU32ToFloat4(kShareColor), ImGuiColorEditFlags_NoTooltip, ImVec2(10, 10));
  ImGui::SameLine();
  ImGui::TextUnformatted(generator ? "q: share of samples" : "q: share of particles");
  ImGui::SameLine();
  ImGui::ColorButton("##p", ImGui::ColorConvertU32ToFloat4(kWeightColor), ImGuiColorEditFlags_NoTooltip, ImVec2(10, 10));
  ImGui::SameLine();
  ImGui::TextUnformatted("p: target weight");
}

}  // namespace driftlab::app::ui
