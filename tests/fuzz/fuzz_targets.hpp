// The parsers driftlab exposes to files and command lines, as fuzz targets: each takes arbitrary
// bytes and must either accept them or reject them with one InvalidArgument line. Anything else —
// another exception type, a multi-line or huge message, an accepted value that cannot be written
// and read back, and of course a crash or a sanitizer report — is a defect the driver reports.
// Any thread (each call is independent).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace driftlab::fuzz {

// the longest error line a parser may produce: values are cut, never echoed whole
inline constexpr std::size_t kMaxMessageLength = 1000;

enum class Verdict { Accepted, Rejected };

struct Target {
  std::string name;                                  // "csv", "scenario", ...
  std::function<Verdict(std::string_view)> run;      // throws FuzzDefect on a defect
  std::function<std::vector<std::string>()> seeds;   // valid inputs to mutate from
};

// a defect found by a target (not a rejection): the driver saves the input and fails
struct FuzzDefect {
  std::string what;
};

const std::vector<Target>& targets();

// inputs that crashed or hung earlier versions (deep nesting, huge lists, odd encodings), built in
// code so that the repository does not carry megabytes of brackets; each names its target
struct HostileInput {
  std::string target;
  std::string label;
  std::string bytes;
};
std::vector<HostileInput> hostileInputs();

}  // namespace driftlab::fuzz
