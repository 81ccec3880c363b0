// driftlab-cli bench: measures the kernel sums and the engine (docs/PERFORMANCE.md).
//   table   : per kernel and N = M: pairs/s and field evaluations/s of the forward-KL field on the
//             exact float32 path, engine steps/s (the kernel's default mixed flow), threads, peak RSS
//   float64 : exact64 pairs/s; thread scaling: one thread vs all
//   grid    : engine steps/s of the default preset at N = M = --grid-n on the grid path, and the
//             relative RMS error of the grid field against the exact field on a particle subsample
//             for every 2-D preset at its default bandwidth
//   field   : with --data/--particles, times one field on given CSVs and writes it (bench/compare)
// Timings are medians of several runs, wall clock; the load average and the CPU/wall ratio are
// printed so that a busy machine is visible in the numbers. Main thread only.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <memory>
#include <numeric>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "cli_util.hpp"
#include "command.hpp"
#include "progress.hpp"
#include "driftlab/kde/compute_path.hpp"
#include "driftlab/io/csv.hpp"
#include "driftlab/io/points_file.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/base/thread_pool.hpp"
#include "driftlab/field/velocity.hpp"

namespace driftlab::cli {

namespace {

struct BenchArgs {
  bool quick = false;
  std::string kernel = "all";
  std::string sizes;
  int threads = 0;
  std::string grid_n = "1000000";
  bool no_grid = false;
  // field mode (bench/compare)
  std::string data, particles, out;
  std::string bandwidth = "0.1";
  std::string path = "exact";
  int repeat = 5;
  ProgressFlags progress;
};

double wallNow() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
double cpuNow() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}
double peakRssMiB() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}
std::string firstLineWith(const char* file, const char* key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) {
      const auto colon = line.find(':');
      return colon == std::string::npos ? line : line.substr(colon + 2);
    }
  return "unknown";
}
std::string loadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

struct Timing {
  double median = 0.0;     // seconds per call (wall)
  double cpu_ratio = 0.0;  // process CPU seconds / wall seconds over all runs
  double cpu_total = 0.0;  // process CPU seconds over all runs
  int runs = 0;
  // mean CPU seconds per call: on a machine shared with other jobs this, not the wall time, shows
  // what the code costs; rate per CPU-second x threads = the rate on that many idle cores if it scales
  double cpuPerCall() const { return cpu_total / std::max(1, runs); }
};

// runs fn at least min_runs times and until min_seconds have passed (at most max_runs)
Timing timeMedian(const std::function<void()>& fn, int min_runs, double min_seconds, int max_runs) {
  std::vector<double> t;
  const double w0 = wallNow(), c0 = cpuNow();
  while (int(t.size()) < max_runs && (int(t.size()) < min_runs || wallNow() - w0 < min_seconds)) {
    const double s = wallNow();
    fn();
    t.push_back(wallNow() - s);
  }
  Timing r;
  std::sort(t.begin(), t.end());
  r.median = t[t.size() / 2];
  r.cpu_total = cpuNow() - c0;
  r.cpu_ratio = r.cpu_total / std::max(1e-9, wallNow() - w0);
  r.runs = int(t.size());
  return r;
}

std::vector<int> selfIndex(long n) {
  std::vector<int> s(static_cast<std::size_t>(n));
  std::iota(s.begin(), s.end(), 0);
  return s;
}

// the Gaussian forward-KL field that bench/compare times against numpy and PyTorch (and the table's pairs/s)
VelocityOptions forwardKlOptions(KernelKind kind, double h) {
  VelocityOptions opt;
  opt.kernel.kind = kind;
  opt.kernel.h = h;
  opt.weights = DivergenceWeights::single(Divergence::ForwardKL);
  opt.leave_one_out = true;
  return opt;
}

std::vector<int> parseSizes(const std::string& text) {
  std::vector<int> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(parsePointCount("--sizes", item));
  DRIFTLAB_CHECK(!out.empty(), "--sizes: expected a list like 1024,4096 (got '" + text + "')");
  return out;
}

