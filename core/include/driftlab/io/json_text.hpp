// Checks on the raw text of a JSON file, made before any document is built:
// - nesting: a parser (and later the code that prints or destroys the document) recurses once per
//   level, so a file of 100 000 opening brackets would overflow the stack. No JSON file driftlab
//   reads (scenarios, generator scenarios, model files) nests deeper than 6 levels.
// - duplicate keys: JSON parsers keep the last of two equal keys silently, so a file whose first
//   "steps" is a typo-free 500 and whose second is 5 would run 5 steps without a word. Keys are
//   compared as written (an escaped spelling of the same key is not caught; driftlab never writes
//   escapes in keys).
// Pure; any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace driftlab {

inline constexpr int kMaxJsonDepth = 64;

// throws InvalidArgument, one line naming the source, line and column:
//   "<source>: JSON nested deeper than 64 levels at line L, column C"
//   "<source>: duplicate key \"steps\" at line L, column C"
// Malformed JSON is left to the parser to report.
void checkJsonText(std::string_view text, const std::string& source_name);

// A scenario (flow or generator) is a few kilobytes; a larger file is refused before it is parsed.
inline constexpr std::size_t kMaxScenarioBytes = std::size_t(16) << 20;

// The whole text of a file, read in blocks and refused as soon as it passes max_bytes (so a huge
// file or an endless device costs max_bytes, not its size). Throws InvalidArgument, one line:
//   "<path>: cannot open <what> (No such file or directory)"
//   "<path>: <what> larger than the 16 MiB limit"
std::string readTextFile(const std::string& path, const char* what, std::size_t max_bytes);

}  // namespace driftlab
