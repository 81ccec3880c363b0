#include "driftlab/io/json_text.hpp"

#include "driftlab/base/error.hpp"

namespace driftlab {

void checkJsonNesting(std::string_view text, const std::string& source_name) {
  int depth = 0;
  long line = 1, column = 0;
  bool in_string = false, escaped = false;
  for (const char c : text) {
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
    }
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth)
        detail::throwInvalidArgument(source_name + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                                     " levels at line " + std::to_string(line) + ", column " + std::to_string(column));
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;  // unbalanced closers are the parser's to report
    }
  }
}

}  // namespace driftlab
