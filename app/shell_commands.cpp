// The commands of scripts and lessons (script.hpp, lesson.hpp) carried out in the shell: one verb
// and its argument at a time, already checked by the parser. Main thread only; only `fork` in
// headless capture waits for the engine (requestFork), as a script's capture may.
#include <cstdio>
#include <string>
#include <utility>

#include "driftlab/base/error.hpp"
#include "driftlab/generator/generator.hpp"
#include "shell.hpp"

namespace driftlab::app {

void Shell::runCommand(const std::string& verb, const std::string& arg, const std::string& where, CommandEffects fx) {
  if (verb == "set") sendToFocused(cmd::SetParam{arg});
  else if (verb == "view") applyViewSetting(ui_.view, ui_.show_panels, arg);
  else if (verb == "pause") {
    if (fx.paused) *fx.paused = true;
    else sendToAll(cmd::Pause{});
  }
  else if (verb == "resume") {
    if (fx.paused) *fx.paused = false;
    else sendToAll(cmd::Resume{});
  }
  else if (verb == "reset") sendToAll(cmd::Reset{});
  else if (verb == "step") {
    if (!fx.paused) sendToAll(cmd::Pause{});  // the window: a single step leaves the run paused
    sendToAll(cmd::StepOnce{});
    if (fx.extra_steps) ++*fx.extra_steps;
  }
  else if (verb == "newseed") sendToAll(cmd::NewSeed{std::stoull(arg)});
  else if (verb == "fork") {
    // headless capture waits for the answer (the only wait on the engine outside a step); the
    // window adopts it on a later frame
    requestFork(/*wait=*/fx.paused != nullptr);
    if (fx.paused != nullptr && !split()) throw InvalidArgument(status_.message);
    if (fx.paused != nullptr) std::fprintf(stderr, "driftlab: %s: %s\n", where.c_str(), status_.message.c_str());
  }
  else if (verb == "focus") {
    if (!split()) throw InvalidArgument("focus: there is no fork (a fork line comes first)");
    setFocus(arg == "B" ? 1 : 0);
  }
  else if (verb == "both") {
    if (!split()) throw InvalidArgument("both: there is no fork (a fork line comes first)");
    send_both_ = arg == "on";
  }
  else if (verb == "close") {
    if (!split()) throw InvalidArgument("close: there is no fork (a fork line comes first)");
    closeSide(arg == "B" ? 1 : 0);
  }
  else if (verb == "seek") {
    // both sides to that step of their timelines; the capture holds there until `resume`
    seekAll(std::stol(arg));
    if (fx.paused) *fx.paused = true;
  }
  else if (verb == "branch") sendToFocused(cmd::Branch{});
  else if (verb == "discard") sendToAll(cmd::DiscardBranches{});
  else if (verb == "fit") need_fit_ = true;
  else if (verb == "screenshot") {
    if (fx.shots) fx.shots->push_back(arg);
    else screenshot_requested_ = true;
  }
  else if (verb == "quit") {
    if (fx.quit) *fx.quit = true;
  }
  else if (verb == "preset") {
    // lessons: a particle or generator preset by name, as the Run panel's lists load them
    if (isGeneratorPresetName(arg)) loadGeneratorPreset(arg);
    else loadPreset(arg);
    if (status_.message_is_error) throw InvalidArgument(status_.message);
  }
  else if (verb == "export") {
    // as Export in the window: the file is written, or the message says why not
    exportPointsFile(arg);
    std::fprintf(stderr, "driftlab: %s: %s\n", where.c_str(), status_.message.c_str());
  }
  else if (verb == "load") {
    // as Load in the window: a file that fails to load is reported and the current run goes on;
    // the message line's text goes to stderr too, as screenshots' do
    loadScenarioFile(arg);
    std::fprintf(stderr, "driftlab: %s: %s\n", where.c_str(), status_.message.c_str());
  }
  else if (verb == "drag") {
    // as a left drag with the probe tool: rotates the sphere view, pans the plane
    float dx = 0, dy = 0;
    parseClick(arg, dx, dy);
    if (scene_.sphereMode()) orbit_.rotate(dx, dy);
    else cam_.pan(dx, dy);
  }
  else if (verb == "click") {
    float x = 0, y = 0;
    parseClick(arg, x, y);
    // in the split view the click lands in the focused side's pane
    const int side = split() ? focus_ : 0;
    input_pane_ = side;  // its probe read-out and marks are drawn in that pane
    auto latest = (side == 1 ? *worker_b_ : *worker_).latest();
    RunWorker* target = side == 1 ? worker_b_.get() : worker_.get();
    const Camera cam = split() ? paneCamera(side) : cam_;
    clickAt(canvas_, cam, side == 1 ? scene_b_ : scene_, ui_.view, latest.get(), {x, y},
            [target](Command c) { target->send(std::move(c)); });
  }
}

}  // namespace driftlab::app
