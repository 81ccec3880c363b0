// Helpers shared by driftlab-cli's commands: strict number parsing with one-line errors, output
// that is written completely or not at all, and aligned name/description listings.
// Main thread only (the CLI is single-threaded apart from the engine's own pool).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "driftlab/base/types.hpp"
#include "driftlab/kde/kernel.hpp"  // NamedDescription

namespace driftlab::cli {

// the whole text must be a number; throws InvalidArgument "<option>: not a number: 'abc'"
double parseDouble(const std::string& option, const std::string& text);
// an integer in [lo, hi] (1e3 is accepted as 1000); throws naming the option and the value
long long parseInteger(const std::string& option, const std::string& text, long long lo, long long hi);
// a point count: 1 .. kMaxPoints, bigger values "cannot fit"
int parsePointCount(const std::string& option, const std::string& text);
std::uint64_t parseSeed(const std::string& option, const std::string& text);

// writes text to path completely or not at all (driftlab/io/output_file.hpp); path "" or "-"
// writes to stdout. Throws InvalidArgument naming the path on any failed write.
void writeOutput(const std::string& path, const std::string& text);
// the same for a point set: .npy (float64) when path ends in .npy, else CSV (header + %.17g rows;
// stdout is always CSV), written in chunks so that a large one
// (generate --n 5e7) never needs its whole text in memory; `progress` as for writeCsvPoints
void writePointsOutput(const std::string& path, const Points& pts, const std::vector<std::string>& names,
                       const std::function<void(long long done, long long total)>& progress = {});
// refuses an output path that cannot be written ("" and "-" are stdout), before the work starts
void checkOutputOption(const char* option, const std::string& path);
// at exit: stdout flushed and without an error, else InvalidArgument ("driftlab-cli sample > /dev/full")
void checkStdout();

// "name  description" lines, names padded to one column
std::string formatCatalog(const std::vector<NamedDescription>& entries);

}  // namespace driftlab::cli
