// The commands a run accepts and the interface of a worker that runs on its own thread and
// publishes immutable Snapshots: FlowWorker (particle mode, flow_worker.hpp) and
// GeneratorWorker (generator mode, generator_worker.hpp). The app holds a RunWorker and does not
// care which mode runs. STYLE.md L3, L4, L6.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>

#include "driftlab/flow_params.hpp"
#include "driftlab/snapshot.hpp"
#include "driftlab/types.hpp"

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
struct SaveModel { std::string path; };                     // generator mode: write a model file (model_file.hpp)
}  // namespace cmd

using Command = std::variant<cmd::SetParams, cmd::SetParam, cmd::Reset, cmd::NewSeed, cmd::Pause, cmd::Resume,
                             cmd::StepOnce, cmd::AddParticles, cmd::AddParticlesFromKde, cmd::RemoveParticles,
                             cmd::MoveParticle, cmd::AddData, cmd::EraseData, cmd::ClearData, cmd::SetDataset,
                             cmd::SetData, cmd::SetInit, cmd::SetView, cmd::SetStepsPerPublish,
                             cmd::SetMetricsEvery, cmd::SaveModel>;

class RunWorker {
 public:
  virtual ~RunWorker() = default;  // implementations request stop and join their thread
  virtual void send(Command c) = 0;                            // any thread; never blocks on a step
  virtual std::shared_ptr<const Snapshot> latest() const = 0;  // any thread; never blocks on a step
  virtual std::uint64_t stepsDone() const = 0;                 // any thread (atomic counter)

 protected:
  RunWorker() = default;
  RunWorker(const RunWorker&) = delete;
  RunWorker& operator=(const RunWorker&) = delete;
};

}  // namespace driftlab
