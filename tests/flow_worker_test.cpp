// FlowWorker: commands applied between steps, parameter versions and change markers, pause and
// single steps, rejected commands, engine failures, grid fields, metrics cadence, a stress test
// with thousands of random commands against a concurrent reader, and latest() never waiting for
// a step. No wall-clock assertions: waits have generous timeouts that only guard against hangs.
// scripts/tsan_check.sh runs these cases under ThreadSanitizer.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <random>
#include <string>
#include <thread>

#include "driftlab/kde/compute_path.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/run/flow_worker.hpp"
#include "driftlab/field/velocity.hpp"
#include "worker_wait.hpp"

using namespace driftlab;
using driftlab::testing::waitFor;
using namespace std::chrono_literals;

namespace {

// N = M large enough that one step (O(N (N + M)) kernel pairs) takes far longer than 1000
// latest() calls: ~1e8 pairs per step here, against ~1e-4 s for the reads
#if defined(__SANITIZE_THREAD__)
constexpr int kHeavyN = 1200;  // ThreadSanitizer slows the kernel sums ~10x
#else
constexpr int kHeavyN = 3000;
#endif

FlowParams smallParams(int n = 64, int m = 64) {
  FlowParams p;
  p.dataset = "eight_gaussians";
  p.samples = m;
  p.data_seed = 3;
  p.init = "gaussian";
  p.particles = n;
  p.init_seed = 4;
  p.bandwidth.rule = BandwidthRule::Fixed;
  p.bandwidth.h = 0.3;
  p.weights = DivergenceWeights::single(Divergence::ForwardKL);
  p.step = 0.01;
  return p;
}

bool gridOk(const GridField& g) {
  return g.empty() || (g.nx >= 1 && g.ny >= 1 && g.components >= 1 &&
                       g.values.size() == static_cast<std::size_t>(g.nx) * g.ny * g.components);
}

// every structural invariant a reader relies on; returns "" or what is wrong
std::string snapshotProblem(const Snapshot& s) {
  const auto d = s.particles.rows();
  if (d < 1 || s.particles.cols() < 1) return "no particles";
  if (s.velocities.rows() != d || s.velocities.cols() != s.particles.cols()) return "velocity shape";
  if (s.data.rows() != d || s.data.cols() < 1) return "data shape";
  if (s.mode_centres.cols() > 0 && s.mode_centres.rows() != d) return "mode centre shape";
  if (!s.particles.allFinite()) return "non-finite particle";
  if (!s.velocities.allFinite()) return "non-finite velocity";
  if (!s.data.allFinite()) return "non-finite data";
  if (s.step < 0 || !(s.time >= 0.0) || !std::isfinite(s.time)) return "bad step/time";
  if (!(s.step_size >= 0.0) || !std::isfinite(s.step_size)) return "bad step size";
  for (const GridField* g : {&s.velocity, &s.attraction, &s.repulsion, &s.log_p, &s.log_q, &s.speed}) {
    if (!gridOk(*g)) return "grid size";
  }
  for (const GridField& g : s.per_term) {
    if (!gridOk(g)) return "per-term grid size";
  }
  if (!s.per_term.empty() && s.per_term.size() != s.terms.size()) return "per_term vs terms";
  if (!s.history) return "no history";
  if (s.history->rows.size() > 20000) return "history too long";
  if (s.warnings.size() > 8) return "too many warnings";
  return "";
}

}  // namespace

