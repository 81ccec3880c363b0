// Generator mode (THEORY.md §7): train a one-step generator x = f_theta(z) with the
// drifting loss L = mean ||x - sg(x + eta v(x))||^2, where v is the velocity of the chosen
// divergence mixture computed from the generated batch (negatives, each sample masked from its
// own negatives) and a fresh data batch (positives).
// GeneratorEngine has the FlowEngine's shape: a single-threaded object owned by one thread at
// a time (a worker thread, the CLI or a test); parameters change live between steps.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "driftlab/generator/adam.hpp"
#include "driftlab/kde/compute_path.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/flow/flow_params.hpp"
#include "driftlab/flow/param_table.hpp"
#include "driftlab/kde/kernel.hpp"  // NamedDescription
#include "driftlab/field/metrics.hpp"
#include "driftlab/generator/mlp.hpp"
#include "driftlab/base/types.hpp"

namespace driftlab {

enum class NetworkInit {
  Default,    // He/Xavier initialization (mlp.hpp)
  Collapsed,  // output layer scaled by init_scale and its bias set to init_center: every sample
              // starts within ~init_scale of one point (DM's "collapsed" start, THEORY.md §9.2)
};
const char* networkInitName(NetworkInit n);          // default, collapsed
NetworkInit parseNetworkInit(std::string_view name);  // throws InvalidArgument

struct GeneratorParams {
  // The field: dataset (data_seed, data_csv), kernel, bandwidth rule, divergence weights,
  // alpha, chi2 convention, leave_one_out (= DM's self-mask of each generated sample from its
  // own negatives), ratio clamp, velocity mode, metrics_h, the compute path of the training
  // field's kernel sums (field.path: float32 is ample for a stochastic gradient, so Auto, exact
  // float32 at the toy sizes, is the default), and displacement_cap: each sample's
  // target displacement eta v_i is capped at displacement_cap * h (0 = off; the DM toy presets
  // use 0). The particle-only settings (ParamMode::Particles in the parameter table: init,
  // particles, init_seed, samples, integrator, step, cap_mode) are not used and cannot be set.
  FlowParams field;

  // network
  MlpArchitecture arch;                       // arch.input_dim = latent dimension
  NetworkInit network_init = NetworkInit::Default;
  double init_scale = 1e-3;                   // Collapsed: scale of the output layer's weights
  std::vector<double> init_center{0.0, 0.0};  // Collapsed: where the samples start (output_dim values)
  std::uint64_t network_seed = 3;

  // optimization
  AdamOptions adam;                           // lr 1e-3 (THEORY.md §7.5)
  int batch = 2048;                           // generated samples per step (N)
  int data_batch = 2048;                      // fresh data samples per step (M)
  double eta = 1.0;                           // drift step in the stop-gradient target x + eta v
  std::uint64_t noise_seed = 4;               // latent noise of the training batches
  // Exponential moving average of the weights, read out for the displayed samples, metrics,
  // the latent-grid view, `generate` and saved models (0 = off: the raw weights). Training
  // itself never sees it. Decay per step min(ema, (1 + k) / (10 + k)) after the k-th update,
  // so early samples follow the raw weights. See GeneratorEngine::samplingNetwork().
  double ema = 0.0;

  // display / metrics
  int sample_count = 2048;                    // size of the fixed noise batch shown and measured
  std::uint64_t sample_seed = 5;

