// The headless loop: a hidden window and a fixed-size FBO, each frame advancing the engine by an
// exact number of steps and waiting for the snapshot of that state (the only place where the
// render thread waits for the engine), then rendering, capturing and running script events.
// Main thread only.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <thread>

#include "capture/screenshot.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/base/progress_text.hpp"
#include "shell.hpp"

namespace driftlab::app {

namespace {

// "driftlab: frame 120/300  11 frames/s  ETA 16s" on stderr, only when stderr is a terminal,
// redrawn at most ~5 times a second; cleared before the loop's other stderr lines. Main thread only.
class FrameProgress {
 public:
  explicit FrameProgress(long total) : on_(total > 0 && ::isatty(STDERR_FILENO) == 1), total_(total) {}
  ~FrameProgress() { clear(); }
  void update(long done) {
    if (!on_) return;
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (!progressRedrawDue(t, shown_ == 0 ? -1.0 : last_)) return;
    last_ = t;
    std::fputs(progressOverwrite(progressLine("driftlab", "frame", done, total_, t), shown_).c_str(), stderr);
  }
  void clear() {
    if (shown_ > 0) std::fputs(progressOverwrite("", shown_).c_str(), stderr);
  }

 private:
  bool on_;
  long total_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double last_ = -1.0;
  std::size_t shown_ = 0;
};

}  // namespace

// Headless frames are deterministic: each frame advances exactly its steps, and its grid fields
// (quiver, heat map) are computed at the state after those steps. The worker refreshes grids at
// once after a SetView, so the shell sends one whose rectangle is nudged by one float ULP on odd
// frames: the snapshot carrying that exact rectangle is the fresh one. With one step per frame the
// SetView travels in the same batch as the StepOnce (the worker applies commands, then steps, then
// refreshes the grids: one grid evaluation per frame); with several steps it is sent after the
// last step is done. Waiting is allowed here only: headless capture, never the interactive loop.
std::array<float, 4> Shell::sendNudgedView(long frame_index) {
  auto r = gridRect();
  if (frame_index % 2 == 1) r[2] = std::nextafter(r[2], std::numeric_limits<float>::infinity());
  sendToAll(cmd::SetView{r[0], r[1], r[2], r[3], std::clamp(ui_.view.quiver_n, 2, 256),
                         std::clamp(ui_.view.density_n, 2, 512)});
  return r;
}

void Shell::waitForSteps(RunWorker& worker, std::uint64_t steps_target, long frame_index) {
  using namespace std::chrono_literals;
  auto deadline = Clock::now() + 60s;
  // a rolled-back step or an engine failure consumes a step without counting it; both publish a
  // warning or an error and leave the worker idle: stop waiting once that is seen and nothing moves
  auto signature = [](const Snapshot* s) {
    return s ? s->error + "|" + (s->warnings.empty() ? std::string() : s->warnings.back()) + "|" +
                   std::to_string(s->warnings.size())
             : std::string();
  };
  const std::string sig_before = signature(worker.latest().get());
  std::uint64_t last_done = worker.stepsDone();
  auto last_progress = Clock::now();
  while (worker.stepsDone() < steps_target && Clock::now() < deadline) {
    std::this_thread::sleep_for(100us);
    std::uint64_t done = worker.stepsDone();
    if (done != last_done) {
      last_done = done;
      last_progress = Clock::now();
    }
    if (signature(worker.latest().get()) != sig_before && Clock::now() - last_progress > 300ms) break;
  }
  if (worker.stepsDone() < steps_target)
    std::fprintf(stderr, "driftlab: warning: frame %ld: the engine did not finish its steps (rolled back?)\n",
                 frame_index);
}

std::shared_ptr<const Snapshot> Shell::waitForView(const RunWorker& worker, const std::array<float, 4>& r,
                                                   std::uint64_t after_id, long frame_index) {
  using namespace std::chrono_literals;
  auto deadline = Clock::now() + 60s;
  while (Clock::now() < deadline) {
    auto s = worker.latest();
    if (s && s->snapshot_id > after_id) {
      // not a 2-D run (no grids, or the sphere's, which do not follow the view rectangle): nothing
      // better will come
      if (s->particles.rows() != 2) return s;
      bool has_grid = !s->velocity.empty();
      if (has_grid && s->velocity.x0 == r[0] && s->velocity.x1 == r[2] && s->velocity.y1 == r[3]) return s;
      // no grids at all (the engine failed): nothing better will come
      if (!has_grid && !s->error.empty()) return s;
    }
    std::this_thread::sleep_for(100us);
  }
  std::fprintf(stderr, "driftlab: warning: frame %ld: no fresh snapshot within 60 s\n", frame_index);
  return worker.latest();
}

bool Shell::runScriptEvents(long f, bool& paused, bool& quit, std::vector<std::string>& shots, int& extra_steps) {
  while (script_pos_ < script_.size() && script_[script_pos_].frame <= f) {
    const ScriptEvent& ev = script_[script_pos_++];
    try {
      runCommand(ev.verb, ev.arg, "script line " + std::to_string(ev.line), CommandEffects{&paused, &quit, &shots, &extra_steps});
    } catch (const std::exception& e) {
      std::fprintf(stderr, "driftlab: script line %d: %s\n", ev.line, e.what());
      return false;
    }
  }
  return true;
}

int Shell::headlessLoop() {
  using namespace std::chrono_literals;
  target_w_ = opt_.width;
  target_h_ = opt_.height;
  dpi_scale_ = 1.f;
  cam_.setViewport(static_cast<float>(target_w_), static_cast<float>(target_h_));
  // the worker starts paused; every frame advances exactly steps_per_frame steps
  if (!startInitialRun(true)) return 2;
  if (pending_lesson_) {
    adoptLesson(std::move(*pending_lesson_));
    pending_lesson_.reset();
  }
  // --lesson without --frames: until one second after its last beat (at most 20 minutes of video)
  const bool until_lesson_ends = opt_.frames < 1 && lesson_ != nullptr;
  const long max_frames = until_lesson_ends ? 20L * 60 * opt_.fps : opt_.frames;
  long lesson_tail = opt_.fps;
  // two layout passes (auto-sized panels settle in the second) so the first frame is already fitted
  auto first = worker_->latest();
  for (int pass = 0; pass < 2; ++pass) {
    need_fit_ = true;
    buildFrame(first, false);
  }
  if (!opt_.record.empty()) {
    bool known = false;
    auto fmt = capture::Recorder::formatForPath(opt_.record, &known);
    std::string err = known ? recorder_.start(opt_.record, fmt, target_w_, target_h_, opt_.fps)
                            : "record " + opt_.record + ": expected a .mp4 or .gif file name";
    if (!err.empty()) {
      std::fprintf(stderr, "driftlab: %s\n", err.c_str());
      return 2;
    }
  }
  capture::Recorder png_seq;
  if (!opt_.png_dir.empty()) {
    std::string err = png_seq.start(opt_.png_dir, capture::Recorder::Format::PngSequence, target_w_, target_h_);
    if (!err.empty()) {
      std::fprintf(stderr, "driftlab: %s\n", err.c_str());
      return 2;
    }
  }
  bool paused = false, quit = false;
  double wait_s = 0;  // time spent waiting for the engine (steps + grid fields)
  auto t0 = Clock::now();
  long f = 0;
  FrameProgress progress(until_lesson_ends ? 0 : opt_.frames);
  for (; f < max_frames && !quit; ++f) {
    if (until_lesson_ends && lesson_->finished() && lesson_tail-- <= 0) break;
    // --view compare=on: the last two frames show the comparison's result (a table sizes its
    // columns in its first frame), so they wait for it (a background job of the UI, not an engine
    // step; at most 10 minutes)
    if (f + std::min(2L, opt_.frames) == opt_.frames && ui_.comparison) {
      const auto deadline = Clock::now() + std::chrono::minutes(10);
      while (!ui::comparisonDone(ui_) && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::vector<std::string> shots;
    auto before = worker_->latest();
    std::uint64_t before_id = before ? before->snapshot_id : 0;
    std::uint64_t target = worker_->stepsDone();
    int extra_steps = 0;
    const RunWorker* worker_before = worker_.get();
    const RunWorker* worker_b_before = worker_b_.get();
    auto before_b = worker_b_ ? worker_b_->latest() : nullptr;
    std::uint64_t before_b_id = before_b ? before_b->snapshot_id : 0;
    std::uint64_t target_b = worker_b_ ? worker_b_->stepsDone() : 0;
    if (script_pos_ < script_.size() && script_[script_pos_].frame <= f) progress.clear();  // they may print
    if (lesson_)
      stepLesson(static_cast<double>(f - lesson_frame0_) / opt_.fps, CommandEffects{&paused, &quit, &shots, &extra_steps});
    if (!runScriptEvents(f, paused, quit, shots, extra_steps)) return 2;
    if (worker_.get() != worker_before) {
      // a script `load` swapped in a new run (paused, at step 0), or `close A` made B the run:
      // count from its current steps and snapshots
      before_id = 0;
      target = worker_->stepsDone();
      extra_steps = 0;
    }
    if (worker_b_ && worker_b_.get() != worker_b_before) {
      // a script `fork` made side B now (paused, at A's step): its steps count from here
      before_b_id = 0;
      target_b = worker_b_->stepsDone();
    }
    // --record-from-reset: frame 0 is the initial state, frame k the state after k frames' steps
    const bool shows_start = opt_.record_from_reset && f == 0;
    const int frame_steps = paused || shows_start ? 0 : opt_.steps_per_frame;
    int steps = extra_steps + frame_steps;
    if (need_fit_) fitView();
    auto w0 = Clock::now();
    for (int k = 0; k < frame_steps; ++k) sendToAll(cmd::StepOnce{});
    target += static_cast<std::uint64_t>(steps);
    target_b += static_cast<std::uint64_t>(steps);
    std::array<float, 4> rect{};
    auto waitSteps = [&] {
      waitForSteps(*worker_, target, f);
      if (worker_b_) waitForSteps(*worker_b_, target_b, f);
    };
    if (steps <= 1) {
      rect = sendNudgedView(f);  // same batch as the step: grids follow the step
      waitSteps();
    } else {
      waitSteps();
      rect = sendNudgedView(f);
    }
    auto frame = waitForView(*worker_, rect, before_id, f);
    frame_b_ = worker_b_ ? waitForView(*worker_b_, rect, before_b_id, f) : nullptr;
    wait_s += std::chrono::duration<double>(Clock::now() - w0).count();
    glfwPollEvents();
    // the worker is paused between frames only because the shell drives it step by step: show
    // the run as running, at the rate of this capture (panels and recordings read these fields)
    double elapsed = std::chrono::duration<double>(Clock::now() - t0).count();
    status_.ui_fps = elapsed > 0 ? static_cast<float>(static_cast<double>(f + 1) / elapsed) : 0.f;
    auto showRunning = [&](std::shared_ptr<const Snapshot>& shown_frame) {
      if (!shown_frame || paused || !shown_frame->paused) return;
      auto shown = std::make_shared<Snapshot>(*shown_frame);
      shown->paused = false;
      shown->steps_per_second = elapsed > 0 ? static_cast<double>(shown_frame->step) / elapsed : 0.0;
      shown_frame = shown;
    };
    showRunning(frame);
    showRunning(frame_b_);
    buildFrame(frame, false);
    renderFrame(frame);
    if (!shots.empty() || recorder_.active() || png_seq.active() || ((f + 1 == opt_.frames || until_lesson_ends) && !opt_.screenshot.empty()))
      target_.readPixels(pixels_);
    if (recorder_.active()) {
      std::string err = recorder_.addFrame(pixels_);
      if (!err.empty()) {
        progress.clear();
        std::fprintf(stderr, "driftlab: %s\n", err.c_str());
        return 1;
      }
    }
    if (png_seq.active()) {
      std::string err = png_seq.addFrame(pixels_);
      if (!err.empty()) {
        progress.clear();
        std::fprintf(stderr, "driftlab: %s\n", err.c_str());
        return 1;
      }
    }
    if (!shots.empty()) progress.clear();
    for (const auto& s : shots) {
      // a bare `screenshot`: the captures folder, as F12; a folder that cannot be made fails the run
      const std::string path = s.empty() ? capturePath(capture::CaptureKind::Picture, "png") : s;
      if (path.empty()) {
        std::fprintf(stderr, "driftlab: %s\n", status_.message.c_str());
        return 1;
      }
      screenshotTo(path);
      // a script's screenshot that cannot be written fails the run as --screenshot does: an exit
      // code of 0 would tell a recording script that its picture exists
      if (status_.message_is_error) return 1;
    }
    glfwSwapBuffers(window_);
    progress.update(f + 1);
  }
  progress.clear();
  // events the frames never reached are named, not dropped: a screenshot among them is lost work
  if (!quit && script_pos_ < script_.size()) {
    bool lost_output = false;
    for (std::size_t i = script_pos_; i < script_.size(); ++i) {
      const ScriptEvent& ev = script_[i];
      std::fprintf(stderr, "driftlab: script line %d: frame %ld is after the last frame (%ld): '%s' not run\n", ev.line,
                   ev.frame, f - 1, ev.verb.c_str());
      lost_output = lost_output || ev.verb == "screenshot";
    }
    if (lost_output) return 1;
  }
  // the last rendered frame is the screenshot
  if (!opt_.screenshot.empty()) {
    if (pixels_.empty()) target_.readPixels(pixels_);
    screenshotTo(opt_.screenshot);
    if (status_.message_is_error) return 1;
  }
  int rc = 0;
  for (capture::Recorder* r : {&recorder_, &png_seq}) {
    if (!r->active()) continue;
    bool ok = false;
    std::string msg = r->stop(&ok);
    std::fprintf(stderr, "driftlab: %s\n", msg.c_str());
    if (!ok) rc = 1;
  }
  double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  auto last = worker_->latest();
  std::fprintf(stderr, "driftlab: rendered %ld frames in %.2f s (%.1f fps; %.2f s waiting for the engine), engine step %ld, %s\n",
               f, secs, secs > 0 ? static_cast<double>(f) / secs : 0.0, wait_s, last ? last->step : 0L,
               gl::contextDescription().c_str());
  return rc;
}

}  // namespace driftlab::app
