// Internal helpers shared by flow_params.cpp, scenario.cpp, presets.cpp and settings.cpp:
// number formatting for error messages and name lists. Not a public header. Any thread.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "driftlab/flow/datasets.hpp"  // kMaxPoints
#include "driftlab/base/error.hpp"
#include "driftlab/kde/kernel.hpp"    // NamedDescription

namespace driftlab::detail {

// shortest of %.15g / %.17g that reads back to the same double ("0.1", not "0.10000000000000001";
// "nan", "inf", "-1")
inline std::string formatNumber(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  if (std::strtod(buf, nullptr) != v) std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

inline std::string joinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

inline std::string joinNames(const std::vector<NamedDescription>& catalog) {
  std::vector<std::string> names;
  for (const auto& e : catalog) names.push_back(e.name);
  return joinNames(names);
}

// point counts (particles, samples): 1 .. kMaxPoints; larger ones are refused before allocating
inline void checkPointCount(const std::string& field, long long v) {
  if (v < 1) {
    throwInvalidArgument(field + ": must be between 1 and " + std::to_string(kMaxPoints) + " (got " +
                         std::to_string(v) + ")");
  }
  if (v > kMaxPoints) {
    throwInvalidArgument(field + ": " + std::to_string(v) + " points cannot fit: must be between 1 and " +
                         std::to_string(kMaxPoints));
  }
}

}  // namespace driftlab::detail
