#include "driftlab/base/error.hpp"

#include <cstdio>

#include "driftlab/base/text.hpp"

namespace driftlab::detail {

namespace {

// printable form of s: escapes, never a partial UTF-8 sequence
std::string escaped(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
      ++i;
    } else if (c == '\n') {
      out += "\\n";
      ++i;
    } else if (c == '\r') {
      out += "\\r";
      ++i;
    } else if (c == '\t') {
      out += "\\t";
      ++i;
    } else if (const std::size_t len = c >= 0x80 ? utf8SequenceLength(s, i) : 0; len > 0) {
      out.append(s, i, len);
      i += len;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
      ++i;
    }
  }
  return out;
}

// start of the UTF-8 character holding byte k (k itself when it is not a continuation byte)
std::size_t characterStart(const std::string& s, std::size_t k) {
  while (k > 0 && (static_cast<unsigned char>(s[k]) & 0xC0u) == 0x80u) --k;
  return k;
}

}  // namespace

std::string boundedLine(const std::string& text) {
  std::string line = escaped(text);
  if (line.size() <= kMaxErrorLength) return line;
  static constexpr char kCut[] = " ... ";
  const std::size_t keep = kMaxErrorLength - (sizeof kCut - 1);
  const std::size_t head = characterStart(line, keep * 2 / 3);  // the start names where and what
  std::size_t tail = line.size() - (keep - keep * 2 / 3);         // the end often says what was expected
  while (tail < line.size() && (static_cast<unsigned char>(line[tail]) & 0xC0u) == 0x80u) ++tail;
  return line.substr(0, head) + kCut + line.substr(tail);
}

void throwInvalidArgument(const std::string& msg) { throw InvalidArgument(msg); }

}  // namespace driftlab::detail
