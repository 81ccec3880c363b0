// Change-marker labels from the parameter table: each changed setting as "label old→new", values
// short and rounded ("h 0.1→0.05, kernel gaussian→laplacian"). Any thread (pure).
#include "flow/param_diff.hpp"

#include <string>

#include "flow/param_spec.hpp"

namespace driftlab::detail {

namespace {

std::string shortText(const Json& v) { return v.is_null() ? "-" : markerText(v); }

}  // namespace

std::string describeParamsChange(const FlowParams& a, const FlowParams& b) {
  Scenario before, after;
  before.params = a;
  after.params = b;
  std::string out;
  for (const auto& spec : flowParamSpecs()) {
    if (spec.mode == ParamMode::RunLevel) continue;
    const Json old_value = spec.write(before), new_value = spec.write(after);
    if (old_value == new_value) continue;
    out += (out.empty() ? "" : ", ") + std::string(spec.label) + " " + shortText(old_value) + "\u2192" +
           shortText(new_value);
  }
  return out;
}

bool sameParams(const FlowParams& a, const FlowParams& b) {
  Scenario sa, sb;
  sa.params = a;
  sb.params = b;
  for (const auto& spec : flowParamSpecs()) {
    if (spec.mode != ParamMode::RunLevel && spec.write(sa) != spec.write(sb)) return false;
  }
  return true;
}

}  // namespace driftlab::detail
