// The (?) tooltip texts of every control in the panels: what it means, its usual range and what
// to watch (UX.md lesson 13). One table, GUI-free, so a unit test can check that every key the
// panels use has a text. Any thread.
#pragma once

#include <span>
#include <string_view>

namespace driftlab::app::ui {

struct ParamHelp {
  const char* key;   // e.g. "bandwidth.h", "weights.chi2", "view.arrow_mode"
  const char* text;  // several sentences; wrapped by the tooltip
};

std::span<const ParamHelp> paramHelpTable();
// the text for key, or nullptr when the key has none
const char* paramHelp(std::string_view key);

}  // namespace driftlab::app::ui
