// GeneratorWorker (generator_worker.hpp): live training on its own thread, live parameter
// changes with markers, pause/step, rejected particle commands, model saving, the latent grid,
// and a stress run of random commands against a concurrent reader. No wall-clock assertions:
// waits have generous timeouts that only guard against hangs.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

#include "driftlab/run/flow_worker.hpp"
#include "driftlab/run/generator_worker.hpp"
#include "driftlab/generator/model_file.hpp"
#include "worker_wait.hpp"

using namespace driftlab;
using driftlab::testing::waitFor;
using namespace std::chrono_literals;

namespace {

// gen_checkerboard shrunk so that a step takes about a millisecond, with a 2-D latent (latent grid view)
GeneratorScenario smallScenario() {
  GeneratorScenario s = generatorPreset("gen_checkerboard");
  for (const char* kv : {"latent=2", "widths=16,16", "batch=64", "data_batch=64", "sample_count=96"}) applyGeneratorSetting(s, kv);
  s.metrics_every = 5;
  return s;
}

bool hasMarker(const Snapshot& s, const std::string& label) {
  if (!s.history) return false;
  for (const auto& m : s.history->markers)
    if (m.label == label) return true;
  return false;
}

std::string tempPath(const char* name) {
  return (std::filesystem::temp_directory_path() / (std::string("driftlab_genworker_") + name)).string();
}

}  // namespace

TEST_CASE("generator worker: trains live, SetParam mid-training advances params_version with a marker") {
  GeneratorWorker w(smallScenario());
  auto first = waitFor(w, [](const Snapshot& s) { return (s.generator != nullptr) && s.step >= 10 && s.particles.cols() > 0; });
  REQUIRE(first);
  CHECK(first->particles.rows() == 2);
  CHECK(first->particles.cols() == 96);  // the fixed noise batch (sample_count)
  CHECK(first->velocities.cols() == first->particles.cols());
  CHECK(first->data.rows() == 2);
    CHECK(first->generator->name == "gen_checkerboard");
  CHECK(first->params.kernel.kind == KernelKind::Laplacian);
  // 2-D latent: the warped latent grid is published
  CHECK(first->generator->latent_nx >= 2);
  CHECK(first->generator->latent_grid.cols() == first->generator->latent_nx * first->generator->latent_ny);

  const std::uint64_t v0 = first->params_version;
  w.send(cmd::SetParam{"kernel=gaussian"});
  auto after = waitFor(w, [&](const Snapshot& s) {
    return s.params_version > v0 && s.params.kernel.kind == KernelKind::Gaussian && hasMarker(s, "kernel=gaussian");
  });
  REQUIRE(after);
  CHECK(after->error.empty());
  const long step_at_change = after->step;
  // training goes on without a restart: the step counter keeps growing past the change
  auto later = waitFor(w, [&](const Snapshot& s) { return s.step >= step_at_change + 10; });
  REQUIRE(later);
  CHECK(later->params.kernel.kind == KernelKind::Gaussian);
  // metric rows (objective = loss) at the metrics cadence; the loss of a trained step is > 0
  auto rows = waitFor(w, [](const Snapshot& s) { return s.history && s.history->rows.size() >= 3; });
  REQUIRE(rows);
  const Metrics& last = rows->history->rows.back();
  CHECK(last.step > 0);
  CHECK(std::isfinite(last.objective));
  CHECK(last.objective > 0.0);

  // a generator key goes through applyGeneratorSetting
  const std::uint64_t v1 = later->params_version;
  w.send(cmd::SetParam{"lr=0.0005"});
  auto lr = waitFor(w, [&](const Snapshot& s) { return s.params_version > v1 && hasMarker(s, "lr=0.0005"); });
  REQUIRE(lr);
  CHECK(lr->generator->settings.find("lr 0.0005") != std::string::npos);
}

