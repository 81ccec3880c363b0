// The progress line on stderr (progress.hpp). Main thread only.
#include "progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <utility>

#include "driftlab/base/progress_text.hpp"

namespace driftlab::cli {

void addProgressFlags(CLI::App* sub, ProgressFlags& flags) {
  auto* on = sub->add_flag("--progress", flags.on, "show the progress line on stderr even when it is not a terminal");
  auto* off = sub->add_flag("--no-progress", flags.off, "never show the progress line");
  on->excludes(off);
}

ProgressLine::ProgressLine(const ProgressFlags& flags, bool quiet, std::string task, std::string noun, long long total)
    : enabled_(progressWanted(flags.on ? 1 : flags.off ? -1 : 0, quiet, ::isatty(STDERR_FILENO) == 1)),
      task_(std::move(task)),
      noun_(std::move(noun)),
      total_(total),
      start_(std::chrono::steady_clock::now()) {}

double ProgressLine::now() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressLine::update(long long done) {
  if (!enabled_ || total_ <= 0) return;
  const double t = now();
  if (!progressRedrawDue(t, shown_ == 0 ? -1.0 : last_draw_)) return;
  last_draw_ = t;
  const std::string bytes = progressOverwrite(progressLine(task_, noun_, done, total_, t), shown_);
  std::fputs(bytes.c_str(), stderr);
  std::fflush(stderr);
}

void ProgressLine::clear() {
  if (shown_ == 0) return;
  const std::string bytes = progressOverwrite("", shown_);
  std::fputs(bytes.c_str(), stderr);
  std::fflush(stderr);
}

void ProgressLine::restart(std::string noun, long long total) {
  noun_ = std::move(noun);
  total_ = total;
  start_ = std::chrono::steady_clock::now();
  last_draw_ = -1.0;
}

}  // namespace driftlab::cli
