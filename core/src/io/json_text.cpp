#include "driftlab/io/json_text.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <set>
#include <string>
#include <vector>

#include "driftlab/base/error.hpp"

namespace driftlab {

namespace {

struct Container {
  bool is_object = false;
  bool expecting_key = false;  // objects: the next string is a key
  std::set<std::string_view> keys;
};

}  // namespace

void checkJsonText(std::string_view text, const std::string& source_name) {
  std::vector<Container> stack;
  long line = 1, column = 0;
  const auto where = [&] { return " at line " + std::to_string(line) + ", column " + std::to_string(column); };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
      continue;
    }
    if (c == '"') {
      // a string: find its end (escapes skipped), then see whether it is an object's key
      const long key_line = line, key_column = column;
      std::size_t end = i + 1;
      while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
      if (end >= text.size()) return;  // unterminated: the parser reports it
      const std::string_view body = text.substr(i + 1, end - i - 1);
      column += static_cast<long>(end - i);
      i = end;
      if (!stack.empty() && stack.back().is_object && stack.back().expecting_key) {
        stack.back().expecting_key = false;
        if (!stack.back().keys.insert(body).second) {
          line = key_line;
          column = key_column;
          detail::throwInvalidArgument(source_name + ": duplicate key \"" + std::string(body) + "\"" + where());
        }
      }
    } else if (c == '{' || c == '[') {
      if (static_cast<int>(stack.size()) >= kMaxJsonDepth)
        detail::throwInvalidArgument(source_name + ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                                     " levels" + where());
      stack.push_back(Container{c == '{', c == '{', {}});
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();  // unbalanced closers are the parser's to report
    } else if (c == ',' && !stack.empty() && stack.back().is_object) {
      stack.back().expecting_key = true;
    }
  }
}

std::string readTextFile(const std::string& path, const char* what, std::size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) detail::throwInvalidArgument(path + ": cannot open " + what + " (" + std::strerror(errno) + ")");
  std::string text;
  char buf[1 << 16];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, std::size_t(in.gcount()));
    if (text.size() > max_bytes)
      detail::throwInvalidArgument(path + ": " + what + " larger than the " + std::to_string(max_bytes >> 20) +
                                   " MiB limit");
  }
  if (in.bad()) detail::throwInvalidArgument(path + ": cannot read " + what);
  return text;
}

}  // namespace driftlab
