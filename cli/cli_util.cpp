// Helpers shared by driftlab-cli's commands (cli_util.hpp). Main thread only.
#include "cli_util.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "driftlab/flow/datasets.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/io/csv.hpp"
#include "driftlab/io/output_file.hpp"
#include "driftlab/io/points_file.hpp"

namespace driftlab::cli {

namespace {

[[noreturn]] void fail(const std::string& option, const std::string& what) {
  throw InvalidArgument(option + ": " + what);
}

std::string quoted(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, 40)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  return "'" + out + (text.size() > 40 ? "...'" : "'");
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

double parseDouble(const std::string& option, const std::string& text) {
  const std::string t = trimmed(text);
  char* end = nullptr;
  const double v = t.empty() ? 0.0 : std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size()) fail(option, "not a number: " + quoted(text));
  return v;
}

long long parseInteger(const std::string& option, const std::string& text, long long lo, long long hi) {
  const double v = parseDouble(option, text);
  const std::string range = "between " + std::to_string(lo) + " and " + std::to_string(hi);
  if (!std::isfinite(v) || std::floor(v) != v) fail(option, "must be an integer " + range + " (got " + text + ")");
  if (v < static_cast<double>(lo) || v > static_cast<double>(hi)) {
    fail(option, "must be an integer " + range + " (got " + text + ")");
  }
  return static_cast<long long>(v);
}

int parsePointCount(const std::string& option, const std::string& text) {
  const double v = parseDouble(option, text);
  if (!std::isfinite(v) || std::floor(v) != v) {
    fail(option, "must be an integer between 1 and " + std::to_string(kMaxPoints) + " (got " + text + ")");
  }
  if (v < 1) fail(option, "must be between 1 and " + std::to_string(kMaxPoints) + " (got " + text + ")");
  if (v > static_cast<double>(kMaxPoints)) {
    fail(option, trimmed(text) + " points cannot fit: must be between 1 and " + std::to_string(kMaxPoints));
  }
  return static_cast<int>(v);
}

std::uint64_t parseSeed(const std::string& option, const std::string& text) {
  const std::string t = trimmed(text);
  errno = 0;
  char* end = nullptr;
  const unsigned long long v = std::strtoull(t.c_str(), &end, 10);
  if (t.empty() || t[0] == '-' || t[0] == '+' || end != t.c_str() + t.size() || errno != 0) {
    fail(option, "must be an integer between 0 and 18446744073709551615 (got " + quoted(text) + ")");
  }
  return v;
}

namespace {
bool isStdout(const std::string& path) { return path.empty() || path == "-"; }
}  // namespace

void writeOutput(const std::string& path, const std::string& text) {
  writeFileAtomically(isStdout(path) ? "/dev/stdout" : path, text, "output");
}

void writePointsOutput(const std::string& path, const Points& pts, const std::vector<std::string>& names,
                       const std::function<void(long long, long long)>& progress) {
  // standard output is always CSV; a file is .npy or CSV by its extension
  if (isStdout(path)) {
    writeCsvPoints("/dev/stdout", pts, names, "output", progress);
  } else {
    writePoints(path, pts, names, "output", progress);
  }
}

void checkOutputOption(const char* option, const std::string& path) {
  if (!isStdout(path)) checkOutputPath(path, option);
}

void checkStdout() {
  errno = 0;
  if (std::fflush(stdout) != 0 || std::ferror(stdout)) {
    throw InvalidArgument(std::string("standard output: cannot write (") +
                          (errno != 0 ? std::strerror(errno) : "I/O error") + ")");
  }
}

std::string formatCatalog(const std::vector<NamedDescription>& entries) {
  std::size_t width = 0;
  for (const auto& e : entries) width = std::max(width, e.name.size());
  std::string out;
  for (const auto& e : entries) {
    out += e.name + std::string(width + 2 - e.name.size(), ' ') + e.description + "\n";
  }
  return out;
}

}  // namespace driftlab::cli
