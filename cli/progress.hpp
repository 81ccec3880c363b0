// The progress line of long driftlab-cli commands (run, train, bench, generate): one line on
// stderr that overwrites itself ("run: step 1200/100000  840 steps/s  ETA 1m57s"), redrawn at
// most ~5 times a second and cleared at the end. Shown only when stderr is a terminal and
// --quiet is not given, unless --progress / --no-progress force it; never written to stdout or an
// output file. The text is driftlab/base/progress_text.hpp. Main thread only.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstddef>
#include <string>

namespace driftlab::cli {

struct ProgressFlags {
  bool on = false, off = false;
};
// adds --progress and --no-progress (mutually exclusive) to a command
void addProgressFlags(CLI::App* sub, ProgressFlags& flags);

class ProgressLine {
 public:
  // `task` names the command ("run"), `noun` what is counted ("step"); total <= 0 shows nothing
  ProgressLine(const ProgressFlags& flags, bool quiet, std::string task, std::string noun, long long total);
  ~ProgressLine() { clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // redraws the line with `done` when it is due (the first call, or ~0.2 s after the last draw)
  void update(long long done);
  // erases the line; call before printing to stdout, which may be the same terminal
  void clear();
  // a new phase with its own count and rate ("generate: row 0/N" after the samples)
  void restart(std::string noun, long long total);

 private:
  double now() const;

  bool enabled_ = false;
  std::string task_, noun_;
  long long total_ = 0;
  std::chrono::steady_clock::time_point start_;
  double last_draw_ = -1.0;  // seconds since start_, -1: nothing shown
  std::size_t shown_ = 0;    // characters of the line now on the terminal
};

}  // namespace driftlab::cli
