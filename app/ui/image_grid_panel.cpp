// The "Images" window: for image-like data (d = W x H, row-major pixels: the 8x8 digits) the
// first particles (generator mode: samples) and the first data points drawn as small grayscale
// images side by side, with draw-list rectangles per pixel (no GL textures). The grey ramp's range
// is the data's, fixed per data set, so an image means the same all run long. Optionally each
// particle shows its nearest data image, the distance and whether it is a copy (image_match.hpp);
// its frame takes the colour of its nearest class, as the canvas's "nearest mode" colouring.
// Nearest neighbours are computed when a new snapshot arrives, not every frame. Render thread only.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>

#include "image_shape.hpp"
#include "imgui.h"
#include "panels.hpp"
#include "render/colormap.hpp"

namespace driftlab::app::ui {

namespace {

const ImVec4 kNote(1.f, 0.78f, 0.35f, 1.f);
const ImU32 kCopyColour = IM_COL32(255, 70, 60, 255);
constexpr float kCellPad = 6.f;          // pixels between images
constexpr float kGridGap = 24.f;         // pixels between the particle and the data grid
// a running flow publishes many snapshots a second: match at most this often, or 4x the match's
// own cost, whichever is longer (a paused run -- single steps, headless capture -- every snapshot)
constexpr double kMinMatchInterval = 0.1;

struct GridLayout {
  int n = 0, cols = 1, rows = 0;
  float scale = 1.f;                     // screen pixels per image pixel
  float pad = kCellPad;                  // between images
  float cell_w = 0.f, cell_h = 0.f;      // one cell, padding included
  float image_w = 0.f, image_h = 0.f;
};

ImU32 toU32(Rgb c) {
  auto b = [](float v) { return static_cast<int>(std::lround(std::clamp(v, 0.f, 1.f) * 255.f)); };
  return IM_COL32(b(c.r), b(c.g), b(c.b), 255);
}

// one image: a black square (the range's low end), then one rectangle per pixel brighter than it
void drawImage(ImDrawList* dl, ImVec2 p, float s, const float* px, ImageShape shape, GreyRange r) {
  p = ImVec2(std::floor(p.x), std::floor(p.y));
  const float inv = 1.f / (r.hi - r.lo);
  dl->AddRectFilled(p, ImVec2(p.x + shape.width * s, p.y + shape.height * s), IM_COL32(0, 0, 0, 255));
  for (int y = 0; y < shape.height; ++y)
    for (int x = 0; x < shape.width; ++x) {
      const float t = std::clamp((px[y * shape.width + x] - r.lo) * inv, 0.f, 1.f);
      const int g = static_cast<int>(std::lround(t * 255.f));
      if (g < 6) continue;  // as the background
      const ImVec2 a(p.x + x * s, p.y + y * s);
      dl->AddRectFilled(a, ImVec2(a.x + s, a.y + s), IM_COL32(g, g, g, 255));
    }
}

// n images in a near-square grid whose images fit `width` (1 to 12 screen pixels per pixel); a
// cell is taller when it carries the nearest data image and its distance
GridLayout layoutGrid(int n, ImageShape shape, float width, bool nearest) {
  GridLayout g;
  g.n = n;
  g.cols = std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n)))));
  g.rows = (n + g.cols - 1) / g.cols;
  auto fit = [&](float pad) {
    return std::floor((width / static_cast<float>(g.cols) - pad) / static_cast<float>(shape.width));
  };
  // small images get less padding; below 2 screen pixels per pixel the grid scrolls instead
  g.pad = fit(kCellPad) >= 3.f ? kCellPad : kCellPad * 0.5f;
  g.scale = std::clamp(fit(g.pad), 2.f, 12.f);
  g.image_w = g.scale * static_cast<float>(shape.width);
  g.image_h = g.scale * static_cast<float>(shape.height);
  g.cell_w = g.image_w + g.pad;
  g.cell_h = g.image_h + g.pad;
  if (nearest) g.cell_h += g.image_h + 2.f + ImGui::GetFontSize() * 0.8f;
  return g;
}

// the note shown instead of images, or "" when the frame's data can be drawn as `shape`
std::string whyNotImages(const Snapshot* frame, const std::optional<ImageShape>& shape, int d) {
  char line[256];
  if (frame == nullptr) return "waiting for the first snapshot";
  if (frame->data.cols() > 0 && frame->data.rows() != frame->particles.rows()) return "particles and data differ in dimension";
  if (!shape) {
    std::snprintf(line, sizeof line,
                  "d = %d: not image-like data (digits, digits_sphere: 8x8; other data: --image WxH with W*H = d)", d);
    return line;
  }
  if (shape->pixels() != d) {
    std::snprintf(line, sizeof line, "image %dx%d has %d pixels but the data have d = %d: nothing drawn", shape->width,
                  shape->height, shape->pixels(), d);
    return line;
  }
  return {};
}

