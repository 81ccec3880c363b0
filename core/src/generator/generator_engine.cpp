// Generator training with the drifting loss. THEORY.md §7.1 (loss and gradient), §7.2 (batch
// construction), §7.3 (GFD generalization to any divergence: target x + eta v).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numeric>
#include <random>
#include <string>

#include "driftlab/io/points_file.hpp"
#include "driftlab/io/name_table.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/generator/generator.hpp"
#include "driftlab/generator/generator_state.hpp"
#include "driftlab/field/velocity.hpp"
#include "driftlab/flow/class_modes.hpp"
#include "driftlab/flow/geometry.hpp"
#include "generator/sphere_output.hpp"

namespace driftlab {

namespace {

constexpr int kMaxBatch = 65536;          // N (N + M) kernel pairs per step: beyond this a step takes minutes
constexpr int kMaxSampleCount = 262144;   // display batch
constexpr int kNoiseBlock = 65536;        // latent noise is drawn in blocks of this many columns
// reserved data-batch keys (training batches use the step index, far below these)
constexpr std::uint64_t kDisplayDataKey = 0xD15D1A7Aull << 20;
constexpr std::uint64_t kMetricsDataKey = 0x3E7B1C5ull << 24;

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// splitmix64 finalizer: turns (seed, index) into well-mixed, independent stream seeds
std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t index) {
  std::uint64_t z = seed * 0x9E3779B97F4A7C15ull + index + 0x632BE59BD9B4E019ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::vector<int> iota(int n) {
  std::vector<int> idx(static_cast<std::size_t>(n));
  std::iota(idx.begin(), idx.end(), 0);
  return idx;
}

// columns [block * kNoiseBlock, ...) of the latent noise for `seed`: each block has its own stream
PointsF noiseBlock(int latent, int cols, std::uint64_t seed, int block) {
  PointsF z(latent, cols);
  std::mt19937_64 rng(mixSeed(seed, static_cast<std::uint64_t>(block)));
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (int c = 0; c < cols; ++c)
    for (int r = 0; r < latent; ++r) z(r, c) = normal(rng);
  return z;
}

double msSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// the field's geometry puts the samples on the unit sphere (THEORY.md §10.7)
bool onSphere(const GeneratorParams& p) { return p.field.geometry != GeometryKind::Euclidean; }

// the network's raw output as the samples of `geometry`: on the sphere scaled to unit length
Points asSamples(const PointsF& raw, GeometryKind geometry) {
  Points g = raw.cast<double>();
  return geometry == GeometryKind::Euclidean ? g : normalizeOutput(g);
}

bool sameNetworkSetup(const GeneratorParams& a, const GeneratorParams& b) {
  return a.arch == b.arch && a.network_init == b.network_init && a.init_scale == b.init_scale &&
         a.init_center == b.init_center && a.network_seed == b.network_seed;
}

}  // namespace

namespace {
constexpr NamedValue<NetworkInit> kNetworkInitNames[] = {{NetworkInit::Default, "default"},
                                                         {NetworkInit::Collapsed, "collapsed"}};
}  // namespace

const char* networkInitName(NetworkInit n) { return nameOf(kNetworkInitNames, n); }

NetworkInit parseNetworkInit(std::string_view name) {
  return valueNamed(kNetworkInitNames, name, "generator.network_init: unknown");
}

void GeneratorParams::validate() const {
  field.validate();
  arch.validate();
  adam.validate();
  DRIFTLAB_CHECK(batch >= 2 && batch <= kMaxBatch, "generator.batch: must be in [2, " + std::to_string(kMaxBatch) +
                                                       "] (got " + std::to_string(batch) + ")");
  DRIFTLAB_CHECK(data_batch >= 1 && data_batch <= kMaxBatch, "generator.data_batch: must be in [1, " +
                                                                 std::to_string(kMaxBatch) + "] (got " +
                                                                 std::to_string(data_batch) + ")");
  DRIFTLAB_CHECK(std::isfinite(eta) && eta > 0 && eta <= 1e6, "generator.eta: must be in (0, 1e6] (got " + num(eta) + ")");
  DRIFTLAB_CHECK(sample_count >= 1 && sample_count <= kMaxSampleCount,
                 "generator.sample_count: must be in [1, " + std::to_string(kMaxSampleCount) + "] (got " +
                     std::to_string(sample_count) + ")");
  DRIFTLAB_CHECK(std::isfinite(init_scale) && init_scale > 0 && init_scale <= 1e3,
                 "generator.init_scale: must be in (0, 1000] (got " + num(init_scale) + ")");
  // only the collapsed start reads it: a run that changes output_dim with the default start must
  // not need a new centre first (there is no order of two --set lines that would satisfy both)
  DRIFTLAB_CHECK(network_init != NetworkInit::Collapsed || static_cast<int>(init_center.size()) == arch.output_dim,
                 "generator.init_center: expected " + std::to_string(arch.output_dim) + " values (got " +
                     std::to_string(init_center.size()) + ") for network_init collapsed");
  for (double c : init_center)
    DRIFTLAB_CHECK(std::isfinite(c), "generator.init_center: values must be finite (got " + num(c) + ")");
  DRIFTLAB_CHECK(std::isfinite(ema) && ema >= 0.0 && ema < 1.0,
                 "generator.ema: must be in [0, 1), 0 = off (got " + num(ema) + ")");
}

VelocityOptions GeneratorParams::velocityOptions(const Points& generated, const Points& data, long step) const {
  // each step moves the batch's target by eta v: eta flow-time units per step (for annealing)
  VelocityOptions opt = field.velocityOptions(generated, data, static_cast<double>(step) * eta);
  opt.path = field.path;  // the one compute path of both modes (the shared setting)
  return opt;
}

bool GeneratorParams::operator==(const GeneratorParams& o) const {
  return field == o.field && arch == o.arch && network_init == o.network_init && init_scale == o.init_scale &&
         init_center == o.init_center && network_seed == o.network_seed && adam == o.adam && batch == o.batch &&
         data_batch == o.data_batch && eta == o.eta && noise_seed == o.noise_seed &&
         sample_count == o.sample_count && sample_seed == o.sample_seed && ema == o.ema;
}

std::vector<std::string> generatorMetricsColumns() {
  std::vector<std::string> cols = metricsColumns();
  cols.push_back("loss");
  cols.push_back("lr");
  return cols;
}

std::string formatGeneratorMetricsRow(const GeneratorMetrics& g) {
  char buf[96];
  std::snprintf(buf, sizeof buf, ",%.10g,%.10g", g.loss, g.lr);
  return formatMetricsRow(g.m) + buf;
}

PointsF latentNoise(int latent, int n, std::uint64_t seed) {
  DRIFTLAB_CHECK(latent >= 1 && n >= 0, "latentNoise: bad shape " + std::to_string(latent) + " x " + std::to_string(n));
  PointsF z(latent, n);
  // blocks with their own streams: the first columns do not depend on n, so a display batch
  // and a longer generate() with the same seed agree on their common samples
  for (int b0 = 0, block = 0; b0 < n; b0 += kNoiseBlock, ++block) {
    const int cols = std::min(kNoiseBlock, n - b0);
    z.middleCols(b0, cols) = noiseBlock(latent, cols, seed, block);
  }
  return z;
}

GeneratorEngine::GeneratorEngine(const GeneratorParams& params) : params_(params) {
  params_.validate();
  rebuildDataInfo();
  initNetwork();
}

GeneratorEngine::GeneratorEngine(const GeneratorParams& params, const Mlp& net, long step) : params_(params) {
  params_.validate();
  DRIFTLAB_CHECK(net.architecture() == params_.arch, "generator: network architecture " + net.architecture().label() +
                                                         " does not match the parameters' " + params_.arch.label());
  DRIFTLAB_CHECK(step >= 0, "generator: negative step count " + std::to_string(step));
  rebuildDataInfo();
  net_ = net;
  adam_ = Adam(net_.parameterCount(), params_.adam);
  step_ = step;
  restartAverage();
}

GeneratorEngine::GeneratorEngine(const GeneratorState& state) { restore(state); }

GeneratorState GeneratorEngine::capture() const {
  GeneratorState s;
  s.params = params_;
  s.weights.assign(net_.parameters().begin(), net_.parameters().end());
  s.ema_weights.assign(ema_net_.parameters().begin(), ema_net_.parameters().end());
  s.ema_updates = ema_updates_;
  s.adam = adam_;
  s.csv_data = csv_data_;
  s.mode_centres = mode_centres_;
  s.mode_weights = mode_weights_;
  s.batch = x_;
  s.velocities = v_;
  s.displacements = d_;
  s.data_batch = y_;
  s.step = step_;
  s.last_loss = last_loss_;
  return s;
}

// the networks are rebuilt from the flat weights (their forward caches are scratch, not state)
void GeneratorEngine::restore(const GeneratorState& s) {
  s.params.validate();
  const long count = s.params.arch.parameterCount();
  DRIFTLAB_CHECK(static_cast<long>(s.weights.size()) == count && static_cast<long>(s.ema_weights.size()) == count &&
                     s.adam.parameterCount() == count,
                 "restore: the state's weights do not match the architecture " + s.params.arch.label());
  DRIFTLAB_CHECK(s.step >= 0 && s.ema_updates >= 0, "restore: negative step count");
  Mlp net, ema;
  net.initShape(s.params.arch);
  ema.initShape(s.params.arch);
  std::copy(s.weights.begin(), s.weights.end(), net.parameters().begin());
  std::copy(s.ema_weights.begin(), s.ema_weights.end(), ema.parameters().begin());
  GeneratorParams params = s.params;
  Adam adam = s.adam;
  Points csv = s.csv_data, centres = s.mode_centres, x = s.batch, v = s.velocities, d = s.displacements,
         y = s.data_batch;
  std::vector<double> weights = s.mode_weights;
  // commit (nothing below throws)
  params_ = std::move(params);
  net_ = std::move(net);
  ema_net_ = std::move(ema);
  ema_updates_ = s.ema_updates;
  adam_ = std::move(adam);
  csv_data_ = std::move(csv);
  mode_centres_ = std::move(centres);
  mode_weights_ = std::move(weights);
  x_ = std::move(x);
  v_ = std::move(v);
  d_ = std::move(d);
  y_ = std::move(y);
  step_ = s.step;
  last_loss_ = s.last_loss;
}

void GeneratorEngine::restartAverage() {
  ema_net_ = net_;
  ema_updates_ = 0;
}

// avg <- d avg + (1 - d) theta with d = min(ema, (1 + k) / (10 + k)) (the warm-up keeps the first
// samples close to the raw weights instead of to the initialization)
void GeneratorEngine::updateAverage() {
  if (!(params_.ema > 0.0)) return;
  ++ema_updates_;
  const double k = static_cast<double>(ema_updates_);
  const float decay = static_cast<float>(std::min(params_.ema, (1.0 + k) / (10.0 + k)));
  const std::span<const float> theta = net_.parameters();
  const std::span<float> avg = ema_net_.parameters();
  for (std::size_t i = 0; i < avg.size(); ++i) avg[i] = decay * avg[i] + (1.0f - decay) * theta[i];
}

void GeneratorEngine::rebuildDataInfo() {
  const FlowParams& f = params_.field;
  Points csv;
  Points centres;
  std::vector<double> weights;
  int dim = 0;
  if (f.dataset == "csv") {
    csv = readPoints(f.data_csv);
    dim = static_cast<int>(csv.rows());
  } else {
    Dataset probe = sampleDataset(f.dataset, 1, f.data_seed);
    dim = static_cast<int>(probe.points.rows());
    centres = std::move(probe.mode_centres);
    weights = std::move(probe.mode_weights);
  }
  DRIFTLAB_CHECK(dim == params_.arch.output_dim, "generator.output_dim: must equal the data dimension " +
                                                     std::to_string(dim) + " (got " +
                                                     std::to_string(params_.arch.output_dim) + ")");
  // on the sphere the data are unit vectors as in particle mode (flow_engine.cpp's buildData): a
  // zero point or d < 3 is refused here, once, with the dataset's name
  if (onSphere(params_)) {
    const std::string what = f.dataset == "csv" ? f.data_csv : "dataset " + f.dataset;
    if (f.dataset == "csv") csv = normalizedToSphere(csv, what);
    else normalizedToSphere(sampleDataset(f.dataset, 1, f.data_seed).points, what);
    if (centres.cols() > 0) centres = normalizedToSphere(centres, what + " (mode centres)");
  }
  if (!f.data_labels.empty()) {
    ClassModes modes = classModes(csv, readLabels(f.data_labels), f.data_labels, onSphere(params_));
    centres = std::move(modes.centres);
    weights = std::move(modes.weights);
  }
  csv_data_ = std::move(csv);
  mode_centres_ = std::move(centres);
  mode_weights_ = std::move(weights);
}

void GeneratorEngine::initNetwork() {
  const bool collapsed = params_.network_init == NetworkInit::Collapsed;
  net_ = Mlp(params_.arch, params_.network_seed, collapsed ? params_.init_scale : 1.0,
             collapsed ? std::span<const double>(params_.init_center) : std::span<const double>());
  adam_ = Adam(net_.parameterCount(), params_.adam);
  restartAverage();
}

void GeneratorEngine::reset() {
  initNetwork();
  step_ = 0;
  last_loss_ = 0.0;
  x_.resize(0, 0);
  v_.resize(0, 0);
  d_.resize(0, 0);
  y_.resize(0, 0);
}

std::string GeneratorEngine::setParams(const GeneratorParams& params) {
  params.validate();
  GeneratorParams old = params_;
  const bool data_changed = params.field.dataset != old.field.dataset || params.field.data_csv != old.field.data_csv ||
                            params.field.data_labels != old.field.data_labels ||
                            params.field.data_seed != old.field.data_seed || params.arch.output_dim != old.arch.output_dim ||
                            params.field.geometry != old.field.geometry;
  params_ = params;
  if (data_changed) {
    try {
      rebuildDataInfo();
    } catch (...) {
      params_ = old;  // state unchanged on error
      throw;
    }
  }
  std::string warning;
  if (!sameNetworkSetup(params, old)) {
    initNetwork();
    warning = "network settings changed (" + params_.arch.label() + ", init " + networkInitName(params_.network_init) +
              "): network and optimizer re-initialized";
  } else {
    if (!(params.adam == old.adam)) adam_.setOptions(params.adam);  // keeps the moments: a live learning-rate change is smooth
    // switching the average on starts it at the current weights; a new decay keeps the average
    if (params.ema > 0.0 && !(old.ema > 0.0)) restartAverage();
  }
  return warning;
}

Points GeneratorEngine::dataBatch(int n, std::uint64_t k) const {
  DRIFTLAB_CHECK(n >= 1 && n <= kMaxPoints, "generator: data batch size must be >= 1 (got " + std::to_string(n) + ")");
  const std::uint64_t seed = mixSeed(params_.field.data_seed, k);
  if (params_.field.dataset != "csv") {
    Points y = sampleDataset(params_.field.dataset, n, seed).points;
    // unit vectors on the sphere, as particle mode's data (rebuildDataInfo refused d < 3)
    return onSphere(params_) ? normalizedToSphere(y, "dataset " + params_.field.dataset) : y;
  }
  // a CSV data set is a fixed finite sample: batches are drawn from it with replacement
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<long> pick(0, csv_data_.cols() - 1);
  Points out(csv_data_.rows(), n);
  for (int j = 0; j < n; ++j) out.col(j) = csv_data_.col(pick(rng));
  return out;
}

PointsF GeneratorEngine::trainingNoise(long k) const {
  return latentNoise(params_.arch.input_dim, params_.batch, mixSeed(params_.noise_seed, static_cast<std::uint64_t>(k)));
}

TrainReport GeneratorEngine::step() {
  TrainReport rep;
  const int n = params_.batch;
  const int d = params_.arch.output_dim;
  const double eta = params_.eta;
  rep.lr = adam_.options().lr;

  auto t0 = std::chrono::steady_clock::now();
  // THEORY.md §7.2: fresh noise, generated batch x = f(z), fresh data batch y+
  const PointsF z = trainingNoise(step_);
  const PointsF& xf = net_.forward(z);
  // on the sphere x = g / |g| of the raw output g (THEORY.md §10.7); |g| is kept for the backward pass
  const bool sphere = onSphere(params_);
  std::vector<double> raw_norms;
  x_ = sphere ? normalizeOutput(xf.cast<double>(), &raw_norms) : Points(xf.cast<double>());
  double network_ms = msSince(t0);

  y_ = dataBatch(params_.data_batch, static_cast<std::uint64_t>(step_));
  auto t1 = std::chrono::steady_clock::now();
  // negatives = the generated batch itself (stop-gradient), each sample masked from its own
  // negatives through self_index (leave_one_out), THEORY.md §7.2
  const VelocityOptions opt = params_.velocityOptions(x_, y_, step_);
  rep.bandwidth = opt.kernel.h;
  const std::vector<int> self = iota(n);
  v_ = evaluateField(x_, self, x_, y_, opt).v;
  // on the sphere the particle engine's tangent velocity (flow_engine.cpp's step, THEORY.md §10.3)
  std::unique_ptr<Geometry> geometry = sphere ? makeGeometry(params_.field.geometry) : nullptr;
  if (geometry) geometry->projectTangent(x_, v_);
  rep.field_ms = msSince(t1);

  // The target's displacement d_i = eta v_i, capped per sample at displacement_cap * h as in
  // particle mode (THEORY.md §6.3, §7.3; 0 = off). Without the cap a clamped f-divergence weight
  // (rho up to 1e6) lets a few samples own the whole gradient.
  const double cap = params_.field.displacement_cap > 0 ? params_.field.displacement_cap * opt.kernel.h : 0.0;
  d_ = eta * v_;
  if (cap > 0) {
    for (int i = 0; i < n; ++i) {
      const double len = d_.col(i).norm();
      if (len > cap) {
        d_.col(i) *= cap / len;
        ++rep.capped;
      }
    }
  }
  // On the sphere the target is the geometry's step from x, Exp_x(d) (sphere_retraction: (x + d)
  // / |x + d|), as a particle would move (THEORY.md §10.7); d becomes the chord target - x
  if (geometry) {
    Points target = x_;
    geometry->move(target, d_);
    d_ = target - x_;
  }
  // THEORY.md §7.1/§7.3: L = mean over N*d elements of ||x - sg(x + d)||^2 = mean ||d||^2
  // (= eta^2 mean ||v||^2 uncapped); dL/dx = -2 d / (N d)
  const double sq = v_.squaredNorm();
  rep.loss = d_.squaredNorm() / (static_cast<double>(n) * d);
  rep.drift_rms = std::sqrt(sq / n);
  ++step_;
  rep.step = step_;

  auto t2 = std::chrono::steady_clock::now();
  // non-finite outputs can meet a field that stays finite (no kernel weight reaches them), so
  // they are checked on their own
  bool finite = std::isfinite(rep.loss) && v_.allFinite() && x_.allFinite();
  if (finite) {
    const Points grad_x = d_ * (-2.0 / (static_cast<double>(n) * d));
    // on the sphere through the normalization: dL/dg = (I - x x^T) dL/dx / |g| (THEORY.md §10.7)
    const PointsF grad_out = (sphere ? normalizeOutputBackward(x_, raw_norms, grad_x) : grad_x).cast<float>();
    net_.backward(grad_out);
    double g2 = 0.0;
    for (float g : net_.parameterGradients()) g2 += static_cast<double>(g) * g;
    rep.grad_norm = std::sqrt(g2);
    finite = std::isfinite(rep.grad_norm);
  }
  if (finite) {
    adam_.step(net_.parameters(), net_.parameterGradients());
    updateAverage();
    last_loss_ = rep.loss;
  } else {
    // blow-up safety: keep the parameters, halve the learning rate, say so
    AdamOptions o = adam_.options();
    o.lr *= 0.5;
    adam_.setOptions(o);
    params_.adam.lr = o.lr;
    rep.ok = false;
    rep.warning = "non-finite output, loss or gradient at step " + std::to_string(step_) +
                  ": update skipped, learning rate halved to " + num(o.lr);
  }
  rep.network_ms = network_ms + msSince(t2);
  return rep;
}

Points generateSamples(const Mlp& net, int n, std::uint64_t seed,
                       const std::function<void(long long, long long)>& progress) {
  return generateSamples(net, GeometryKind::Euclidean, n, seed, progress);
}

Points generateSamples(const Mlp& net, GeometryKind geometry, int n, std::uint64_t seed,
                       const std::function<void(long long, long long)>& progress) {
  DRIFTLAB_CHECK(n >= 1 && n <= kMaxPoints, "generate: n must be in [1, " + std::to_string(kMaxPoints) +
                                                "] (got " + std::to_string(n) + ")");
  Points out(net.outputDim(), n);
  // noise blocks line up with latentNoise's, so the result does not depend on the block size
  for (int b0 = 0, block = 0; b0 < n; b0 += kNoiseBlock, ++block) {
    const int cols = std::min(kNoiseBlock, n - b0);
    out.middleCols(b0, cols) = asSamples(net.evaluate(noiseBlock(net.inputDim(), cols, seed, block)), geometry);
    if (progress) progress(static_cast<long long>(b0) + cols, n);
  }
  return out;
}

Points GeneratorEngine::generate(int n, std::uint64_t seed) const {
  return generateSamples(samplingNetwork(), params_.field.geometry, n, seed);
}

Points GeneratorEngine::samples() const { return generate(params_.sample_count, params_.sample_seed); }

Points GeneratorEngine::latentGridImage(int n, double lim) const {
  DRIFTLAB_CHECK(params_.arch.input_dim == 2, "generator: the latent grid view needs a 2-D latent (latent = " +
                                                  std::to_string(params_.arch.input_dim) + ")");
  DRIFTLAB_CHECK(n >= 2 && n <= 1024, "generator: latent grid size must be in [2, 1024] (got " + std::to_string(n) + ")");
  DRIFTLAB_CHECK(std::isfinite(lim) && lim > 0, "generator: latent grid limit must be > 0 (got " + num(lim) + ")");
  PointsF z(2, n * n);
  for (int iy = 0; iy < n; ++iy)
    for (int ix = 0; ix < n; ++ix) {
      z(0, iy * n + ix) = static_cast<float>(-lim + 2 * lim * ix / (n - 1));
      z(1, iy * n + ix) = static_cast<float>(-lim + 2 * lim * iy / (n - 1));
    }
  return asSamples(samplingNetwork().evaluate(z), params_.field.geometry);
}

Points GeneratorEngine::sampleVelocities(const Points& samples) const {
  DRIFTLAB_CHECK(samples.rows() == params_.arch.output_dim && samples.cols() >= 1,
                 "generator: samples must be " + std::to_string(params_.arch.output_dim) + " x K");
  const Points y = dataBatch(params_.data_batch, kDisplayDataKey);
  const VelocityOptions opt = params_.velocityOptions(samples, y, step_);
  const std::vector<int> self = iota(static_cast<int>(samples.cols()));
  Points v = evaluateField(samples, self, samples, y, opt).v;
  if (onSphere(params_)) makeGeometry(params_.field.geometry)->projectTangent(samples, v);
  return v;
}

GeneratorMetrics GeneratorEngine::metrics(const MetricsOptions& opt, int metrics_samples) const {
  GeneratorMetrics g;
  const Points x = samples();
  // a held-out data set, the same at every call so that the curves are comparable
  const Points y = dataBatch(metrics_samples, kMetricsDataKey);
  MetricsOptions mo = opt;
  mo.reference_h = params_.field.metrics_h;
  g.m = computeMetrics(x, y, mode_centres_, mode_weights_, params_.velocityOptions(x, y, step_), mo);
  g.m.step = step_;
  g.m.time = trainingTime();
  g.loss = last_loss_;
  g.lr = adam_.options().lr;
  return g;
}

}  // namespace driftlab
