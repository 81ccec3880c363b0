// The mode comparison (driftlab/run/mode_comparison.hpp) on a thread of its own, so the render
// thread only ever reads its progress and, once it is done, its result. Created, read and
// destroyed on the render thread; the destructor cancels the run and joins (the run checks the
// flag between steps, so that takes at most one step of the slowest mode).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "driftlab/run/mode_comparison.hpp"

namespace driftlab::app::ui {

class ComparisonJob {
 public:
  explicit ComparisonJob(const ComparisonOptions& options);
  ~ComparisonJob();
  ComparisonJob(const ComparisonJob&) = delete;
  ComparisonJob& operator=(const ComparisonJob&) = delete;

  double progress() const { return progress_.load(); }  // 0 .. 1
  std::string stage() const;                            // what runs now
  bool done() const { return done_.load(); }
  // the comparison once done (null before, or when it failed: error() says why)
  const Comparison* result() const { return done() && result_ ? &*result_ : nullptr; }
  std::string error() const;
  const ComparisonOptions& options() const { return options_; }

 private:
  ComparisonOptions options_;
  std::atomic<bool> cancel_{false}, done_{false};
  std::atomic<double> progress_{0.0};
  mutable std::mutex mutex_;  // stage_ and error_
  std::string stage_, error_;
  std::optional<Comparison> result_;  // written by the thread before done_ is set
  std::thread thread_;
};

}  // namespace driftlab::app::ui