std::vector<KernelKind> parseKernels(const std::string& text) {
  std::vector<KernelKind> out;
  if (text == "all") {
    for (int k = 0; k < 6; ++k) out.push_back(static_cast<KernelKind>(k));
    return out;
  }
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(parseKernelKind(item));
  return out;
}

double relativeRms(const Points& a, const Points& b) { return (a - b).norm() / std::max(1e-300, b.norm()); }

// ---- the table ----
void benchTable(const BenchArgs& a, ThreadPool& pool, ProgressLine& progress, long long& done) {
  const std::vector<int> sizes =
      !a.sizes.empty() ? parseSizes(a.sizes) : a.quick ? std::vector<int>{1024, 4096} : std::vector<int>{1024, 4096, 16384, 65536};
  const std::vector<KernelKind> kernels = parseKernels(a.kernel);
  const double budget = a.quick ? 0.3 : 1.0;  // seconds of timing per measurement
  std::printf("\nexact float32 path ('exact'), forward-KL field (pairs/s, fields/s) and engine steps/s (default\n"
              "mixed flow, Euler), eight_gaussians data, gaussian init, h = 0.1, leave-one-out\n");
  std::printf("%-10s %7s %11s %10s %9s %9s %7s %9s %12s %9s\n", "kernel", "N=M", "pairs/s", "fields/s", "ms/field",
              "steps/s", "threads", "cpu/wall", "pairs/cpu-s", "peak MiB");
  for (KernelKind kind : kernels)
    for (int n : sizes) {
      progress.update(done++);
      const Points data = sampleDataset("eight_gaussians", n, 1).points;
      const Points x = initialParticles("gaussian", n, 2, data);
      const std::vector<int> self = selfIndex(n);
      VelocityOptions opt = forwardKlOptions(kind, 0.1);
      opt.path = ComputePath::Exact32;  // the engine steps below take their own (the preset's) path
      const double pairs = double(n) * double(2 * n);
      const int min_runs = pairs > 2e9 ? 1 : 3;
      const Timing field = timeMedian([&] { (void)evaluateField(x, self, x, data, opt); }, min_runs, budget, 50);

      FlowParams params;
      params.dataset = "eight_gaussians";
      params.samples = n;
      params.particles = n;
      params.kernel.kind = kind;
      FlowEngine engine(params);
      const Timing step = timeMedian([&] { (void)engine.step(); }, min_runs, budget, 50);
      progress.clear();  // stdout may be the same terminal
      std::printf("%-10s %7d %11.3g %10.3g %9.2f %9.3g %7d %9.2f %12.3g %9.0f\n", kernelName(kind), n,
                  pairs / field.median, 1.0 / field.median, 1e3 * field.median, 1.0 / step.median, pool.size(),
                  field.cpu_ratio, pairs / field.cpuPerCall(), peakRssMiB());
      std::fflush(stdout);
    }
}

// ---- float64 and thread scaling (Gaussian and Laplacian, N = M = 4096) ----
void benchScaling(const BenchArgs& a, ThreadPool& pool, ProgressLine& progress, long long& done) {
  const int n = 4096;
  const Points data = sampleDataset("eight_gaussians", n, 1).points;
  const Points x = initialParticles("gaussian", n, 2, data);
  const std::vector<int> self = selfIndex(n);
  const double pairs = double(n) * double(2 * n);
  const double budget = a.quick ? 0.3 : 1.0;
  std::printf("\nprecision and threads, forward-KL field, N = M = %d\n", n);
  std::printf("%-10s %-8s %8s %11s %9s %12s\n", "kernel", "path", "threads", "pairs/s", "cpu/wall", "pairs/cpu-s");
  ThreadPool one(1);
  for (KernelKind kind : {KernelKind::Gaussian, KernelKind::Laplacian}) {
    VelocityOptions opt = forwardKlOptions(kind, 0.1);
    double rate_one = 0, rate_all = 0, cpu_rate_one = 0, cpu_rate_all = 0;
    for (ComputePath path : {ComputePath::Exact32, ComputePath::Exact64})
      for (ThreadPool* p : {&one, &pool}) {
        ThreadPoolScope pool_scope(*p);
        opt.path = path;
        progress.update(done++);
        const Timing t = timeMedian([&] { (void)evaluateField(x, self, x, data, opt); }, 3, budget, 50);
        progress.clear();
        std::printf("%-10s %-8s %8d %11.3g %9.2f %12.3g\n", kernelName(kind), computePathName(path), p->size(),
                    pairs / t.median, t.cpu_ratio, pairs / t.cpuPerCall());
        if (path == ComputePath::Exact32) {
          (p == &one ? rate_one : rate_all) = pairs / t.median;
          (p == &one ? cpu_rate_one : cpu_rate_all) = pairs / t.cpuPerCall();
        }
      }
    // parallel efficiency from CPU time: independent of other jobs on the machine
    std::printf("%-10s exact, %d threads vs 1: wall-clock speedup %.2fx; CPU-time efficiency %.2f (speedup on idle "
                "cores ~%.2fx)\n", kernelName(kind), pool.size(), rate_all / rate_one, cpu_rate_all / cpu_rate_one,
                pool.size() * cpu_rate_all / cpu_rate_one);
  }
  std::fflush(stdout);
}

