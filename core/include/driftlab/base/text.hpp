// UTF-8 checks for text that crosses driftlab's boundary (settings, file names, scenario names):
// JSON files must hold valid UTF-8, so invalid text is refused where it enters, before any work,
// not when a file is written at the end of a run. Pure; any thread.
#pragma once

#include <cstddef>
#include <string_view>

namespace driftlab {

// length (2-4) of the valid multi-byte UTF-8 sequence starting at s[i], or 0 when there is none
// there (ASCII, a stray continuation byte, an overlong form, a surrogate, a code point above
// U+10FFFF, or a sequence cut short)
std::size_t utf8SequenceLength(std::string_view s, std::size_t i);

// every byte is ASCII or part of a valid multi-byte sequence
bool isValidUtf8(std::string_view s);

// s without leading and trailing spaces, tabs, carriage returns and newlines
std::string_view trimmedBlanks(std::string_view s);

}  // namespace driftlab