  // throws InvalidArgument naming the field and the value: "generator.batch: must be in [2, ...] (got 1)"
  void validate() const;
  // the velocity options in force at training step `step` (bandwidth rule resolved on these
  // points; annealing uses training time t = step * eta)
  VelocityOptions velocityOptions(const Points& generated, const Points& data, long step) const;
  bool operator==(const GeneratorParams&) const;
};

// One training step's outcome.
struct TrainReport {
  bool ok = true;              // false: non-finite output/loss/gradient, update skipped, lr halved
  long step = 0;               // steps done after this one
  double loss = 0.0;           // mean over batch*d elements of ||d||^2, d = eta v capped (mse_loss), THEORY.md §7.1
  int capped = 0;              // samples whose displacement hit displacement_cap * h
  double drift_rms = 0.0;      // sqrt(mean_i ||v_i||^2)
  double grad_norm = 0.0;      // ||dL/dtheta||_2
  double lr = 0.0;             // learning rate used
  double bandwidth = 0.0;      // (first) bandwidth in force
  double field_ms = 0.0;       // time in evaluateField
  double network_ms = 0.0;     // forward + backward + Adam
  std::string warning;
};

// Metrics of the fixed sample batch against fresh data, plus the training quantities.
struct GeneratorMetrics {
  Metrics m;                   // m.step = training step, m.time = training time (step * eta)
  double loss = 0.0;           // last step's loss
  double lr = 0.0;
};
std::vector<std::string> generatorMetricsColumns();  // metricsColumns() + loss, lr
std::string formatGeneratorMetricsRow(const GeneratorMetrics& g);

struct GeneratorState;  // generator_state.hpp

class GeneratorEngine {
 public:
  // builds the network from params (validates; throws InvalidArgument)
  explicit GeneratorEngine(const GeneratorParams& params);
  // resumes from a trained network (a model file): net's architecture must equal params.arch
  GeneratorEngine(const GeneratorParams& params, const Mlp& net, long step);
  // continues a captured state: stepped n times it equals the engine it came from stepped n
  // times, bit for bit on the same machine and thread count (THEORY.md §6.6). Throws InvalidArgument.
  explicit GeneratorEngine(const GeneratorState& state);

  // fork and rewind (generator_state.hpp): between steps, on the engine's thread; restore checks
  // the state first (a throw leaves the engine untouched)
  GeneratorState capture() const;
  void restore(const GeneratorState& state);

  // Live parameter change between steps, no restart. An architecture / network_init /
  // init_scale / init_center / network_seed change re-initializes the network and the
  // optimizer and returns a warning ("architecture changed: network re-initialized"); every
  // other change (field, lr, batches, eta, seeds of the batches) just switches. Returns "" or
  // the warning. Throws InvalidArgument (state unchanged).
  std::string setParams(const GeneratorParams& params);
  // re-initialize network and optimizer with the current seeds (step 0)
  void reset();

  // one training step (THEORY.md §7.1-§7.2): z ~ N(0, I), x = f(z), fresh data batch y,
  // v = field at x (negatives = x with self-mask, positives = y), d = eta v capped per sample,
  // loss = mean ||d||^2, dL/dx = -2 d / (N d), backward, Adam. On the sphere (THEORY.md §10.7):
  // x = g / |g|, v projected onto the tangent plane, target Exp_x(d), d = target - x, and the
  // gradient goes back through the normalization. Non-finite output, loss or gradient: update skipped,
  // lr halved, warning in the report.
  TrainReport step();

  // The fixed-noise display batch (params.sample_count samples, sample_seed): d x K.
  Points samples() const;
  // Generate n samples with noise seed `seed` (the CLI's generate). Any n >= 1. With a sphere
  // geometry (params.field.geometry) every sample shown, measured, generated or saved is the
  // normalized output g / |g| (THEORY.md §10.7).
  Points generate(int n, std::uint64_t seed) const;
  // For a 2-D latent: the image of an n x n grid over [-lim, lim]^2 (row-major, iy * n + ix),
  // GAN Lab's manifold view. Throws InvalidArgument when the latent is not 2-D.
  Points latentGridImage(int n, double lim = 2.5) const;
  // Drift arrows: the velocity the loss would use at the fixed samples (negatives = the fixed
  // samples with self-mask, positives = a data batch of the same seed family).
  Points sampleVelocities(const Points& samples) const;

  // metrics of the fixed sample batch against a fresh data set of metrics_samples points
  GeneratorMetrics metrics(const MetricsOptions& opt = {}, int metrics_samples = 2048) const;

  const GeneratorParams& params() const { return params_; }
  const Mlp& network() const { return net_; }  // the raw (trained) weights
  // the network samples come from: the weight average when params.ema > 0, else network()
  const Mlp& samplingNetwork() const { return params_.ema > 0.0 ? ema_net_ : net_; }
  const Adam& optimizer() const { return adam_; }
  long stepIndex() const { return step_; }
  double trainingTime() const { return static_cast<double>(step_) * params_.eta; }
  double currentLr() const { return adam_.options().lr; }
  double lastLoss() const { return last_loss_; }
  const Points& lastBatch() const { return x_; }          // last training batch (d x N)
  const Points& lastVelocities() const { return v_; }     // its velocity (d x N)
  const Points& lastDisplacements() const { return d_; }  // target displacements d = eta v capped (d x N)
  const Points& lastData() const { return y_; }           // last data batch (d x M)
  const Points& modeCentres() const { return mode_centres_; }
  const std::vector<double>& modeWeights() const { return mode_weights_; }
  int dim() const { return params_.arch.output_dim; }

