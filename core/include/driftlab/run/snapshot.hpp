// The immutable picture of one moment of a run that a RunWorker publishes for readers
// (the app's render thread, tests). GL-free; floats, ready to upload. Never modified after
// publication: readers hold it through shared_ptr<const Snapshot>.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "driftlab/flow/flow_params.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/base/types.hpp"

namespace driftlab {

// Values on a regular nx x ny grid over [x0, x1] x [y0, y1] (node centres), row-major
// (iy * nx + ix), `components` floats per node.
struct GridField {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  int nx = 0, ny = 0, components = 0;
  std::vector<float> values;
  bool empty() const { return values.empty(); }
};

// A labelled moment where the user changed something (plots draw a marker there).
struct ChangeMarker {
  long step = 0;
  double time = 0.0;
  std::string label;  // e.g. "kernel=laplacian"
};

// A recorded future that a change in the past cut off (timeline, run_worker.hpp): plots draw it
// faded from from_step on, until it is discarded.
struct MetricBranch {
  long from_step = 0;
  std::vector<Metrics> rows;            // steps > from_step
  std::vector<ChangeMarker> markers;
};

struct MetricHistory {
  std::vector<Metrics> rows;
  std::vector<ChangeMarker> markers;
  std::vector<MetricBranch> branches;   // oldest first, at most 4
  std::uint64_t restarts = 0;           // Reset / NewSeed so far (the rows started again at step 0)
  std::uint64_t cuts = 0;               // futures cut off into branches so far
};

// What the run's keyframe timeline holds (run_worker.hpp): the steps a Seek can reach, and memory.
struct TimelineView {
  long first_step = 0;                  // earliest keyframe (seekable from here)
  long end_step = 0;                    // furthest step of the current branch
  std::size_t keyframes = 0, bytes = 0, budget = 0;
  long interval = 1;                    // K: steps between keyframes now
};

// Generator mode's part of a snapshot (generator_worker.hpp). There the common part reads:
// params = the field part of the generator's parameters, particles = samples of the fixed noise
// batch, velocities = their drift arrows, step = training steps done, time = training time
// (step * eta), metric rows' objective = the training loss.
struct GeneratorView {
  std::string name;                   // the generator scenario's name (e.g. "gen_checkerboard")
  std::string settings;               // one line: architecture, lr, batch sizes, eta
  std::string notice;                 // last success of a command, e.g. "saved model.json (step 120)"
  // the generator settings in force (the panel's live controls; Snapshot::params holds the field part)
  double lr = 0.0, eta = 0.0;
  double ema = 0.0;                   // weight-average decay of the shown samples (0 = raw weights)
  int batch = 0, data_batch = 0, latent = 0;
  std::string widths;                 // "256,256,256" (the "widths" setting's format)
  // 2-D latent only: the image of a latent_nx x latent_ny grid (row-major, iy * nx + ix) under the
  // generator, GAN Lab's manifold view; empty otherwise
  PointsF latent_grid;                // 2 x (latent_nx latent_ny)
  int latent_nx = 0, latent_ny = 0;
};

// Mode dfm's part of a snapshot (THEORY.md §12). There the common part reads: velocities = the
// drift b(t, x) at the particles, velocity grid = the drift over the view at the sampler's t,
// log_p grid = the bridge's marginal p_t (where the particles should be at t), log_q = the
// particles' KDE, speed = |b|.
struct DfmView {
  double t = 0.0;                     // the sampler's time
  double t_end = 1.0;                 // 1 - epsilon: where the sampler stops
  long step = 0, steps = 0;           // sampler steps taken, dfm.steps
  // share of the particles within 1e-2 of a training point (memorization, THEORY.md §12.3)
  double near_share = 0.0;
  // bridge sample paths for random (source, data) pairs: 2 x (paths (knots + 1)), path p's knots
  // contiguous, at t_k = k / knots (bridge_paths.hpp); empty off the plane
  PointsF bridge_paths;
  int paths = 0, knots = 0;
  // dfm.drift = learned: the oracle's arrows over the view at t beside the learned ones of the
  // velocity grid (empty with the oracle in force or before training)
  GridField oracle_velocity;
  bool learned = false;               // dfm.drift = learned
  bool learned_ready = false;         // its network is trained (false: the next step trains it)
  std::vector<float> learned_loss;    // its training loss per Adam step, for the loss curve
  double train_seconds = 0.0;         // how long its training took
};

// The common part, filled by the run loop (step, time, history, warnings, ...) and the mode's
// Run (params, points, grid fields, per-mode view).
struct Snapshot {
  std::uint64_t snapshot_id = 0;      // strictly increasing per publish
  std::uint64_t params_version = 0;   // increases with every applied parameter change
  FlowParams params;                  // the parameters this snapshot reflects
  long step = 0;
  double time = 0.0;                  // flow time
  double step_size = 0.0;             // current eta (after rollback halvings)
  double eta_used = 0.0;              // effective step of the last step (after the displacement cap)
  double bandwidth = 0.0;             // (first) bandwidth in force
  bool paused = false;
  double steps_per_second = 0.0;      // measured engine rate
  double step_rate_limit = 0.0;       // speed cap in force (cmd::SetStepRate), steps/s; 0 = unlimited

  PointsF particles;                  // d x N
  PointsF velocities;                 // d x N
  PointsF data;                       // d x M
  PointsF mode_centres;               // d x K

  // 2-D fields over the view rectangle requested with SetView (default: padded data box)
  GridField velocity;                 // 2 components; on S^2 3 (tangent vectors over longitude x latitude)
  GridField attraction, repulsion;    // 2 components each (split field)
  std::vector<Divergence> terms;      // active divergence terms
  std::vector<GridField> per_term;    // 2 components each, one per term
  GridField log_p, log_q, speed;      // 1 component each; log_p/log_q NaN when not integrable

  std::shared_ptr<const MetricHistory> history;  // shared between snapshots until it changes
  TimelineView timeline;
  std::vector<std::string> warnings;  // recent engine warnings, oldest first (at most 8)
  std::string error;                  // last rejected command, e.g. "step: must be > 0 (got -1)"

  // the mode's own view, when it has one (null in particle mode)
  std::shared_ptr<const GeneratorView> generator;
  std::shared_ptr<const DfmView> dfm;  // mode dfm only
};

}  // namespace driftlab
