// The (?) tooltip texts of every control in the panels: what it means, its usual range and what
// to watch (UX.md lesson 13). Engine settings take their text from the core parameter table
// (keys as in --set) and divergence weights ("weights.NAME") from the divergence table; the
// controls only the app has are listed here. GUI-free, so a unit test can check that every key
// the panels use has a text. Any thread.
#pragma once

#include <span>
#include <string_view>

namespace driftlab::app::ui {

struct ParamHelp {
  const char* key;   // e.g. "view.arrow_mode", "plots.layout"
  const char* text;  // several sentences; wrapped by the tooltip
};

// the app-only texts
std::span<const ParamHelp> paramHelpTable();
// the text for key (app table, then "weights.NAME", then the parameter table), or nullptr
const char* paramHelp(std::string_view key);

}  // namespace driftlab::app::ui