// ---- grid path at a million ----
void benchGrid(const BenchArgs& a, ThreadPool& pool, ProgressLine& progress, long long& done) {
  const long long grid_n = parseInteger("--grid-n", a.grid_n, 1000, kMaxPoints);
  const int n = int(a.quick ? std::min<long long>(grid_n, 200000) : grid_n);
  const int subsample = 1000;
  std::printf("\ngrid path, N = M = %d: engine steps/s on the default preset, and per 2-D preset the relative\n"
              "RMS error of the grid velocity vs the exact float32 velocity on %d particles (t = 0)\n", n, subsample);
  {
    progress.update(done++);
    Scenario s = presetScenario("default");
    s.params.samples = n;
    s.params.particles = n;
    const double t0 = wallNow();
    FlowEngine engine(s.params);
    const double setup = wallNow() - t0;
    // the preset's path is auto, which takes the grid at this size (compute_path.hpp)
    // the first steps are slower: the blob starts far from the modes, its far rows are summed over
    // node masses, then Gaussian-tail rows follow it in (measured at 1e6: ~240 ms at step 1,
    // 50-90 ms at steps 5-25, settled from about step 25); they are timed apart from the steady state
    constexpr int kFirstSteps = 25;
    const double t_first = wallNow();
    for (int k = 0; k < kFirstSteps; ++k) (void)engine.step();
    const double first = (wallNow() - t_first) / kFirstSteps;
    const Timing step = timeMedian([&] { (void)engine.step(); }, a.quick ? 3 : 5, a.quick ? 1.0 : 3.0, 20);
    progress.clear();
    std::printf("default preset: %.3g steps/s (%.1f ms/step, median of %d after the first %d, cpu/wall %.2f, "
                "%.1f CPU-ms/step); first %d steps %.1f ms/step; setup %.2f s, peak RSS %.0f MiB, %d threads\n",
                1.0 / step.median, 1e3 * step.median, step.runs, kFirstSteps, step.cpu_ratio, 1e3 * step.cpuPerCall(),
                kFirstSteps, 1e3 * first, setup, peakRssMiB(), pool.size());
    // what one metrics row costs the worker (it computes them on fixed subsamples, MetricsOptions)
    const Timing metrics = timeMedian([&] { (void)engine.metrics(); }, 1, a.quick ? 0.5 : 1.0, 5);
    progress.clear();
    std::printf("metrics row (fixed subsamples): %.1f ms\n", 1e3 * metrics.median);
    std::fflush(stdout);
  }
  std::printf("%-26s %-12s %-10s %8s %10s %10s\n", "preset", "kernel", "h", "rel RMS", "grid ms", "exact ms");
  for (const auto& entry : presetCatalog()) {
    progress.update(done++);
    Scenario s = presetScenario(entry.name);
    s.params.samples = n;
    s.params.particles = n;
    // DM double normalization and Sinkhorn normalize over all particles: their exact reference costs
    // N^2 even on a subsample, so they are left out at this size
    if (s.params.weights[Divergence::DriftDouble] > 0 || s.params.weights[Divergence::Sinkhorn] > 0) {
      progress.clear();
      std::printf("%-26s skipped: its exact reference needs all N^2 pairs\n", entry.name.c_str());
      continue;
    }
    try {
      FlowEngine engine(s.params);
      if (engine.dim() != 2) continue;
      VelocityOptions opt = engine.velocityOptions();
      const Points& x = engine.particles();
      const Points& y = engine.data();
      double h_min = opt.kernel.h;
      for (double h : opt.extra_bandwidths) h_min = std::min(h_min, h);
      const double extent = std::max((x.rowwise().maxCoeff().cwiseMax(y.rowwise().maxCoeff()) -
                                      x.rowwise().minCoeff().cwiseMin(y.rowwise().minCoeff())).maxCoeff(), 0.0);
      if (!gridPathCovers(extent, h_min)) {
        // the exact N x N field instead would take minutes at this size
        progress.clear();
        std::printf("%-26s skipped: the grid declines (box %.3g wide at h = %.3g; the exact path runs)\n",
                    entry.name.c_str(), extent, h_min);
        continue;
      }
      const std::vector<int> self = selfIndex(x.cols());
      const long stride = std::max<long>(1, x.cols() / subsample);
      Points xs(2, (x.cols() + stride - 1) / stride);
      std::vector<int> self_s(static_cast<std::size_t>(xs.cols()));
      for (long i = 0; i < xs.cols(); ++i) {
        xs.col(i) = x.col(i * stride);
        self_s[std::size_t(i)] = int(i * stride);
      }
      FieldResult grid, exact;
      double t_grid = 0, t_exact = 0;
      std::vector<double> scale_norms;  // multi-scale: per-scale RMS over all particles
      {
        opt.path = ComputePath::Grid;
        const double t0 = wallNow();
        grid = evaluateField(x, self, x, y, opt);
        t_grid = wallNow() - t0;
        // the exact reference on the subsample gets these norms (scalars, from the grid field):
        // computing them exactly would need the whole N x N field
        if (!opt.extra_bandwidths.empty()) scale_norms = multiScaleNorms(x, y, opt);
      }
      {
        opt.path = ComputePath::Exact32;
        const double t0 = wallNow();
        exact = evaluateField(xs, self_s, x, y, opt, FieldRequest{}, scale_norms);
        t_exact = wallNow() - t0;
      }
      Points grid_s(2, xs.cols());
      for (long i = 0; i < xs.cols(); ++i) grid_s.col(i) = grid.v.col(i * stride);
      char h_text[32];
      std::snprintf(h_text, sizeof h_text, "%.3g", opt.kernel.h);
      progress.clear();
      std::printf("%-26s %-12s %-10s %8.2e %10.1f %10.1f\n", entry.name.c_str(), kernelName(opt.kernel.kind), h_text,
                  relativeRms(grid_s, exact.v), 1e3 * t_grid, 1e3 * t_exact);
    } catch (const InvalidArgument& e) {
      progress.clear();
      std::printf("%-26s skipped: %s\n", entry.name.c_str(), e.what());
    }
    std::fflush(stdout);
  }
  progress.clear();
  std::printf("peak RSS %.0f MiB\n", peakRssMiB());
}