// recompute the matches when a new snapshot (or a new count / overlay choice) asks for it
void refreshMatches(const Snapshot& frame, const ImageViewOptions& opt, ImageGridState& g) {
  const bool data_changed = g.snapshot_id != frame.snapshot_id && g.matcher.setData(frame.data);
  const bool asked = g.count != opt.count || g.nearest != opt.nearest;
  const bool fresh = g.snapshot_id != frame.snapshot_id;
  const double now = ImGui::GetTime();
  const bool due = frame.paused || now - g.matched_at >= std::max(kMinMatchInterval, 4.0 * g.matcher.lastSeconds());
  if (!(data_changed || asked || (fresh && due))) return;
  g.matcher.match(frame.particles, opt.count, frame.mode_centres, opt.nearest);
  g.snapshot_id = frame.snapshot_id;
  g.count = opt.count;
  g.nearest = opt.nearest;
  g.matched_at = now;
}

void particleTooltip(int i, const ImageMatcher& m, bool generator) {
  ImGui::BeginTooltip();
  ImGui::Text("%s %d", generator ? "sample" : "particle", i);
  if (i < static_cast<int>(m.nearestClass().size())) ImGui::Text("nearest class centre: %d", m.nearestClass()[i]);
  if (m.withNearest() && i < static_cast<int>(m.nearestData().size()) && m.nearestData()[i] >= 0)
    ImGui::Text("nearest data image: %d at distance %.4g%s", m.nearestData()[i], m.distance()[i],
                m.isCopy(i) ? " (a copy)" : "");
  ImGui::EndTooltip();
}

// the particle grid: image, class frame, and with the overlay the nearest data image and distance
void drawParticleGrid(ImDrawList* dl, ImVec2 origin, const GridLayout& L, const Snapshot& frame, ImageShape shape,
                      const ImageViewOptions& opt, const ImageMatcher& m) {
  const GreyRange r = m.range();
  const float small = ImGui::GetFontSize() * 0.8f;
  for (int i = 0; i < L.n; ++i) {
    const ImVec2 p(origin.x + static_cast<float>(i % L.cols) * L.cell_w, origin.y + static_cast<float>(i / L.cols) * L.cell_h);
    const ImVec2 end(p.x + L.cell_w, p.y + L.cell_h);
    if (!ImGui::IsRectVisible(p, end)) continue;
    const ImVec2 q(p.x + L.image_w, p.y + L.image_h);
    drawImage(dl, p, L.scale, frame.particles.col(i).data(), shape, r);
    if (opt.class_frames && i < static_cast<int>(m.nearestClass().size()))
      dl->AddRect(ImVec2(p.x - 1.5f, p.y - 1.5f), ImVec2(q.x + 1.5f, q.y + 1.5f), toU32(categoryColor(m.nearestClass()[i])),
                  0.f, 0, 1.5f);
    const bool copy = m.isCopy(i);
    // matches may be a few snapshots old (refreshMatches): drawn only while they fit the data
    if (opt.nearest && m.withNearest() && i < static_cast<int>(m.nearestData().size()) && m.nearestData()[i] >= 0 &&
        m.nearestData()[i] < frame.data.cols()) {
      const ImVec2 u(p.x, q.y + 2.f);
      drawImage(dl, u, L.scale, frame.data.col(m.nearestData()[i]).data(), shape, r);
      char text[32];
      std::snprintf(text, sizeof text, "%.2f", m.distance()[i]);
      // a distance wider than its cell would run into the next one: then only the tooltip has it
      if (ImGui::GetFont()->CalcTextSizeA(small, 1e9f, 0.f, text).x <= L.cell_w)
        dl->AddText(ImGui::GetFont(), small, ImVec2(p.x, u.y + L.image_h + 1.f),
                    copy ? kCopyColour : ImGui::GetColorU32(ImGuiCol_TextDisabled), text);
      if (copy)  // the pair of images in one red box
        dl->AddRect(ImVec2(p.x - 3.f, p.y - 3.f), ImVec2(q.x + 3.f, u.y + L.image_h + 3.f), kCopyColour, 0.f, 0, 2.f);
    }
    if (ImGui::IsMouseHoveringRect(p, end)) particleTooltip(i, m, frame.generator != nullptr);
  }
}

void drawDataGrid(ImDrawList* dl, ImVec2 origin, const GridLayout& L, const Snapshot& frame, ImageShape shape, GreyRange r) {
  for (int i = 0; i < L.n; ++i) {
    const ImVec2 p(origin.x + static_cast<float>(i % L.cols) * L.cell_w, origin.y + static_cast<float>(i / L.cols) * L.cell_h);
    if (!ImGui::IsRectVisible(p, ImVec2(p.x + L.cell_w, p.y + L.cell_h))) continue;
    drawImage(dl, p, L.scale, frame.data.col(i).data(), shape, r);
    if (ImGui::IsMouseHoveringRect(p, ImVec2(p.x + L.image_w, p.y + L.image_h))) ImGui::SetTooltip("data image %d", i);
  }
}

