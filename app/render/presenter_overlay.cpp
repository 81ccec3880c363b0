#include "render/presenter_overlay.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "imgui.h"
#include "render/caption.hpp"
#include "render/scene.hpp"

namespace driftlab::app::render {

namespace {

const ImU32 kText = IM_COL32(255, 255, 255, 255);
const ImU32 kBox = IM_COL32(0, 0, 0, 190);
const ImU32 kOutline = IM_COL32(0, 0, 0, 255);

const char* coloringName(ParticleColoring c) {
  switch (c) {
    case ParticleColoring::StartPosition: return "particles (colour: start position)";
    case ParticleColoring::Speed: return "particles (colour: speed)";
    case ParticleColoring::NearestMode: return "particles (colour: nearest mode)";
    default: return "particles";
  }
}

}  // namespace

float drawPresenterOverlay(const Snapshot& frame, const ViewOptions& view, const std::array<float, 4>& fr) {
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  ImFont* font = ImGui::GetFont();
  const float size = std::max(ImGui::GetFontSize(), 20.f);
  auto textSize = [&](const std::string& s) { return font->CalcTextSizeA(size, 1e9f, 0.f, s.c_str()); };
  const float pad = size * 0.45f, mark = size * 0.6f, max_w = fr[2] - fr[0] - 24.f - 2 * pad;

  // caption along the bottom, above the x tick labels, wrapped at its " · " separators when the
  // free canvas is narrower than the line
  const double h_used = frame.bandwidth > 0 ? frame.bandwidth : frame.params.bandwidth.h;
  const std::string caption = presenterCaption(frame.params.kernel.kind, h_used, frame.params.weights, frame.step,
                                               frame.time, /*greek=*/font->FindGlyphNoFallback(0x03C7) != nullptr);
  const std::string sep = " \xC2\xB7 ";
  std::vector<std::string> lines{""};
  for (std::size_t a = 0; a <= caption.size();) {
    std::size_t b = caption.find(sep, a);
    if (b == std::string::npos) b = caption.size();
    const std::string part = caption.substr(a, b - a);
    const std::string joined = lines.back().empty() ? part : lines.back() + sep + part;
    if (!lines.back().empty() && textSize(joined).x > max_w) lines.push_back(part);
    else lines.back() = joined;
    a = b + sep.size();
  }
  float cap_w = 0;
  for (const auto& l : lines) cap_w = std::max(cap_w, textSize(l).x);
  const float line_h = size * 1.2f, cap_h = line_h * static_cast<float>(lines.size());
  const float cx = std::max(fr[0] + 12.f + pad, (fr[0] + fr[2] - cap_w) * 0.5f), cy = fr[3] - 26.f - cap_h - pad * 0.6f;
  dl->AddRectFilled(ImVec2(cx - pad, cy - pad * 0.6f), ImVec2(cx + cap_w + pad, cy + cap_h + pad * 0.6f), kBox, 6.f);
  for (std::size_t i = 0; i < lines.size(); ++i)
    dl->AddText(font, size, ImVec2(cx, cy + line_h * static_cast<float>(i)), kText, lines[i].c_str());

  // legend above the caption at the left (the colour bar and arrow legend sit at the top right):
  // the data's colour (render/scene.hpp) and a few particle colours
  const std::string data_label = "data (target p)";
  const std::string particle_label = coloringName(view.coloring);
  const float text_w = std::max(textSize(data_label).x, textSize(particle_label).x);
  const float row = size * 1.3f, w = pad * 3 + mark * 2.2f + text_w, h = pad * 2 + row * 2;
  const ImVec2 p0(fr[0] + 12.f, cy - pad * 0.6f - 10.f - h);
  dl->AddRectFilled(p0, ImVec2(p0.x + w, p0.y + h), kBox, 6.f);
  float y = p0.y + pad;
  const ImVec2 c0(p0.x + pad + mark, y + row * 0.5f);
  const Rgba8 d = kDataPointColor;
  dl->AddRectFilled(ImVec2(c0.x - mark * 0.5f, c0.y - mark * 0.5f), ImVec2(c0.x + mark * 0.5f, c0.y + mark * 0.5f),
                    IM_COL32(d.r, d.g, d.b, 255));
  dl->AddRect(ImVec2(c0.x - mark * 0.5f, c0.y - mark * 0.5f), ImVec2(c0.x + mark * 0.5f, c0.y + mark * 0.5f), kOutline);
  dl->AddText(font, size, ImVec2(p0.x + pad * 2 + mark * 2.2f, y + (row - size) * 0.5f), kText, data_label.c_str());
  y += row;
  const ImU32 hues[3] = {IM_COL32(255, 110, 90, 255), IM_COL32(110, 220, 120, 255), IM_COL32(90, 160, 255, 255)};
  const bool plain = view.coloring == ParticleColoring::Plain;  // scene.cpp's plain orange
  for (int i = 0; i < (plain ? 1 : 3); ++i) {
    const ImVec2 c(p0.x + pad + mark * (plain ? 1.f : 0.4f + 0.6f * static_cast<float>(i)), y + row * 0.5f);
    dl->AddCircleFilled(c, mark * 0.45f, plain ? IM_COL32(255, 158, 51, 255) : hues[i], 16);
    dl->AddCircle(c, mark * 0.45f, kOutline, 16, 1.5f);
  }
  dl->AddText(font, size, ImVec2(p0.x + pad * 2 + mark * 2.2f, y + (row - size) * 0.5f), kText,
              particle_label.c_str());
  return p0.y;
}

}  // namespace driftlab::app::render