// ---- field mode for bench/compare ----
void benchField(const BenchArgs& a) {
  checkOutputOption("--out", a.out);
  const Points y = readPoints(a.data);
  const Points x = readPoints(a.particles);
  DRIFTLAB_CHECK(x.rows() == y.rows(), "dimension mismatch: " + a.particles + " vs " + a.data);
  const double h = parseDouble("--bandwidth", a.bandwidth);
  DRIFTLAB_CHECK(h > 0.0 && std::isfinite(h), "--bandwidth: must be > 0 (got " + a.bandwidth + ")");
  const ComputePath path = parseComputePath(a.path);
  VelocityOptions opt = forwardKlOptions(KernelKind::Gaussian, h);
  opt.path = path;
  const std::vector<int> self = selfIndex(x.cols());
  FieldResult r;
  const Timing t = timeMedian([&] { r = evaluateField(x, self, x, y, opt); }, std::max(1, a.repeat), 0.0, std::max(1, a.repeat));
  std::printf("path=%s threads=%d seconds_median=%.6g pairs_per_second=%.4g runs=%d\n", computePathName(path),
              currentThreadPool().size(), t.median, double(x.cols()) * double(x.cols() + y.cols()) / t.median, t.runs);
  if (!a.out.empty()) writePointsOutput(a.out, r.v, coordinateNames(int(x.rows()), "v"));
}