TEST_CASE("worker: SetParams and SetParam between steps echo params_version and a change marker") {
  FlowWorker w(smallParams());
  auto s = waitFor(w, [](const Snapshot& x) { return x.step >= 2; });
  REQUIRE(s);
  CHECK(s->params_version == 0);

  FlowParams p = s->params;
  p.kernel.kind = KernelKind::Laplacian;
  w.send(cmd::SetParams{p, ""});
  s = waitFor(w, [](const Snapshot& x) { return x.params_version == 1; });
  REQUIRE(s);
  CHECK(s->params == p);
  REQUIRE(s->history);
  REQUIRE_FALSE(s->history->markers.empty());
  CHECK(s->history->markers.back().label == "kernel gaussian→laplacian");  // the table's short old→new label
  CHECK(s->history->markers.back().step <= s->step);
  CHECK(s->error.empty());

  w.send(cmd::SetParam{"bandwidth=0.2"});
  s = waitFor(w, [](const Snapshot& x) { return x.params_version == 2; });
  REQUIRE(s);
  CHECK(s->params.bandwidth.h == 0.2);
  CHECK(s->bandwidth == doctest::Approx(0.2).epsilon(1e-12));
  CHECK(s->history->markers.back().label == "bandwidth=0.2");

  p = s->params;
  p.step = 0.02;
  p.weights = DivergenceWeights::mixedDefault();
  w.send(cmd::SetParams{p, "my label"});
  s = waitFor(w, [](const Snapshot& x) { return x.params_version == 3; });
  REQUIRE(s);
  CHECK(s->history->markers.back().label == "my label");
  CHECK(s->step_size == 0.02);

  // consecutive SetParams in one batch: the last one wins
  FlowParams a = p, b = p;
  a.alpha = 0.25;
  b.alpha = 0.75;
  w.send(cmd::Pause{});
  w.send(cmd::SetParams{a, ""});
  w.send(cmd::SetParams{b, ""});
  s = waitFor(w, [](const Snapshot& x) { return x.params.alpha == 0.75; });
  REQUIRE(s);
  CHECK(s->params_version >= 4);
}

TEST_CASE("worker: snapshot ids strictly increase while steps and metric rows advance") {
  FlowWorker w(smallParams());
  std::shared_ptr<const Snapshot> prev = w.latest();
  REQUIRE(prev);
  int distinct = 0;
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  while (distinct < 50 && std::chrono::steady_clock::now() < deadline) {
    auto s = w.latest();
    if (s != prev) {
      CHECK(s->snapshot_id > prev->snapshot_id);
      CHECK(s->step >= prev->step);
      CHECK(s->time >= prev->time);
      CHECK(snapshotProblem(*s) == "");
      prev = s;
      ++distinct;
    }
    std::this_thread::sleep_for(200us);
  }
  CHECK(distinct == 50);
  REQUIRE(prev->history);
  const auto& rows = prev->history->rows;
  REQUIRE(rows.size() >= 2);
  for (std::size_t i = 1; i < rows.size(); ++i) CHECK(rows[i].step > rows[i - 1].step);
  CHECK(prev->steps_per_second > 0.0);
}

TEST_CASE("worker: Pause stops stepping and StepOnce advances exactly one step") {
  FlowWorker w(smallParams());
  REQUIRE(waitFor(w, [](const Snapshot& x) { return x.step >= 3; }));
  w.send(cmd::Pause{});
  auto s = waitFor(w, [](const Snapshot& x) { return x.paused; });
  REQUIRE(s);
  const std::uint64_t n0 = w.stepsDone();
  const long step0 = w.latest()->step;
  std::this_thread::sleep_for(100ms);
  CHECK(w.stepsDone() == n0);
  CHECK(w.latest()->step == step0);
  CHECK(w.latest()->steps_per_second == 0.0);

  w.send(cmd::StepOnce{});
  s = waitFor(w, [&](const Snapshot& x) { return x.step == step0 + 1; });
  REQUIRE(s);
  std::this_thread::sleep_for(100ms);
  CHECK(w.stepsDone() == n0 + 1);
  CHECK(w.latest()->step == step0 + 1);
  CHECK(w.latest()->paused);

  w.send(cmd::Resume{});
  REQUIRE(waitFor(w, [&](const Snapshot& x) { return !x.paused && x.step >= step0 + 5; }));
}

TEST_CASE("worker: a rejected command sets the error, leaves the run untouched and it keeps running") {
  FlowWorker w(smallParams());
  auto s = waitFor(w, [](const Snapshot& x) { return x.step >= 1; });
  REQUIRE(s);
  const FlowParams before = s->params;

  w.send(cmd::SetParam{"step=-1"});
  s = waitFor(w, [](const Snapshot& x) { return !x.error.empty(); });
  REQUIRE(s);
  CHECK(s->error.find("step") != std::string::npos);
  CHECK(s->error.find("-1") != std::string::npos);
  CHECK(s->params == before);
  CHECK(s->params_version == 0);
  CHECK_FALSE(s->paused);
  const long step_then = s->step;
  REQUIRE(waitFor(w, [&](const Snapshot& x) { return x.step >= step_then + 5; }));

  w.send(cmd::MoveParticle{100000, Eigen::Vector2d(0, 0)});
  s = waitFor(w, [](const Snapshot& x) { return x.error.find("out of range") != std::string::npos; });
  REQUIRE(s);

  // the next accepted command clears it
  w.send(cmd::SetParam{"step=0.02"});
  s = waitFor(w, [](const Snapshot& x) { return x.params_version == 1; });
  REQUIRE(s);
  CHECK(s->error.empty());
}

