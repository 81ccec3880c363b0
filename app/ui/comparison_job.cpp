// ComparisonJob (comparison_job.hpp): compareModes on its own thread.
#include "comparison_job.hpp"

#include <exception>

#include "driftlab/base/thread_pool.hpp"

namespace driftlab::app::ui {

ComparisonJob::ComparisonJob(const ComparisonOptions& options) : options_(options) {
  thread_ = std::thread([this] {
    // a pool of its own: the run's pool stays with the run (both share the cores)
    ThreadPool pool;
    ThreadPoolScope scope(pool);
    try {
      Comparison c = compareModes(
          options_,
          [this](double done, const std::string& stage) {
            progress_.store(done);
            std::lock_guard<std::mutex> lock(mutex_);
            stage_ = stage;
          },
          &cancel_);
      if (!cancel_.load()) result_ = std::move(c);
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      error_ = e.what();
    }
    done_.store(true);
  });
}

ComparisonJob::~ComparisonJob() {
  cancel_.store(true);
  if (thread_.joinable()) thread_.join();
}

std::string ComparisonJob::stage() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return stage_;
}

std::string ComparisonJob::error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

}  // namespace driftlab::app::ui