  // a fresh data batch of n points for step-like index k (seeded from data_seed and k);
  // training step k (0-based) uses dataBatch(data_batch, k)
  Points dataBatch(int n, std::uint64_t k) const;
  // the latent noise of training step k (0-based): latent x batch
  PointsF trainingNoise(long k) const;

 private:
  void initNetwork();
  void rebuildDataInfo();
  void restartAverage();  // the weight average starts at the current weights
  void updateAverage();   // after each successful update (params_.ema > 0)

  GeneratorParams params_;
  Mlp net_;
  Mlp ema_net_;           // the weight average (params_.ema > 0)
  long ema_updates_ = 0;  // updates since the average restarted
  Adam adam_;
  Points csv_data_;              // dataset == "csv": the file's points, resampled per batch
  Points mode_centres_;
  std::vector<double> mode_weights_;
  Points x_, v_, d_, y_;
  long step_ = 0;
  double last_loss_ = 0.0;
};

// Latent noise z ~ N(0, I): latent x n, float, deterministic for (seed); drawn in blocks of
// 65536 columns with their own streams, so the first columns do not depend on n.
PointsF latentNoise(int latent, int n, std::uint64_t seed);
// n samples f(z) with z = latentNoise(latent, n, seed), evaluated block by block (bounded
// memory for large n): d x n. GeneratorEngine::generate is this with its network. Any thread;
// `progress`, if set, is called on the calling thread after each block of 65536 samples with the
// samples done so far and n (driftlab-cli generate draws its progress line from it).
Points generateSamples(const Mlp& net, int n, std::uint64_t seed,
                       const std::function<void(long long done, long long total)>& progress = {});
// The same for a model trained with `geometry`: on the sphere (sphere, sphere_retraction) each
// sample is the network's output scaled to unit length, x = g / |g| (THEORY.md §10.7); the
// overload above is GeometryKind::Euclidean, the raw output.
Points generateSamples(const Mlp& net, GeometryKind geometry, int n, std::uint64_t seed,
                       const std::function<void(long long done, long long total)>& progress = {});

// ---- presets (generator_presets.cpp) ----
struct GeneratorScenario {
  std::string name = "gen_default";
  std::string description;
  GeneratorParams params;
  long steps = 2000;
  int metrics_every = 100;
  bool operator==(const GeneratorScenario&) const = default;
};

// gen_checkerboard, gen_swiss_roll (DM official toy settings), gen_eight_gaussians_{forward_kl,
// chi2,mixed}, gen_unequal_bimodal_{forward_kl,chi2,mixed} (collapsed start), gen_sphere_caps (S^2)
std::vector<NamedDescription> generatorPresetCatalog();
GeneratorScenario generatorPreset(std::string_view name);  // throws InvalidArgument
bool isGeneratorPresetName(std::string_view name);

// ---- scenario files (generator_scenario.cpp) ----
// Layout: the particle-flow scenario JSON (scenario.hpp) for the field, plus "kind":
// "generator" and a "generator" object with the network/optimizer fields. Errors name the
// file, the field and the value.
GeneratorScenario generatorScenarioFromJson(std::string_view json_text, const std::string& source_name);
std::string generatorScenarioToJson(const GeneratorScenario& s);
GeneratorScenario loadGeneratorScenario(const std::string& path);
void saveGeneratorScenario(const std::string& path, const GeneratorScenario& s);
// "key=value": the generator keys of generatorParamInfos() (also as generator.KEY), the shared
// and run-level keys of flowParamInfos() (dataset, kernel, bandwidth, divergence, weights.*,
// path, ...; compute_path is another name for path), and seed (every seed of the run). A
// particle-only key ("particles") is refused with the reason. Throws; s unchanged on error.
void applyGeneratorSetting(GeneratorScenario& s, std::string_view key_equals_value);
std::vector<std::string> generatorSettingKeys();
// the generator-only settings of the parameter table (param_table.hpp); the shared and
// run-level ones are in flowParamInfos()
const std::vector<ParamInfo>& generatorParamInfos();

}  // namespace driftlab