TEST_CASE("worker: an engine failure inside the loop pauses the run and reports it") {
  FlowWorker w(smallParams());
  REQUIRE(waitFor(w, [](const Snapshot& x) { return x.step >= 1; }));
  // the exact smoothed velocity needs an integrable kernel; Cauchy is not integrable in 2-D, so
  // the parameters validate but the step throws
  w.send(cmd::SetParam{"kernel=cauchy"});
  w.send(cmd::SetParam{"velocity=smoothed"});
  auto s = waitFor(w, [](const Snapshot& x) { return x.paused && !x.error.empty(); });
  REQUIRE(s);
  CHECK(s->error.find("engine error") != std::string::npos);
  CHECK(snapshotProblem(*s) == "");
  const std::uint64_t n = w.stepsDone();

  // fix it and resume: the run goes on from where it was
  w.send(cmd::SetParam{"velocity=plugin"});
  w.send(cmd::Resume{});
  REQUIRE(waitFor(w, [](const Snapshot& x) { return !x.paused && x.error.empty(); }));
  REQUIRE(waitFor(w, [&](const Snapshot&) { return w.stepsDone() >= n + 3; }));
}

TEST_CASE("worker: the paused display velocity follows the run's compute path") {
  // it was once computed with float64 exact sums whatever the run's path: at a million particles
  // that is 2e12 kernel pairs, and pausing the app hung the worker
  FlowParams p = smallParams(300, 300);
  p.path = ComputePath::Grid;
  FlowWorker w(p, /*start_paused=*/true);
  auto s = waitFor(w, [](const Snapshot& x) { return x.velocities.cwiseAbs().maxCoeff() > 0.0f; });
  REQUIRE(s);
  const Points y = sampleDataset(p.dataset, p.samples, p.data_seed).points;
  const Points x = initialParticles(p.init, p.particles, p.init_seed, y);
  VelocityOptions opt = p.velocityOptions(x, y, 0.0);
  opt.path = ComputePath::Grid;
  const Points v_grid = particleVelocity(x, y, opt);
  opt.path = ComputePath::Exact64;
  const Points v_exact = particleVelocity(x, y, opt);
  const Points shown = s->velocities.cast<double>();
  const double scale = v_exact.cwiseAbs().maxCoeff();
  CHECK((shown - v_grid).cwiseAbs().maxCoeff() <= 1e-6 * scale);   // the grid field, up to the float copy
  CHECK((shown - v_exact).cwiseAbs().maxCoeff() >= 1e-4 * scale);  // which is not the float64 one
}

