// Internal: the template parts of param_spec.hpp. Any thread.
#pragma once

#include <cmath>
#include <cstdio>

#include "flow/param_text.hpp"

namespace driftlab::detail {

// the names of the first `Count` values of an enum
template <typename Enum, int Count, const char* (*NameOf)(Enum)>
std::vector<std::string> choiceNames() {
  std::vector<std::string> names;
  for (int i = 0; i < Count; ++i) names.emplace_back(NameOf(static_cast<Enum>(i)));
  return names;
}

template <typename Enum, int Count, const char* (*NameOf)(Enum)>
Enum readChoice(const Json& v, const std::string& field) {
  const std::string text = readString(v, field);
  for (int i = 0; i < Count; ++i) {
    if (text == NameOf(static_cast<Enum>(i))) return static_cast<Enum>(i);
  }
  failField(field, "unknown '" + text + "' (expected one of " + joinNames(choiceNames<Enum, Count, NameOf>()) + ")");
}


template <typename Target>
void checkRange(const ParamSpec<Target>& spec, double v) {
  const std::string got = " (got " + formatNumber(v) + ")";
  switch (spec.range) {
    case Range::Any: return;
    case Range::Finite:
      if (!std::isfinite(v)) failField(spec.json_path, "must be finite" + got);
      return;
    case Range::Positive:
      if (!(v > 0.0) || !std::isfinite(v)) failField(spec.json_path, "must be > 0 and finite" + got);
      return;
    case Range::NonNegative:
      if (!(v >= 0.0) || !std::isfinite(v)) failField(spec.json_path, "must be >= 0 and finite" + got);
      return;
    case Range::Between:
      if (!(v >= spec.lo && v <= spec.hi)) {
        failField(spec.json_path, "must be between " + formatNumber(spec.lo) + " and " + formatNumber(spec.hi) + got);
      }
      return;
  }
}

template <typename Target>
std::string rangeText(const ParamSpec<Target>& spec) {
  switch (spec.range) {
    case Range::Any: return "";
    case Range::Finite: return "finite";
    case Range::Positive: return "> 0";
    case Range::NonNegative: return ">= 0";
    case Range::Between: return formatNumber(spec.lo) + " .. " + formatNumber(spec.hi);
  }
  return "";
}

template <typename Target>
ParamInfo describeParam(const ParamSpec<Target>& spec, const Target& defaults) {
  ParamInfo info;
  info.key = spec.key;
  info.json_path = spec.json_path;
  info.type = spec.type;
  if (spec.choices) {
    std::string bar;
    for (const auto& c : spec.choices()) bar += (bar.empty() ? "" : "|") + c;
    info.type = bar;
  }
  info.range = rangeText(spec);
  const Json d = spec.write(defaults);
  info.default_value = d.is_null() ? "" : markerText(d);
  info.unit = spec.unit;
  info.label = spec.label;
  info.help = spec.help;
  info.live = spec.live;
  info.mode = spec.mode;
  return info;
}

}  // namespace driftlab::detail
