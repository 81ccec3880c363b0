// Test helper shared by the worker tests (FlowWorker, GeneratorWorker): poll a RunWorker's latest
// snapshot until a predicate holds.
#pragma once

#include <chrono>
#include <memory>
#include <thread>

#include "driftlab/run/run_worker.hpp"
#include "driftlab/run/snapshot.hpp"

namespace driftlab::testing {

// polls latest() until pred holds; the timeout only guards against a hang (nullptr then)
template <class Pred>
std::shared_ptr<const Snapshot> waitFor(const RunWorker& w, Pred pred, double seconds = 120.0) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    auto s = w.latest();
    if (s && pred(*s)) return s;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return nullptr;
}

}  // namespace driftlab::testing
