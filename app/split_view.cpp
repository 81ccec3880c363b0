// The A/B fork and the timeline in the shell: side B's worker and scene, focus and routing of
// commands, the split canvas (two panes with one linked camera), pane labels. The engine side
// (ForkSeed, Seek, branches) is run_worker.hpp's. Main thread only; nothing here waits for a step
// except requestFork(wait = true), which only headless scripts use.
#include <algorithm>
#include <chrono>
#include <exception>
#include <string>
#include <variant>

#include "imgui.h"
#include "render/caption.hpp"
#include "render/overlays.hpp"
#include "shell.hpp"

namespace driftlab::app {

namespace {

constexpr float kPaneGap = 3.f;  // logical pixels between the two panes (the divider)
// steps one side may run ahead of the other: small enough that the panes show the same moment, large
// enough that an unlimited run is not held to the frame rate (the limits move once per frame)
constexpr long kForkSlack = 4;

}  // namespace

void Shell::sendToFocused(const Command& c) {
  // the clock (play, pause, steps, resets, speed, seeks) is one for both sides
  const bool clock = std::holds_alternative<cmd::Pause>(c) || std::holds_alternative<cmd::Resume>(c) ||
                     std::holds_alternative<cmd::StepOnce>(c) || std::holds_alternative<cmd::Reset>(c) ||
                     std::holds_alternative<cmd::NewSeed>(c) || std::holds_alternative<cmd::SetStepRate>(c) ||
                     std::holds_alternative<cmd::Seek>(c) || std::holds_alternative<cmd::DiscardBranches>(c);
  if (split() && (send_both_ || clock)) {
    worker_->send(c);
    worker_b_->send(c);
  } else if (worker_) {
    focusedWorker().send(c);
  }
}

void Shell::sendToAll(const Command& c) {
  if (worker_) worker_->send(c);
  if (worker_b_) worker_b_->send(c);
}

void Shell::requestFork(bool wait) {
  if (!worker_) return;
  if (split()) {
    setMessage("fork: the run is split already (close A or B first)", true);
    return;
  }
  if (pending_fork_.valid()) return;  // asked already: the answer is on its way
  pending_fork_ = worker_->requestFork();
  if (!wait) {
    setMessage("forking...", false);
    return;
  }
  if (pending_fork_.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    setMessage("fork: the run did not answer within 60 s", true);
    return;  // pollFork adopts it if it comes later
  }
  pollFork();
}

void Shell::pollFork() {
  if (!pending_fork_.valid() || pending_fork_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
  try {
    adoptFork(pending_fork_.get());
  } catch (const std::exception& e) {
    setMessage(std::string("fork: ") + e.what(), true);
  }
}

void Shell::adoptFork(const std::shared_ptr<const ForkSeed>& seed) {
  auto a = worker_->latest();
  // headless capture steps both sides itself; interactively B runs (or waits) as A does
  const bool paused = opt_.headless || !a || a->paused;
  worker_b_ = std::make_unique<RunWorker>(*seed, paused);
  limit_sent_b_ = -1;
  scene_b_.forget();
  scene_b_.followHeatRange(&scene_);
  drawn_snapshot_b_ = 0;
  frame_b_.reset();
  focus_ = 1;
  send_both_ = false;
  if (!opt_.headless) worker_b_->send(cmd::SetStepRate{ui_.speed(generator_mode_)});
  sent_quiver_n_ = 0;  // both sides need the view rectangle
  need_fit_ = true;    // the data now fits a pane, half the canvas
  setMessage("forked at step " + std::to_string(seed->state->step()) +
                 ": A left, B right; changes go to B (the focus) until you pick A or both",
             false);
}

void Shell::closeSide(int side) {
  if (!split()) return;
  if (side == 0) {
    worker_ = std::move(worker_b_);  // B runs on as the single run
    limit_sent_a_ = limit_sent_b_;    // ... with B's step limit, lifted on the next frame
    scene_.forget();
  }
  worker_b_.reset();
  scene_b_.forget();
  frame_b_.reset();
  focus_ = 0;
  send_both_ = false;
  sent_quiver_n_ = 0;
  need_fit_ = true;
  setMessage(side == 0 ? "closed A: B runs on alone" : "closed B: A runs on alone", false);
}

void Shell::setFocus(int side) {
  if (!split()) {
    if (side == 1) setMessage("focus: there is no B (fork first)", true);
    return;
  }
  focus_ = side == 1 ? 1 : 0;
  ui_.shadow = ui::ParamShadow{};  // the panels follow the newly focused side's parameters
}

void Shell::keepSidesTogether() {
  auto limit = [](RunWorker& w, long max_step, long& sent) {
    if (max_step == sent) return;
    w.send(cmd::SetStepLimit{max_step});
    sent = max_step;
  };
  if (!split()) {
    if (worker_) limit(*worker_, -1, limit_sent_a_);  // one run: free again
    limit_sent_b_ = -1;
    return;
  }
  const auto a = worker_->latest();
  const auto b = worker_b_->latest();
  if (!a || !b) return;
  limit(*worker_, b->step + kForkSlack, limit_sent_a_);
  limit(*worker_b_, a->step + kForkSlack, limit_sent_b_);
}

// a seek moves both sides: the panes show one moment of the two runs
void Shell::seekAll(long step) {
  record_from_reset_.dropResume();
  sendToAll(cmd::Seek{step});
}

// [SECTION] panes

std::array<float, 4> Shell::paneRect(int side) const {
  const float mid = 0.5f * (free_rect_[0] + free_rect_[2]);
  if (side == 0) return {free_rect_[0], free_rect_[1], mid - 0.5f * kPaneGap, free_rect_[3]};
  return {mid + 0.5f * kPaneGap, free_rect_[1], free_rect_[2], free_rect_[3]};
}

Camera Shell::paneCamera(int side) const {
  const auto pr = paneRect(side);
  const Vec2f centre_screen{0.5f * (free_rect_[0] + free_rect_[2]), 0.5f * (free_rect_[1] + free_rect_[3])};
  const Vec2f centre_world = cam_.screenToWorld(centre_screen);
  Camera c = cam_;
  c.setViewport(std::max(1.f, pr[2] - pr[0]), cam_.viewportHeight());
  c.setScreenOffset(pr[0]);
  c.centreOn(centre_world, {0.5f * (pr[0] + pr[2]), centre_screen.y});
  return c;
}

int Shell::paneAt(float screen_x) const { return screen_x < paneRect(1)[0] ? 0 : 1; }

void Shell::adoptPaneCamera(const Camera& pane, int side) {
  const auto pr = paneRect(side);
  const Vec2f centre_screen{0.5f * (free_rect_[0] + free_rect_[2]), 0.5f * (free_rect_[1] + free_rect_[3])};
  const Vec2f shown = pane.screenToWorld({0.5f * (pr[0] + pr[2]), centre_screen.y});
  cam_.setPixelsPerUnit(pane.pixelsPerUnit());
  cam_.centreOn(shown, centre_screen);
}

// "A · Gaussian kernel, h = 0.3 · forward KL · step 120" over each pane, the focused one bright and
// framed; drawn into the frame, so recordings show which side is which. Returns the height each
// label takes at the top of its pane (the pane's overlays go below it).
std::array<float, 2> Shell::drawPaneLabels(const Snapshot* a, const Snapshot* b) {
  std::array<float, 2> heights{0.f, 0.f};
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  ImFont* font = ImGui::GetFont();
  const bool greek = font->FindGlyphNoFallback(0x03C7) != nullptr;
  const float size = ImGui::GetFontSize();
  for (int side = 0; side < 2; ++side) {
    const Snapshot* f = side == 0 ? a : b;
    const auto pr = paneRect(side);
    const bool focused = focus_ == side || send_both_;
    const ImU32 frame_colour = focused ? IM_COL32(120, 190, 255, 200) : IM_COL32(120, 120, 130, 120);
    dl->AddRect(ImVec2(pr[0], pr[1]), ImVec2(pr[2], pr[3]), frame_colour, 0.f, 0, focused ? 2.f : 1.f);
    if (!f) continue;
    const double h = f->bandwidth > 0 ? f->bandwidth : f->params.bandwidth.h;
    const std::string text = std::string(side == 0 ? "A" : "B") + (focused ? " (focus)" : "") + "  " +
                             render::presenterCaption(f->params.kernel.kind, h, f->params.weights, f->step, f->time,
                                                      greek);
    const ImVec2 at(pr[0] + 8.f, pr[1] + 6.f);
    const ImVec2 ts = font->CalcTextSizeA(size, pr[2] - pr[0] - 16.f, pr[2] - pr[0] - 16.f, text.c_str());
    heights[static_cast<std::size_t>(side)] = ts.y + 12.f;
    dl->AddRectFilled(ImVec2(at.x - 4.f, at.y - 2.f), ImVec2(at.x + ts.x + 4.f, at.y + ts.y + 2.f),
                      IM_COL32(20, 22, 28, 200), 3.f);
    dl->AddText(font, size, at, focused ? IM_COL32(235, 240, 255, 255) : IM_COL32(170, 175, 185, 255), text.c_str(),
                nullptr, pr[2] - pr[0] - 16.f);
  }
  return heights;
}

// both panes into the bound framebuffer (fb_width x fb_height pixels), each clipped to its half
void Shell::renderPanes(int fb_width, int fb_height, const render::SceneOverlay& overlay) {
  const float px_per_logical = dpi_scale_;
  for (int side = 0; side < 2; ++side) {
    render::Scene& scene = side == 0 ? scene_ : scene_b_;
    const auto pr = paneRect(side);
    const int x = static_cast<int>(pr[0] * px_per_logical);
    const int w = std::max(1, static_cast<int>((pr[2] - pr[0]) * px_per_logical));
    gl::restrictToColumns(x, w, fb_height);
    if (scene.sphereMode()) {
      OrbitCamera o = orbit_;
      o.setViewport(pr[2] - pr[0], cam_.viewportHeight());
      o.setViewportLeft(pr[0]);
      o.frameInto(0.f, pr[1], pr[2] - pr[0], pr[3]);
      scene.drawSphere(o, ui_.view, dpi_scale_);
    } else {
      // the cursor marks (bandwidth circle, brush, probe) belong to the pane under the cursor
      render::SceneOverlay so = side == input_pane_ ? overlay : render::SceneOverlay{};
      scene.draw(paneCamera(side), ui_.view, dpi_scale_, so);
    }
  }
  gl::unrestrict(fb_width, fb_height);
}

}  // namespace driftlab::app