TEST_CASE("generator worker: Pause stops training, StepOnce advances exactly one step") {
  GeneratorWorker w(smallScenario(), true);
  auto s0 = waitFor(w, [](const Snapshot& s) { return s.paused && s.particles.cols() > 0; });
  REQUIRE(s0);
  CHECK(s0->step == 0);
  CHECK(w.stepsDone() == 0u);
  w.send(cmd::StepOnce{});
  auto s1 = waitFor(w, [](const Snapshot& s) { return s.step == 1; });
  REQUIRE(s1);
  // commands are handled in order, so once a later (rejected) command shows its error the loop has
  // gone round after the StepOnce: a worker that kept stepping would show it here, with no sleep
  w.send(cmd::AddParticlesFromKde{10});
  auto later = waitFor(w, [](const Snapshot& s) { return !s.error.empty(); });
  REQUIRE(later);
  CHECK(later->step == 1);
  CHECK(w.latest()->step == 1);
  CHECK(w.stepsDone() == 1u);
  w.send(cmd::Resume{});
  REQUIRE(waitFor(w, [](const Snapshot& s) { return s.step >= 5 && !s.paused; }));
  w.send(cmd::Pause{});
  REQUIRE(waitFor(w, [](const Snapshot& s) { return s.paused; }));
  w.send(cmd::Reset{});
  auto r = waitFor(w, [](const Snapshot& s) { return s.step == 0 && hasMarker(s, "reset"); });
  REQUIRE(r);
  CHECK(r->history->markers.size() == 1u);
}

// The display has its own cadences (points, grid fields); a paused worker must still deliver the
// grids of every view it is sent, back to back (the headless capture sends one per frame), drawn
// from the samples of the current network.
TEST_CASE("generator worker: paused, each new view gets its grid fields from the current samples") {
  const GeneratorScenario sc = smallScenario();
  GeneratorWorker w(sc, true);
  REQUIRE(waitFor(w, [](const Snapshot& s) { return s.paused && !s.velocity.empty(); }));
  w.send(cmd::StepOnce{});
  w.send(cmd::SetView{-1.25f, -1.5f, 1.5f, 1.5f, 8, 12});
  auto a = waitFor(w, [](const Snapshot& s) { return s.step == 1 && !s.velocity.empty() && s.velocity.x0 == -1.25f; });
  REQUIRE(a);
  w.send(cmd::SetView{-1.0f, -1.5f, 1.5f, 1.5f, 8, 12});  // well within the grids' training-time interval
  auto b = waitFor(w, [](const Snapshot& s) { return !s.velocity.empty() && s.velocity.x0 == -1.0f; }, 20.0);
  REQUIRE(b);
  CHECK(b->step == 1);
  // the same network after one step, rebuilt here: the shown samples are its fixed-noise batch
  GeneratorEngine e(sc.params);
  e.step();
  const PointsF expected = e.samples().cast<float>();
  REQUIRE(b->particles.cols() == expected.cols());
  CHECK((b->particles - expected).cwiseAbs().maxCoeff() == 0.0f);
  CHECK(b->velocity.nx == 8);
}

TEST_CASE("generator worker: particle commands are rejected in one line and the run goes on") {
  GeneratorWorker w(smallScenario());
  REQUIRE(waitFor(w, [](const Snapshot& s) { return s.step >= 2; }));
  w.send(cmd::AddParticlesFromKde{10});
  auto e = waitFor(w, [](const Snapshot& s) { return !s.error.empty(); });
  REQUIRE(e);
  CHECK(e->error == "add particles: not available in generator mode");
  const long at = e->step;
  w.send(cmd::SetParam{"lr=-1"});
  auto bad = waitFor(w, [](const Snapshot& s) { return s.error.find("lr") != std::string::npos; });
  REQUIRE(bad);
  CHECK(bad->generator->settings.find("lr 0.001") != std::string::npos);  // unchanged
  REQUIRE(waitFor(w, [&](const Snapshot& s) { return s.step >= at + 5; }));
}