TEST_CASE("worker: grid fields match the field evaluated at the grid nodes") {
  const FlowParams p = smallParams(50, 60);
  FlowWorker w(p, /*start_paused=*/true);
  REQUIRE(w.latest());  // published by the constructor
  w.send(cmd::SetView{-1.0f, -0.5f, 1.0f, 1.5f, 6, 9});
  auto s = waitFor(w, [](const Snapshot& x) { return x.velocity.nx == 6 && x.log_p.nx == 9; });
  REQUIRE(s);
  CHECK(s->step == 0);
  CHECK(w.stepsDone() == 0);
  CHECK(snapshotProblem(*s) == "");
  CHECK(s->velocity.values.size() == 6 * 6 * 2);
  CHECK(s->speed.values.size() == 9 * 9);
  REQUIRE(s->terms.size() == 1);
  CHECK(s->terms[0] == Divergence::ForwardKL);
  REQUIRE(s->per_term.size() == 1);

  // the same state computed here: data and initial particles from the seeds
  const Points y = sampleDataset(p.dataset, p.samples, p.data_seed).points;
  const Points x = initialParticles(p.init, p.particles, p.init_seed, y);
  const VelocityOptions opt = p.velocityOptions(x, y, 0.0);
  // quiver node (ix, iy) = (2, 4): cell centre x0 + (ix + 1/2) (x1 - x0) / nx
  Points node(2, 1);
  node << -1.0 + 2.5 * (2.0 / 6), -0.5 + 4.5 * (2.0 / 6);
  const FieldResult f = evaluateField(node, {}, x, y, opt, FieldRequest{false, true});
  const std::size_t e = 4 * 6 + 2;
  CHECK(s->velocity.values[2 * e] == doctest::Approx(f.v(0, 0)).epsilon(1e-5));
  CHECK(s->velocity.values[2 * e + 1] == doctest::Approx(f.v(1, 0)).epsilon(1e-5));
  // density node (ix, iy) = (7, 1)
  node << -1.0 + 7.5 * (2.0 / 9), -0.5 + 1.5 * (2.0 / 9);
  const FieldResult g = evaluateField(node, {}, x, y, opt, FieldRequest{false, true});
  const std::size_t k = 1 * 9 + 7;
  CHECK(s->log_p.values[k] == doctest::Approx(g.log_p(0)).epsilon(1e-5));
  CHECK(s->log_q.values[k] == doctest::Approx(g.log_q(0)).epsilon(1e-5));
  CHECK(s->speed.values[k] == doctest::Approx(g.v.col(0).norm()).epsilon(1e-5));

  // while paused, the published velocities are the field at the current particles
  const Points v = particleVelocity(x, y, opt);
  CHECK((s->velocities.cast<double>() - v).cwiseAbs().maxCoeff() <= 1e-5 * (1.0 + v.cwiseAbs().maxCoeff()));

  // a rejected view keeps the old one
  w.send(cmd::SetView{1.0f, 0.0f, -1.0f, 1.0f, 6, 9});
  s = waitFor(w, [](const Snapshot& x) { return x.error.find("view") != std::string::npos; });
  REQUIRE(s);
  CHECK(s->velocity.x0 == -1.0f);
}

TEST_CASE("worker: metrics every k steps, and Reset / NewSeed restart the history with a marker") {
  FlowWorker w(smallParams(), /*start_paused=*/true);
  w.send(cmd::SetMetricsEvery{3});
  for (int i = 0; i < 7; ++i) w.send(cmd::StepOnce{});
  // wait for the history itself (not a fixed sleep, which a loaded machine can outlast): the row of
  // step 6 is the last one these seven steps make
  auto s = waitFor(w, [](const Snapshot& x) {
    return x.step == 7 && x.history && !x.history->rows.empty() && x.history->rows.back().step == 6;
  });
  REQUIRE(s);
  REQUIRE(s->history);
  std::vector<long> steps;
  for (const Metrics& m : s->history->rows) steps.push_back(m.step);
  CHECK(steps == std::vector<long>{0, 3, 6});

  w.send(cmd::Reset{});
  s = waitFor(w, [](const Snapshot& x) { return x.step == 0 && !x.history->markers.empty(); });
  REQUIRE(s);
  CHECK(s->history->markers.back().label == "reset");
  REQUIRE(s->history->rows.size() == 1);
  CHECK(s->history->rows[0].step == 0);
  CHECK(s->time == 0.0);

  w.send(cmd::NewSeed{42});
  s = waitFor(w, [](const Snapshot& x) { return x.params.data_seed == 42; });
  REQUIRE(s);
  CHECK(s->params.init_seed == 43);
  CHECK(s->params_version == 1);
  CHECK(s->history->markers.back().label == "new seed");
  CHECK(w.stepsDone() == 7);
}

