// One mode of driftlab (particles, generator, and later the sphere, JKO and DFM) as the run loop
// (run_worker.hpp) drives it. The loop owns the thread, the command queue, pause and single steps,
// the cadences of metrics rows and publishes, the metric history with its change markers,
// warnings, step rates and the common part of each Snapshot; a Run owns its engine, its display
// refreshes and its part of the snapshot. Adding a mode means writing one Run.
//
// Thread: every method of Run is called on the worker thread only (and from the constructor of
// the worker before its thread starts); a Run never sees two calls at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "driftlab/field/metrics.hpp"
#include "driftlab/run/commands.hpp"
#include "driftlab/run/snapshot.hpp"

namespace driftlab {

// What a Run may ask of the loop while it applies a command. Worker thread only.
class RunContext {
 public:
  virtual void addMarker(const std::string& label) = 0;      // a labelled change at the current step
  virtual void addEditMarker(const std::string& label) = 0;  // one marker per brush stroke (merged for 1 s)
  virtual void restartHistory(const std::string& label) = 0; // the step counter restarted at 0
  virtual void addWarning(const std::string& warning) = 0;
  virtual void paramsChanged() = 0;                          // the snapshot's params_version moves on
  virtual void publishSoon() = 0;                            // publish at the end of this iteration
  virtual bool paused() const = 0;

 protected:
  ~RunContext() = default;
};

struct StepOutcome {
  bool advanced = false;  // the step counter moved (a rolled-back step does not)
  std::string warning;    // shown in the snapshot's warnings when not empty
};

class Run;

// A Run's whole state as an immutable value (fork and rewind, THEORY.md §6.6): what the run loop's
// keyframe timeline keeps, and what a fork's side B starts from. Opaque to the loop; shared
// between threads read-only (a fork hands it from A's worker to B's).
class RunCheckpoint {
 public:
  virtual ~RunCheckpoint() = default;
  virtual long step() const = 0;
  virtual std::size_t bytes() const = 0;   // memory held (the timeline's budget counts it)
  // FNV-1a of the state's numbers (particles and data and flow time; network weights): equal
  // digests = the same state bit for bit, e.g. a fork's two sides after the same steps
  virtual std::uint64_t digest() const = 0;
  // a new Run of the same mode continuing this state (a fork's side B); called on any thread
  // before that Run's worker starts. Throws InvalidArgument.
  virtual std::unique_ptr<Run> makeRun() const = 0;
};

// the keyframe timeline's access to checkpoints (base/keyframe_timeline.hpp)
inline long keyframeStep(const std::shared_ptr<const RunCheckpoint>& c) { return c->step(); }
inline std::size_t keyframeBytes(const std::shared_ptr<const RunCheckpoint>& c) { return c->bytes(); }

class Run {
 public:
  using Clock = std::chrono::steady_clock;

  virtual ~Run() = default;

  // "engine" or "generator": the start of an error line ("engine error at step 12: ...")
  virtual std::string errorPrefix() const = 0;
  virtual long stepIndex() const = 0;
  virtual double time() const = 0;

  virtual StepOutcome step() = 0;
  // one row of the metric history; may throw (the loop turns that into a warning)
  virtual Metrics metricsRow() = 0;

  // every command the loop does not handle itself (Pause, Resume, StepOnce, SetStepsPerPublish and
  // SetMetricsEvery are the loop's); throws InvalidArgument to reject one with the run untouched
  virtual void apply(const Command& command, RunContext& context) = 0;

  // Display refreshes (grid fields, arrows while paused, ...), each rate-limited by the Run itself.
  // Returns true when something new is there to publish.
  virtual bool refreshDisplay(bool paused) = 0;
  // when the earliest pending refresh falls due; nullopt when none is pending (a paused loop
  // sleeps until then, or until a command arrives)
  virtual std::optional<Clock::time_point> displayDueAt() const = 0;

  // the mode's part of a snapshot: params, step size, bandwidth, points, grids, per-mode view
  virtual void fillSnapshot(Snapshot& snapshot, bool paused) = 0;

  // fork and rewind: the whole state as a value, and back to such a value (of this mode; throws
  // InvalidArgument otherwise, with the run untouched). A restore makes the display stale.
  virtual std::shared_ptr<const RunCheckpoint> capture() const = 0;
  virtual void restore(const RunCheckpoint& checkpoint) = 0;
  void restore(const std::shared_ptr<const RunCheckpoint>& checkpoint) { restore(*checkpoint); }
};

}  // namespace driftlab
