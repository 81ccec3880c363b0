// Tests of app/ui/param_help.cpp: every (?) text exists once, says something substantial, and
// the options THEORY.md marks as choices cite it. (That every drawn control has a text is checked
// by the headless smoke test through missingHelpKeys().)
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "../param_help.hpp"
#include "driftlab/field/divergence.hpp"
#include "driftlab/flow/param_table.hpp"

using namespace driftlab::app::ui;

TEST_CASE("help keys are unique and every text is a few sentences long") {
  std::set<std::string> keys;
  for (const auto& h : paramHelpTable()) {
    CHECK_MESSAGE(keys.insert(h.key).second, "duplicate help key " << std::string(h.key));
    CHECK_MESSAGE(std::string(h.text).size() >= 40, "help text too short for " << std::string(h.key));
  }
  CHECK(keys.size() >= 30);
  CHECK(paramHelp("no-such-control") == nullptr);
}

TEST_CASE("every divergence of the engine has a weight help text") {
  for (int i = 0; i < driftlab::kNumDivergences; ++i) {
    const std::string key = std::string("weights.") + driftlab::divergenceName(static_cast<driftlab::Divergence>(i));
    CHECK_MESSAGE(paramHelp(key) != nullptr, "no help for " << key);
  }
}

TEST_CASE("choices that THEORY.md marks as open cite their section") {
  // the chi2 normalization is an option because THEORY.md §14 marks the paper's constant unverified
  CHECK(std::string(paramHelp("chi2")).find("THEORY.md §14") != std::string::npos);
  CHECK(std::string(paramHelp("velocity")).find("THEORY.md §5.4") != std::string::npos);
  CHECK(std::string(paramHelp("bandwidth.rate")).find("THEORY.md §3.4") != std::string::npos);
  CHECK(std::string(paramHelp("weights.mixed")).find("THEORY.md §5.5") != std::string::npos);
}

TEST_CASE("an engine setting's tooltip is its parameter-table help, a weight's its divergence-table help") {
  for (const char* key : {"bandwidth.h", "path", "ratio_min", "displacement_cap", "dataset"}) {
    const driftlab::ParamInfo* info = driftlab::findFlowParamInfo(key);
    REQUIRE_MESSAGE(info != nullptr, key);
    CHECK(std::string(paramHelp(key)) == info->help);
  }
  CHECK(std::string(paramHelp("weights.chi2")) == driftlab::divergenceInfo(driftlab::Divergence::Chi2).help);
  for (const auto& h : paramHelpTable())
    CHECK_MESSAGE(driftlab::findFlowParamInfo(h.key) == nullptr, "app table repeats engine key " << h.key);
}