TEST_CASE("worker: edits, dataset and init commands change the run without restarting it") {
  FlowWorker w(smallParams(40, 50), /*start_paused=*/true);
  w.send(cmd::StepOnce{});
  w.send(cmd::StepOnce{});
  REQUIRE(waitFor(w, [](const Snapshot& x) { return x.step == 2; }));

  w.send(cmd::AddParticles{Points::Constant(2, 3, 0.5)});
  w.send(cmd::AddParticlesFromKde{5});
  w.send(cmd::RemoveParticles{2});
  auto s = waitFor(w, [](const Snapshot& x) { return x.particles.cols() == 46; });
  REQUIRE(s);
  CHECK(s->step == 2);

  w.send(cmd::AddData{Points::Constant(2, 4, -0.5)});
  s = waitFor(w, [](const Snapshot& x) { return x.data.cols() == 54; });
  REQUIRE(s);
  w.send(cmd::ClearData{});
  s = waitFor(w, [](const Snapshot& x) { return x.data.cols() == 1; });
  REQUIRE(s);
  CHECK(s->history->markers.back().label == "clear data");
  CHECK(s->mode_centres.cols() == 0);

  w.send(cmd::SetDataset{"two_moons"});
  s = waitFor(w, [](const Snapshot& x) { return x.params.dataset == "two_moons"; });
  REQUIRE(s);
  CHECK(s->data.cols() == 50);
  CHECK(s->history->markers.back().label == "dataset=two_moons");
  CHECK(s->step == 2);

  w.send(cmd::SetInit{"far"});
  s = waitFor(w, [](const Snapshot& x) { return x.params.init == "far"; });
  REQUIRE(s);
  CHECK(s->particles.cols() == 40);
  CHECK(s->step == 2);
  CHECK(snapshotProblem(*s) == "");
}

