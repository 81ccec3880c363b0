// Timed script commands for reproducible demos (`driftlab --script F`). One command per line:
//   <frame> set KEY=VALUE        parameter change (scenario.hpp keys), e.g. "60 set kernel=laplacian"
//   <frame> view KEY=VALUE       view option, e.g. "30 view heat=logratio" (see applyViewSetting)
//   <frame> pause | resume | reset | step | fit | quit
//   <frame> newseed SEED
//   <frame> screenshot [PATH]    PATH, or without one a time-stamped PNG in the captures folder
//   <frame> click X Y            a left click at world (X, Y) with the current tool (view tool=...)
//   <frame> drag DX DY           a mouse drag by (DX, DY) screen pixels: pans the 2-D view, rotates
//                                the 3-D sphere view
//   <frame> load PATH            load a flow or generator scenario file, as Load in the window: a
//                                file that fails to load is reported and the current run goes on
//   <frame> export PATH          write the particles (generator mode: samples) to PATH, .npy or CSV
//                                by the extension, as Export in the window
//   <frame> fork                 A/B: the run splits into A and B side by side (Fork in the window);
//                                B gets the focus
//   <frame> focus A|B            later set, step, click, branch lines go to that side
//   <frame> both on|off          set lines go to both sides (on) or the focused one (off)
//   <frame> close A|B            closes that side: the other one runs on alone
//   <frame> seek STEP            both sides back (or forward) to STEP of their timelines, paused
//                                until the next resume; a set line then branches from there
//   <frame> branch               the focused side's recorded future becomes a faded branch
//   <frame> discard              forget the faded branches of the plots
//   # comment, blank lines ignored
// Frames count rendered frames from 0. Parsing checks every line up front (including the values
// of `set` against the scenario) so a typo fails before anything runs; a `load` file is read
// only when its frame comes. GL-free; any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "driftlab/generator/generator.hpp"
#include "driftlab/flow/scenario.hpp"
#include "view_options.hpp"

namespace driftlab::app {

struct ScriptEvent {
  long frame = 0;
  int line = 0;        // 1-based line in the file, for messages
  std::string verb;    // set, view, pause, resume, reset, step, fit, quit, newseed, screenshot, click, drag, load,
                       // export, fork, focus, both, close, seek, branch, discard
  std::string arg;
};

// throws InvalidArgument "script F line N: <what>" for a bad line; events sorted by frame (stable)
std::vector<ScriptEvent> parseScript(std::string_view text, const std::string& source_name, const Scenario& start);
std::vector<ScriptEvent> loadScript(const std::string& path, const Scenario& start);
// generator mode: `set` lines are checked with applyGeneratorSetting (generator and flow keys)
std::vector<ScriptEvent> parseScript(std::string_view text, const std::string& source_name,
                                     const GeneratorScenario& start);
std::vector<ScriptEvent> loadScript(const std::string& path, const GeneratorScenario& start);

// s without leading and trailing spaces, tabs and carriage returns (script and lesson lines)
std::string trimBlanks(std::string_view s);

// "X Y" of a click command (or "DX DY" of a drag); false if it is not two finite numbers
bool parseClick(std::string_view arg, float& x, float& y);

// view settings shared by scripts and tests: heat=none|logp|logq|logratio|speed,
// arrows=normalized|true|log|proportional, split=total|attrep|terms, coloring=start|speed|mode|plain,
// tool=probe|pick|brush|erase|drag|blob,
// quiver|particle_arrows|trails|grid|particles|data|circle|panels|presenter|equations=on|off, arrow_scale=X,
// heat_opacity=X, trail_length=N, quiver_n=N, density_n=N, particle_size=X, data_size=X.
// Throws InvalidArgument naming the key or value.
void applyViewSetting(ViewOptions& view, bool& show_panels, std::string_view key_equals_value);

}  // namespace driftlab::app
