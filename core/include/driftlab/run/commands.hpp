// The commands a run accepts (cmd::*, Command): sent from any thread with RunWorker::send and
// applied on the worker thread between steps. The loop handles Pause, Resume, StepOnce,
// SetStepsPerPublish, SetMetricsEvery, SetStepRate and the timeline's and fork's commands (Seek,
// Branch, DiscardBranches, SetHistoryBudget, RequestFork, SetStepLimit); every other command goes to the mode's Run (run.hpp),
// which rejects those it has no use for ("add data: not available in generator mode").
#pragma once

#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <type_traits>
#include <variant>

#include "driftlab/base/types.hpp"
#include "driftlab/flow/flow_params.hpp"

namespace driftlab {

struct ForkSeed;  // run_worker.hpp

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
struct SetStepRate { double steps_per_second; };            // speed cap while running; 0 = unlimited
struct SaveModel { std::string path; };                     // generator mode: write a model file (model_file.hpp)
// timeline (run_worker.hpp): back or forward to a step of the current branch, exactly (pauses)
struct Seek { long step; };
struct Branch {};                                           // the recorded future becomes a faded branch
struct DiscardBranches {};                                  // forget the faded branches
struct SetHistoryBudget { std::size_t bytes; };             // keyframe memory; restarts the keyframes here
// A/B fork, one clock: while running, no step past this step index (-1 = no limit); StepOnce is not held
struct SetStepLimit { long max_step; };
// fork: the worker answers with a ForkSeed (run_worker.hpp) between steps
struct RequestFork { std::shared_ptr<std::promise<std::shared_ptr<const ForkSeed>>> reply; };
}  // namespace cmd

using Command = std::variant<cmd::SetParams, cmd::SetParam, cmd::Reset, cmd::NewSeed, cmd::Pause, cmd::Resume,
                             cmd::StepOnce, cmd::AddParticles, cmd::AddParticlesFromKde, cmd::RemoveParticles,
                             cmd::MoveParticle, cmd::AddData, cmd::EraseData, cmd::ClearData, cmd::SetDataset,
                             cmd::SetData, cmd::SetInit, cmd::SetView, cmd::SetStepsPerPublish,
                             cmd::SetMetricsEvery, cmd::SaveModel, cmd::SetStepRate, cmd::Seek, cmd::Branch,
                             cmd::DiscardBranches, cmd::SetHistoryBudget, cmd::RequestFork, cmd::SetStepLimit>;

// the commands the run loop carries out itself (run_worker.cpp): they never reach a Run
template <class C>
inline constexpr bool kLoopCommand =
    std::is_same_v<C, cmd::Pause> || std::is_same_v<C, cmd::Resume> || std::is_same_v<C, cmd::StepOnce> ||
    std::is_same_v<C, cmd::SetStepsPerPublish> || std::is_same_v<C, cmd::SetMetricsEvery> ||
    std::is_same_v<C, cmd::SetStepRate> || std::is_same_v<C, cmd::Seek> || std::is_same_v<C, cmd::Branch> ||
    std::is_same_v<C, cmd::DiscardBranches> || std::is_same_v<C, cmd::SetHistoryBudget> ||
    std::is_same_v<C, cmd::RequestFork> || std::is_same_v<C, cmd::SetStepLimit>;

}  // namespace driftlab
