// Error reporting for the engine: typed exceptions and a check macro (STYLE.md L8).
// Programmer and input errors throw driftlab::InvalidArgument with one clear line;
// numerical events are reported as data (StepReport / Snapshot), never thrown.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace driftlab {

namespace detail {
// `text` as one printable line of at most kMaxErrorLength bytes: control characters and bytes that
// are not valid UTF-8 become \n, \r, \t or \xHH, and an over-long line keeps its start and end
// around " ... " (a message may quote a user's value, which can be a megabyte long or hold
// newlines). Valid UTF-8 is kept as it is. Any thread.
std::string boundedLine(const std::string& text);
inline constexpr std::size_t kMaxErrorLength = 600;
}  // namespace detail

// one clear line naming what was wrong, e.g. "bandwidth: must be > 0 (got -1)"; whatever the text
// holds, what() is one bounded line (detail::boundedLine)
class InvalidArgument : public std::invalid_argument {
 public:
  explicit InvalidArgument(const std::string& what) : std::invalid_argument(detail::boundedLine(what)) {}
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