void drawBody(const Snapshot& frame, ImageShape shape, ImageViewOptions& opt, ImageGridState& g) {
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10.f);
  ImGui::SliderInt("images", &opt.count, 16, 256, "%d", ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_Logarithmic);
  ImGui::SameLine();
  ImGui::Checkbox("nearest data image", &opt.nearest);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("under each particle: its nearest data image (Euclidean, in all d dimensions) and the\n"
                      "distance; a red box marks a copy, nearer than %.1f x the median distance between a\n"
                      "data image and its nearest other data image",
                      static_cast<double>(kCopyFraction));
  ImGui::SameLine();
  ImGui::Checkbox("class frames", &opt.class_frames);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("frame colour: the particle's nearest class centre (the canvas's \"nearest mode\" colours)");

  refreshMatches(frame, opt, g);
  const ImageMatcher& m = g.matcher;
  ImGui::TextDisabled("%dx%d images, grey %.3g (black) .. %.3g (white) from the data", shape.width, shape.height,
                      static_cast<double>(m.range().lo), static_cast<double>(m.range().hi));
  if (opt.nearest && m.withNearest()) {
    ImGui::Text("copies: %d of %d (nearest < %.1f x median data NN distance %.3g)", m.copies(), m.matched(),
                static_cast<double>(kCopyFraction), static_cast<double>(m.medianDistance()));
    if (m.dataStride() > 1) ImGui::TextColored(kNote, "large data: nearest among every %d-th data image", m.dataStride());
  }

  const int n = std::min(opt.count, static_cast<int>(frame.particles.cols()));
  const int n_data = std::min(opt.count, static_cast<int>(frame.data.cols()));
  ImGui::BeginChild("grids", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float side = std::max(60.f, (ImGui::GetContentRegionAvail().x - kGridGap) * 0.5f);
  const GridLayout pl = layoutGrid(n, shape, side, opt.nearest && m.withNearest());
  GridLayout dlay = layoutGrid(n_data, shape, side, false);
  dlay.scale = pl.scale;  // both grids at one scale, so images compare pixel for pixel
  dlay.image_w = pl.image_w, dlay.image_h = pl.image_h, dlay.pad = pl.pad;
  dlay.cell_w = pl.cell_w, dlay.cell_h = pl.image_h + pl.pad;
  const ImVec2 top = ImGui::GetCursorScreenPos();
  const float left_w = std::max(side, static_cast<float>(pl.cols) * pl.cell_w);
  ImGui::Text("%s (step %ld)", frame.generator ? "samples" : "particles", frame.step);
  ImGui::SameLine(left_w + kGridGap);
  ImGui::Text("data");
  const float y0 = ImGui::GetCursorScreenPos().y + 2.f;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  drawParticleGrid(dl, ImVec2(top.x + 2.f, y0), pl, frame, shape, opt, m);
  drawDataGrid(dl, ImVec2(top.x + left_w + kGridGap, y0), dlay, frame, shape, m.range());
  const float height = std::max(static_cast<float>(pl.rows) * pl.cell_h, static_cast<float>(dlay.rows) * dlay.cell_h);
  ImGui::Dummy(ImVec2(left_w + kGridGap + static_cast<float>(dlay.cols) * dlay.cell_w, height + 4.f));
  ImGui::EndChild();
}

}  // namespace

void drawImagesWindow(const Snapshot* frame, UiState& state, float x, float y, float w, float h) {
  ImageViewOptions& opt = state.view.images;
  ImageGridState& g = state.image_grid;
  opt.count = std::clamp(opt.count, 16, 256);
  const int d = frame == nullptr ? 0 : static_cast<int>(frame->particles.rows());
  std::optional<ImageShape> shape;
  if (frame != nullptr) shape = imageShapeFor(opt, frame->params.dataset);
  const std::string note = whyNotImages(frame, shape, d);
  // the window opens itself when the data become image-like (not again while they stay so: a user
  // who closed it keeps it closed)
  if (note.empty() && !g.was_image_like && opt.auto_show) opt.show = true;
  g.was_image_like = note.empty();
  if (!opt.show) return;
  ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_FirstUseEver);
  if (ImGui::Begin("Images", &opt.show)) {
    if (!note.empty())
      ImGui::TextColored(kNote, "%s", note.c_str());
    else
      drawBody(*frame, shape.value_or(ImageShape{}), opt, g);  // a note-free frame has a shape
  }
  ImGui::End();
}

}  // namespace driftlab::app::ui