TEST_CASE("generator worker: SaveModel writes a model that loads and reproduces the published samples") {
  const GeneratorScenario sc = smallScenario();
  GeneratorWorker w(sc, true);
  w.send(cmd::StepOnce{});
  w.send(cmd::StepOnce{});
  w.send(cmd::StepOnce{});
  REQUIRE(waitFor(w, [](const Snapshot& s) { return s.step == 3; }));
  const std::string path = tempPath("model.json");
  std::filesystem::remove(path);
  w.send(cmd::SaveModel{path});
  auto saved = waitFor(w, [](const Snapshot& s) { return !s.generator->notice.empty() || !s.error.empty(); });
  REQUIRE(saved);
  CHECK(saved->error.empty());
  CHECK(saved->generator->notice == "saved " + path + " (step 3)");
  const GeneratorModel m = loadModel(path);
  CHECK(m.step == 3);
  CHECK(m.scenario.name == "gen_checkerboard");
  // the display samples are the fixed noise batch through the saved network
  auto shown = waitFor(w, [](const Snapshot& s) { return s.step == 3 && s.particles.cols() == 96; });
  REQUIRE(shown);
  const Points again = generateSamples(m.network, sc.params.sample_count, sc.params.sample_seed);
  REQUIRE(again.cols() == shown->particles.cols());
  CHECK((again.cast<float>() - shown->particles).cwiseAbs().maxCoeff() == doctest::Approx(0.0).epsilon(1e-12));
  std::filesystem::remove(path);
  // a directory that does not exist: one clear line, no crash
  w.send(cmd::SaveModel{"/nonexistent_dir_driftlab/model.json"});
  auto e = waitFor(w, [](const Snapshot& s) { return !s.error.empty(); });
  REQUIRE(e);
  CHECK(e->error.find("nonexistent_dir_driftlab") != std::string::npos);
}

TEST_CASE("generator worker: the particle worker refuses SaveModel") {
  FlowParams p;
  p.particles = 32;
  p.samples = 32;
  FlowWorker w(p, true);
  w.send(cmd::SaveModel{tempPath("never.json")});
  auto e = waitFor(w, [](const Snapshot& s) { return !s.error.empty(); });
  REQUIRE(e);
  CHECK(e->error == "save model: only in generator mode");
  CHECK_FALSE((e->generator != nullptr));
}

TEST_CASE("generator worker: STRESS random commands with a concurrent reader, clean shutdown") {
  GeneratorWorker w(smallScenario());
  std::atomic<bool> stop{false};
  std::atomic<long> reads{0}, bad{0};
  std::thread reader([&] {
    std::uint64_t last_id = 0;
    while (!stop.load()) {
      auto s = w.latest();
      if (s) {
        // counted here, checked on the test thread
        if (s->snapshot_id < last_id || s->velocities.cols() != s->particles.cols()) bad.fetch_add(1);
        last_id = s->snapshot_id;
        reads.fetch_add(1);
      }
      std::this_thread::yield();
    }
  });
  std::mt19937 rng(7);
  const char* settings[] = {"kernel=gaussian", "kernel=laplacian", "lr=0.002", "eta=0.5", "batch=32",
                            "bandwidth=0.1",   "weights.chi2=0.5", "weights.forward_kl=1", "bogus=1", "widths=8"};
  for (int i = 0; i < 300; ++i) {
    switch (rng() % 9) {
      case 0: w.send(cmd::SetParam{settings[rng() % 10]}); break;
      case 1: w.send(cmd::Pause{}); break;
      case 2: w.send(cmd::Resume{}); break;
      case 3: w.send(cmd::StepOnce{}); break;
      case 4: w.send(cmd::Reset{}); break;
      case 5: w.send(cmd::NewSeed{rng() % 1000}); break;
      case 6: w.send(cmd::SetView{-2.f, -2.f, 2.f, 2.f, 8 + static_cast<int>(rng() % 8), 16}); break;
      case 7: w.send(cmd::MoveParticle{0, Eigen::VectorXd::Zero(2)}); break;
      default: w.send(cmd::SetMetricsEvery{1 + static_cast<int>(rng() % 5)}); break;
    }
    if (i % 20 == 0) std::this_thread::sleep_for(2ms);
  }
  w.send(cmd::Resume{});
  const std::uint64_t done = w.stepsDone();
  REQUIRE(waitFor(w, [&](const Snapshot&) { return w.stepsDone() >= done + 5; }));
  stop = true;
  reader.join();
  CHECK(reads.load() > 0);
  CHECK(bad.load() == 0);
  auto s = w.latest();
  REQUIRE(s);
  CHECK((s->generator != nullptr));
  CHECK(s->particles.allFinite());
}
