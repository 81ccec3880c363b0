// Error reporting for the engine: typed exceptions and a check macro (STYLE.md L8).
// Programmer and input errors throw driftlab::InvalidArgument with one clear line;
// numerical events are reported as data (StepReport / Snapshot), never thrown.
#pragma once

#include <stdexcept>
#include <string>

namespace driftlab {

// one clear line naming what was wrong, e.g. "bandwidth: must be > 0 (got -1)"
class InvalidArgument : public std::invalid_argument {
 public:
  explicit InvalidArgument(const std::string& what) : std::invalid_argument(what) {}
};

namespace detail {
[[noreturn]] [[gnu::cold]] [[gnu::noinline]] void throwInvalidArgument(const std::string& msg);
}  // namespace detail

}  // namespace driftlab

// always-on check at public API boundaries; msg is a std::string expression
#define DRIFTLAB_CHECK(cond, msg)                          \
  do {                                                     \
    if (!(cond)) ::driftlab::detail::throwInvalidArgument(msg); \
  } while (0)
