// Checks on the raw text of a JSON file, made before any document is built: a parser (and later
// the code that prints or destroys the document) recurses once per nesting level, so a file of
// 100 000 opening brackets would overflow the stack. No JSON file driftlab reads (scenarios,
// generator scenarios, model files) nests deeper than 6 levels. Pure; any thread.
#pragma once

#include <string>
#include <string_view>

namespace driftlab {

inline constexpr int kMaxJsonDepth = 64;

// throws InvalidArgument "<source>: JSON nested deeper than 64 levels at line L, column C" when
// arrays and objects nest deeper than kMaxJsonDepth (brackets inside strings do not count)
void checkJsonNesting(std::string_view text, const std::string& source_name);

}  // namespace driftlab