void runBench(const BenchArgs& a) {
  DRIFTLAB_CHECK(a.threads >= 0 && a.threads <= 1024, "--threads: must be 0 (all) .. 1024 (got " + std::to_string(a.threads) + ")");
  ThreadPool pool(a.threads);
  ThreadPoolScope pool_scope(pool);
  if (!a.data.empty() || !a.particles.empty()) {
    DRIFTLAB_CHECK(!a.data.empty() && !a.particles.empty(), "bench field mode: give both --data and --particles");
    benchField(a);
    return;
  }
  // bad options fail before anything is measured
  if (!a.sizes.empty()) (void)parseSizes(a.sizes);
  (void)parseKernels(a.kernel);
  if (!a.no_grid) (void)parseInteger("--grid-n", a.grid_n, 1000, kMaxPoints);
  std::printf("driftlab bench: %s, %u hardware threads, using %d; load average at start %s\n",
              firstLineWith("/proc/cpuinfo", "model name").c_str(), std::thread::hardware_concurrency(), pool.size(),
              loadAverage().c_str());
  // one count per printed measurement: table cells, 8 precision/thread rows, the grid rows
  const std::size_t cells = (!a.sizes.empty() ? parseSizes(a.sizes).size() : a.quick ? 2 : 4) * parseKernels(a.kernel).size();
  const std::size_t grid = a.no_grid ? 0 : 1 + presetCatalog().size();
  ProgressLine progress(a.progress, false, "bench", "measurement", static_cast<long long>(cells + 8 + grid));
  long long done = 0;
  benchTable(a, pool, progress, done);
  benchScaling(a, pool, progress, done);
  if (!a.no_grid) benchGrid(a, pool, progress, done);
  progress.clear();
  std::printf("\nload average at end %s\n", loadAverage().c_str());
}

const CommandRegistration kBench("bench", [](CLI::App& app) {
  auto a = std::make_shared<BenchArgs>();
  CLI::App* sub = app.add_subcommand("bench", "Measure the kernel sums and the engine (pairs/s, steps/s, grid path)");
  sub->add_flag("--quick", a->quick, "sizes 1024,4096, shorter timings, grid at <= 200000");
  sub->add_option("--kernel", a->kernel, "kernel name, comma list, or all (default all)");
  sub->add_option("--sizes", a->sizes, "N = M list (default 1024,4096,16384,65536)");
  sub->add_option("--threads", a->threads, "threads (default 0 = all hardware threads)");
  sub->add_option("--grid-n", a->grid_n, "N = M for the grid-path measurement (default 1000000)");
  sub->add_flag("--no-grid", a->no_grid, "skip the grid-path measurement");
  sub->add_option("--data", a->data, "field mode: data CSV or .npy (with --particles; Gaussian forward-KL field)");
  sub->add_option("--particles", a->particles, "field mode: particle CSV or .npy");
  sub->add_option("--bandwidth", a->bandwidth, "field mode: h (default 0.1)");
  sub->add_option("--path", a->path, "field mode: exact64 | exact | grid | auto (default exact)");
  sub->add_option("--repeat", a->repeat, "field mode: timed repetitions (default 5)");
  sub->add_option("--out", a->out, "field mode: velocity CSV (vx,vy...), or .npy by its extension");
  addProgressFlags(sub, a->progress);
  sub->callback([a] { runBench(*a); });
});

}  // namespace

}  // namespace driftlab::cli
