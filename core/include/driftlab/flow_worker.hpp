// FlowWorker: runs a FlowEngine on its own thread. Commands go through a queue and are
// applied between steps (never in the middle of one, never restarting the run); readers take
// the latest immutable Snapshot without waiting for a step in progress. STYLE.md L3, L4, L6.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "driftlab/flow_params.hpp"
#include "driftlab/snapshot.hpp"

namespace driftlab {

namespace cmd {
struct SetParams { FlowParams params; std::string label; };  // label for the change marker ("" = auto)
struct SetParam { std::string key_equals_value; };          // "kernel=laplacian" (scenario.hpp keys)
struct Reset {};                                            // same seeds, t = 0
struct NewSeed { std::uint64_t seed; };                     // data_seed = seed, init_seed = seed + 1
struct Pause {};
struct Resume {};
struct StepOnce {};                                         // one step while paused
struct AddParticles { Points points; };                     // d x k
struct AddParticlesFromKde { int count; };
struct RemoveParticles { int count; };
struct MoveParticle { int index; Eigen::VectorXd position; };
struct AddData { Points points; };
struct EraseData { Eigen::VectorXd centre; double radius; };
struct ClearData {};                                        // keeps one point so the KDE exists
struct SetDataset { std::string name; };                    // built-in name
struct SetData { Points points; };                          // e.g. a loaded CSV
struct SetInit { std::string name; };                       // resets particles to this layout
struct SetView { float x0, y0, x1, y1; int quiver_n; int density_n; };  // grid fields' rectangle
struct SetStepsPerPublish { int steps; };
struct SetMetricsEvery { int steps; };
}  // namespace cmd

using Command = std::variant<cmd::SetParams, cmd::SetParam, cmd::Reset, cmd::NewSeed, cmd::Pause, cmd::Resume,
                             cmd::StepOnce, cmd::AddParticles, cmd::AddParticlesFromKde, cmd::RemoveParticles,
                             cmd::MoveParticle, cmd::AddData, cmd::EraseData, cmd::ClearData, cmd::SetDataset,
                             cmd::SetData, cmd::SetInit, cmd::SetView, cmd::SetStepsPerPublish,
                             cmd::SetMetricsEvery>;

class FlowWorker {
 public:
  // starts the thread; start_paused = true publishes the initial state and waits for Resume/StepOnce
  explicit FlowWorker(const FlowParams& params, bool start_paused = false);
  ~FlowWorker();  // requests stop and joins
  FlowWorker(const FlowWorker&) = delete;
  FlowWorker& operator=(const FlowWorker&) = delete;

  void send(Command c);                              // any thread; never blocks on a step
  std::shared_ptr<const Snapshot> latest() const;    // any thread; never blocks on a step
  std::uint64_t stepsDone() const;                   // any thread (atomic counter)

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace driftlab
