// Helpers shared by driftlab-cli's commands: strict number parsing with one-line errors, output
// that is written completely or not at all, and aligned name/description listings.
// Main thread only (the CLI is single-threaded apart from the engine's own pool).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "driftlab/kde/kernel.hpp"  // NamedDescription

namespace driftlab::cli {

// the whole text must be a number; throws InvalidArgument "<option>: not a number: 'abc'"
double parseDouble(const std::string& option, const std::string& text);
// an integer in [lo, hi] (1e3 is accepted as 1000); throws naming the option and the value
long long parseInteger(const std::string& option, const std::string& text, long long lo, long long hi);
// a point count: 1 .. kMaxPoints, bigger values "cannot fit"
int parsePointCount(const std::string& option, const std::string& text);
std::uint64_t parseSeed(const std::string& option, const std::string& text);

// writes text to path through a temporary file in the same directory and a rename, so a
// failure never leaves a partial file; path "" or "-" writes to stdout.
void writeOutput(const std::string& path, const std::string& text);

// "name  description" lines, names padded to one column
std::string formatCatalog(const std::vector<NamedDescription>& entries);

}  // namespace driftlab::cli