TEST_CASE("worker: STRESS random commands from one thread, a concurrent reader, clean shutdown") {
  constexpr int kCommands = 6000;
  FlowParams base = smallParams(64, 64);
  std::atomic<long> reads{0}, distinct{0};
  std::string reader_problem;  // written by the reader thread only, read after join

  {
    FlowWorker w(base);
    // declared after the worker: stopped and joined first, also when a REQUIRE below throws
    std::jthread reader([&](std::stop_token st) {
      std::shared_ptr<const Snapshot> prev = w.latest();
      std::uint64_t prev_version = 0;
      while (!st.stop_requested()) {
        auto s = w.latest();
        ++reads;
        if (!s) {
          reader_problem = "null snapshot";
          break;
        }
        if (s != prev) {
          ++distinct;
          std::string problem = snapshotProblem(*s);
          if (prev && s->snapshot_id <= prev->snapshot_id) problem = "snapshot ids not increasing";
          if (s->params_version < prev_version) problem = "params_version decreased";
          if (!problem.empty()) {
            reader_problem = problem + " (snapshot " + std::to_string(s->snapshot_id) + ")";
            break;
          }
          prev_version = s->params_version;
          prev = s;
        }
      }
    });

    std::mt19937 rng(20260310);
    auto uni = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    auto points = [&](int rows, int cols) {
      Points m(rows, cols);
      for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = uni(-1.5, 1.5);
      return m;
    };
    const char* datasets[] = {"eight_gaussians", "two_moons", "checkerboard", "rings", "spiral", "nope"};
    const char* inits[] = {"gaussian", "far", "collapsed", "uniform", "bogus"};
    const char* settings[] = {"kernel=laplacian", "kernel=gaussian", "kernel=nope", "step=-1", "step=0.02",
                              "bandwidth=0.2", "bandwidth=median", "bandwidth=silverman", "bandwidth=0",
                              "divergence=mixed", "divergence=mmd", "divergence=drift", "integrator=heun",
                              "integrator=euler", "particles=0", "particles=50", "samples=70", "alpha=nan",
                              "velocity=smoothed", "velocity=plugin", "smoothed_grid=16", "leave_one_out=false",
                              "displacement_cap=0", "unknown_key=1", "seed=9"};

    // small grids keep the worker fast (under ThreadSanitizer too)
    w.send(cmd::SetView{-2.0f, -2.0f, 2.0f, 2.0f, 8, 8});
    for (int i = 0; i < kCommands; ++i) {
      switch (pick(20)) {
        case 0: {
          FlowParams p = base;
          p.kernel.kind = static_cast<KernelKind>(pick(6));
          p.bandwidth.h = pick(10) == 0 ? -1.0 : uni(0.05, 0.5);
          p.bandwidth.rule = static_cast<BandwidthRule>(pick(5));
          p.weights = pick(2) ? DivergenceWeights::mixedDefault()
                              : DivergenceWeights::single(static_cast<Divergence>(pick(kNumDivergences)));
          p.integrator = pick(2) ? Integrator::Euler : Integrator::Heun;
          p.step = uni(0.001, 0.05);
          p.particles = 1 + pick(100);
          p.samples = 1 + pick(100);
          p.dataset = datasets[pick(6)];
          p.init = inits[pick(5)];
          p.smoothed_grid = 16;
          p.velocity_mode = pick(8) == 0 ? VelocityMode::ExactSmoothed : VelocityMode::PlugIn;
          w.send(cmd::SetParams{p, pick(2) ? "" : "stress"});
          break;
        }
        case 1: w.send(cmd::SetParam{settings[pick(static_cast<int>(std::size(settings)))]}); break;
        case 2: w.send(cmd::Reset{}); break;
        case 3: w.send(cmd::NewSeed{static_cast<std::uint64_t>(pick(1000))}); break;
        case 4: w.send(cmd::Pause{}); break;
        case 5: w.send(cmd::Resume{}); break;
        case 6: w.send(cmd::StepOnce{}); break;
        case 7: w.send(cmd::AddParticles{points(pick(10) == 0 ? 3 : 2, pick(4))}); break;
        case 8: w.send(cmd::AddParticlesFromKde{pick(7) - 1}); break;
        case 9: w.send(cmd::RemoveParticles{pick(40) - 1}); break;
        case 10: {
          Eigen::VectorXd pos = points(2, 1).col(0);
          if (pick(10) == 0) pos(0) = std::nan("");
          w.send(cmd::MoveParticle{pick(100) - 1, pos});
          break;
        }
        case 11: w.send(cmd::AddData{points(2, pick(4))}); break;
        case 12: w.send(cmd::EraseData{points(2, 1).col(0), uni(-0.1, 0.5)}); break;
        case 13: w.send(cmd::ClearData{}); break;
        case 14: w.send(cmd::SetDataset{datasets[pick(6)]}); break;
        case 15: w.send(cmd::SetData{points(pick(20) == 0 ? 3 : 2, pick(30))}); break;
        case 16: w.send(cmd::SetInit{inits[pick(5)]}); break;
        case 17: {
          const float a = static_cast<float>(uni(-2, 0)), b = static_cast<float>(uni(-1, 2));
          w.send(cmd::SetView{a, a, b, b, pick(12), pick(12)});
          break;
        }
        case 18: w.send(cmd::SetStepsPerPublish{pick(5)}); break;
        case 19: w.send(cmd::SetMetricsEvery{pick(10)}); break;
      }
      if (i % 25 == 0) std::this_thread::sleep_for(1ms);
      if (i % 100 == 99) {
        // let the worker catch up now and then, so commands interleave with steps and publishes:
        // every applied batch is published, so one more command must produce a newer snapshot
        const std::uint64_t id = w.latest()->snapshot_id;
        w.send(cmd::SetStepsPerPublish{1 + pick(3)});
        REQUIRE(waitFor(w, [&](const Snapshot& x) { return x.snapshot_id > id; }));
      }
    }
    // a known final state: every command before this one has been applied once it shows up
    FlowParams final_params = base;
    final_params.init_seed = 777;
    w.send(cmd::SetParams{final_params, "final"});
    w.send(cmd::Resume{});
    const auto s = waitFor(w, [](const Snapshot& x) { return x.params.init_seed == 777 && !x.paused; });
    REQUIRE(s);
    CHECK(s->snapshot_id >= kCommands / 100);  // at least one publish per catch-up above
    reader.request_stop();
    reader.join();
  }  // the worker is destroyed here, possibly mid-step: it must join cleanly

  CHECK(reader_problem == "");
  CHECK(reads.load() > 0);
  CHECK(distinct.load() >= 5);  // the reader really saw publishes happen concurrently
}

TEST_CASE("worker: latest() never waits for a step in progress") {
  FlowParams p = smallParams(kHeavyN, kHeavyN);
  FlowWorker w(p);
  // a step at this size takes far longer than 1000 pointer copies; find a window inside one step
  REQUIRE(waitFor(w, [&](const Snapshot&) { return w.stepsDone() >= 1; }, 600.0));
  bool inside_one_step = false;
  for (int attempt = 0; attempt < 20 && !inside_one_step; ++attempt) {
    const std::uint64_t before = w.stepsDone();
    std::uint64_t id_sum = 0;
    for (int i = 0; i < 1000; ++i) id_sum += w.latest()->snapshot_id;
    inside_one_step = w.stepsDone() == before && id_sum > 0;
  }
  CHECK(inside_one_step);
  // commands sent now are picked up between steps; the destructor joins after the current step
  w.send(cmd::Pause{});
}
