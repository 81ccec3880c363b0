// The particle-flow half of the parameter table (param_table.hpp): every setting of a scenario,
// in the order a scenario file lists them, with its description and the code that reads and
// writes it. To add a flow parameter: a field in FlowParams, one row here, and the code that uses
// it. Any thread.
#include <cstdio>

#include "driftlab/flow/datasets.hpp"
#include "flow/param_spec.hpp"
#include "flow/param_text.hpp"

namespace driftlab::detail {

namespace {

const char* chi2ConventionName(Chi2Convention c) { return c == Chi2Convention::Half ? "half" : "full"; }
const char* velocityModeName(VelocityMode m) { return m == VelocityMode::ExactSmoothed ? "smoothed" : "plugin"; }
const char* geometryName(GeometryKind g) {
  switch (g) {
    case GeometryKind::Sphere: return "sphere";
    case GeometryKind::SphereRetraction: return "sphere_retraction";
    case GeometryKind::Euclidean: break;
  }
  return "euclidean";
}

// "divergence.weights": an object {"reverse_kl": 1, "chi2": 0.5} (missing entries are 0), or a
// single name / "mixed" as a shorthand
DivergenceWeights readWeights(const Json& v, const std::string& field) {
  if (v.is_string()) {
    std::vector<std::string> names = choiceNames<Divergence, kNumDivergences, divergenceName>();
    names.emplace_back("mixed");
    const std::string s = v.get<std::string>();
    if (s == "mixed") return DivergenceWeights::mixedDefault();
    for (int i = 0; i < kNumDivergences; ++i) {
      if (s == names[i]) return DivergenceWeights::single(static_cast<Divergence>(i));
    }
    failField(field, "unknown '" + s + "' (expected one of " + joinNames(names) + ")");
  }
  if (!v.is_object()) {
    failField(field, "expected an object such as {\"reverse_kl\": 1, \"chi2\": 0.5} (got " + shortDump(v) + ")");
  }
  DivergenceWeights w;
  for (const auto& item : v.items()) {
    const Divergence d = readChoice<Divergence, kNumDivergences, divergenceName>(Json(item.key()), field + "." + item.key());
    w[d] = readNumber(item.value(), field + "." + item.key());
  }
  return w;
}

Json writeWeights(const DivergenceWeights& weights) {
  Json out = Json::object();
  for (int i = 0; i < kNumDivergences; ++i) {
    if (weights.w[i] != 0.0) out[divergenceName(static_cast<Divergence>(i))] = weights.w[i];
  }
  return out;
}

using Field = const std::string&;

#define DL_WRITE(m) DL_ROW_WRITE(Scenario, m)
#define DL_TEXT(m) DL_ROW_TEXT(Scenario, m)
#define DL_NUMBER(m) DL_ROW_NUMBER(Scenario, m)
#define DL_BOOL(m) DL_ROW_BOOL(Scenario, m)
#define DL_SEED(m) DL_ROW_SEED(Scenario, m)
#define DL_INT(m, lo, hi) DL_ROW_INT(Scenario, m, lo, hi)
// particles, samples: 1 .. kMaxPoints, larger counts "cannot fit"
#define DL_COUNT(m)                                                     \
  DL_WRITE(m), [](Scenario& s, const Json& v, Field f) {                \
    const long long n = readInteger(v, f, -(1LL << 62), 1LL << 62);     \
    checkPointCount(f, n);                                              \
    s.m = static_cast<int>(n);                                          \
  }, nullptr
#define DL_OPTIONAL_TEXT(m) \
  [](const Scenario& s) -> Json { return s.m.empty() ? Json() : Json(s.m); }, \
      [](Scenario& s, const Json& v, Field f) { s.m = readString(v, f); }, nullptr
#define DL_NUMBERS(m) DL_ROW_NUMBERS(Scenario, m, true)
#define DL_WEIGHTS(m) \
  [](const Scenario& s) -> Json { return writeWeights(s.m); }, \
      [](Scenario& s, const Json& v, Field f) { s.m = readWeights(v, f); }, nullptr
#define DL_CHOICE(m, Enum, Count, NameOf) DL_ROW_CHOICE(Scenario, m, Enum, Count, NameOf)

}  // namespace

// clang-format off
const std::vector<FlowParamSpec>& flowParamSpecs() {
  static const std::vector<FlowParamSpec> table = {
    // key, scenario path, type, unit, marker label, help, live, mode, range, lo, hi, read/write
    {"name", "name", "text", "", "name",
     "The scenario's name (shown in the title and written to result files).",
     true, ParamMode::RunLevel, Range::Any, 0, 0, DL_TEXT(name)},
    {"description", "description", "text", "", "description",
     "One line saying what the scenario shows.",
     true, ParamMode::RunLevel, Range::Any, 0, 0, DL_TEXT(description)},
    {"steps", "steps", "integer", "steps", "steps",
     "Number of steps of a headless run (driftlab-cli run, train).",
     true, ParamMode::RunLevel, Range::Between, 0, 1e9, DL_INT(steps, 0, 1'000'000'000)},
    {"metrics_every", "metrics_every", "integer", "steps", "metrics every",
     "Metrics cadence of a headless run, in steps.",
     true, ParamMode::RunLevel, Range::Between, 1, 1e9, DL_INT(metrics_every, 1, 1'000'000'000)},
    {"mode", "mode", "choice", "", "mode",
     "drifting: the particles follow the gradient flow of the divergence (every field, integrator and kernel below). dfm: Diffusion Flow Matching - the particles start from the source N(0, dfm.source_std^2 I) and move by Euler-Maruyama steps from t = 0 to t = 1 - dfm.epsilon under the oracle drift of the data (a softmax mean shift, THEORY.md §12.2); the divergence settings then only shape the metric curves. Changing it restarts the particles.",
     true, ParamMode::Particles, Range::Any, 0, 0, DL_CHOICE(params.mode, FlowMode, 2, flowModeName)},
    {"dataset", "data.dataset", "text", "", "dataset",
     "Target distribution p (the data the particles flow towards). Changing it keeps the particles where they are, so you can watch them re-route. Mixtures (eight / 25 gaussians) also report how many modes are covered. digits and digits_sphere: the 1797 8x8 handwritten digits (64 dimensions, from python3-sklearn; the app draws them in a PCA plane and as 8x8 images in the Images window). sphere_vmf_caps, sphere_unequal_caps, sphere_antipodal_caps, sphere_band, sphere_spiral: 3-D unit vectors on S^2, meant for geometry=sphere (THEORY.md §10.5). A path ending in .csv or .npy selects a points file.",
     true, ParamMode::Shared, Range::Any, 0, 0, DL_TEXT(params.dataset)},
    {"data_csv", "data.csv", "text", "", "data csv",
     "CSV file of the data points, when the dataset is csv.",
     true, ParamMode::Shared, Range::Any, 0, 0, DL_OPTIONAL_TEXT(params.data_csv)},
    {"data_labels", "data.labels", "text", "", "labels",
     "Optional class labels of a points file (.npy of integers, or one integer per line), one per data point: the class means become the modes, so modes covered, mode shares and the 'nearest mode' colours are those of the nearest-class-mean classifier (THEORY.md §8.3).",
     true, ParamMode::Shared, Range::Any, 0, 0, DL_OPTIONAL_TEXT(params.data_labels)},
    {"samples", "data.samples", "integer", "points", "M",
     "M, the number of data points (law p). Usual 256 - 4096. Applied when you release the slider (the data set is re-sampled with the same seed).",
     true, ParamMode::Particles, Range::Between, 1, double(kMaxPoints), DL_COUNT(params.samples)},
    {"data_seed", "data.seed", "seed", "", "data seed",
     "Seed of the data sample. Same seed = same data. Applied on Enter / when you leave the field.",
     true, ParamMode::Shared, Range::Any, 0, 0, DL_SEED(params.data_seed)},
    {"target", "data.target", "choice", "", "target",
     "samples: p is the kernel density estimate of the data. gaussian: p = N(0, I) exactly, with its score -x and no kernel smoothing on the p side (THEORY.md §11.4); the data are then M draws of N(0, I), shown and used by the metrics only. For f-divergence weights with the plug-in velocity; with forward_kl the mean of the particles follows m/(1 + eta) per JKO step and m(1 - eta) per Euler step.",
     true, ParamMode::Particles, Range::Any, 0, 0, DL_CHOICE(params.target, TargetKind, 2, targetKindName)},
    {"init", "init.layout", "text", "", "init",
     "Initial particle layout q0. gaussian: N(0, 0.5^2); far: a blob away from the data (watch Gaussian kernels stall, THEORY.md §2.2); collapsed: all particles in one tiny spot (the repulsion term must spread them); uniform: a box; sphere_collapsed_cap, sphere_uniform, sphere_far_cap: unit vectors on the sphere, for geometry=sphere with data of d >= 3. Changing it re-places the particles. A path ending in .csv or .npy selects a points file.",
     true, ParamMode::Particles, Range::Any, 0, 0, DL_TEXT(params.init)},
    {"init_csv", "init.csv", "text", "", "init csv",
     "CSV file of the initial particles, when the layout is csv.",
     true, ParamMode::Particles, Range::Any, 0, 0, DL_OPTIONAL_TEXT(params.init_csv)},
    {"particles", "init.particles", "integer", "points", "N",
     "N, the number of particles (law q). Usual 256 - 4096; the cost per step grows like N (N + M). Applied when you release the slider; new particles are sampled from the current particle KDE, so the flow does not restart.",
     true, ParamMode::Particles, Range::Between, 1, double(kMaxPoints), DL_COUNT(params.particles)},
    {"init_seed", "init.seed", "seed", "", "init seed",
     "Seed of the initial particles. Reset replays the same run; a new seed gives another draw of the same layout.",
     true, ParamMode::Particles, Range::Any, 0, 0, DL_SEED(params.init_seed)},
    {"kernel", "kernel.type", "choice", "", "kernel",
     "Kernel k of both KDEs (THEORY.md §2.1). gaussian: smooth, but its score grows with the distance and far particles can stall or overshoot; laplacian (the Drifting Model's default): bounded score (<= 1/h), not smooth at 0; matern32: smooth Laplacian; student_t / cauchy / imq: heavy tails that still pull far particles. Cauchy and IMQ with 2 beta <= 2 are not integrable: density maps and KL values are then unavailable.",
     true, ParamMode::Shared, Range::Any, 0, 0, DL_CHOICE(params.kernel.kind, KernelKind, 6, kernelName)},
    {"nu", "kernel.nu", "number", "", "nu",
     "Student-t degrees of freedom. Small nu (1 - 3) = heavy tails, long-range pull; large nu (> 30) approaches the Gaussian.",
     true, ParamMode::Shared, Range::Positive, 0, 0, DL_NUMBER(params.kernel.nu)},
    {"beta", "kernel.beta", "number", "", "beta",
     "IMQ exponent: k = (c^2 + r^2/h^2)^(-beta). beta <= 1 in 2-D makes the kernel non-integrable (no density, THEORY.md §2.1); 0.5 is the usual choice for Stein methods.",
     true, ParamMode::Shared, Range::Positive, 0, 0, DL_NUMBER(params.kernel.beta)},
    {"c", "kernel.c", "number", "", "c",
     "IMQ offset c (> 0). Larger c flattens the kernel's centre; usual 0.5 - 2.",
     true, ParamMode::Shared, Range::Positive, 0, 0, DL_NUMBER(params.kernel.c)},
    {"bandwidth.rule", "bandwidth.rule", "choice", "", "h rule",
     "How h is chosen. fixed: the slider; silverman: from the data spread (THEORY.md §3.2); median: median pairwise distance (SVGD heuristic, follows the particles); anneal: h(t) = max(h0 exp(-rate t), h_min) (THEORY.md §3.4); multiscale: several bandwidths, each field normalised by its RMS and summed (THEORY.md §3.6). Dragging h while an automatic rule is active switches to fixed.",
     true, ParamMode::Shared, Range::Any, 0, 0, DL_CHOICE(params.bandwidth.rule, BandwidthRule, 5, bandwidthRuleName)},
    {"bandwidth.h", "bandwidth.h", "number", "position units", "h",
     "Kernel bandwidth h in data units (data spans about [-1, 1]). Usual 0.02 - 0.3. Too small: particles only see their nearest data point, the flow freezes and leaves gaps; too large: modes blur together and the particles shrink to the mean. For anneal this is the start value h0. The circle under the cursor has radius h.",
     true, ParamMode::Shared, Range::Positive, 0, 0, DL_NUMBER(params.bandwidth.h)},
    {"bandwidth.rate", "bandwidth.rate", "number", "per flow time", "h rate",
     "Annealing rate r (per unit flow time) in h(t) = max(h0 exp(-r t), h_min). Usual 0.1 - 2: fast enough to reach fine detail, slow enough to first move mass globally (THEORY.md §3.4).",
     true, ParamMode::Shared, Range::NonNegative, 0, 0, DL_NUMBER(params.bandwidth.anneal_rate)},
    {"bandwidth.min", "bandwidth.min", "number", "position units", "h min",
     "Annealing floor h_min: h never drops below it. Usual 0.01 - 0.05; near the data's finest detail.",
     true, ParamMode::Shared, Range::Positive, 0, 0, DL_NUMBER(params.bandwidth.h_min)},
    {"bandwidth.scales", "bandwidth.scales", "numbers", "position units", "scales",
     "Bandwidths of the multi-scale field, comma separated (the Drifting Model's code uses 0.02, 0.05, 0.2). Each scale's field is divided by its RMS over the particles before summing (THEORY.md §3.6). Press Enter to apply.",
     true, ParamMode::Shared, Range::Any, 0, 0, DL_NUMBERS(params.bandwidth.scales)},
    {"weights", "divergence.weights", "weights", "", "divergence",
     "The velocity is a weighted sum of one field per divergence (0 = off, usual 0 - 2). Every f-divergence moves particles along grad log p_hat - grad log q_hat, scaled by its own weight w(rho), rho = q_hat / p_hat (THEORY.md §5.2). Changes apply live and drop a marker on the curves. At least one weight must be > 0. As a setting: a name, mixed, or name=weight,... (weights.NAME sets one).",
     true, ParamMode::Shared, Range::Any, 0, 0, DL_WEIGHTS(params.weights)},
    {"alpha", "divergence.alpha", "number", "", "alpha",
     "Alpha of the alpha divergence (weight rho^(alpha - 1)). Usual -1 - 3; only used when the alpha weight is > 0.",
     true, ParamMode::Shared, Range::Finite, 0, 0, DL_NUMBER(params.alpha)},
    {"chi2", "divergence.chi2_convention", "choice", "", "chi2",
     "chi2 normalisation: full = weight 2 q_hat / p_hat, half = q_hat / p_hat (the convention of third-party code citing the paper). THEORY.md §14 marks the paper's constant as unverified, so both are offered; they differ only by a factor 2 in the chi2 term's speed.",
     true, ParamMode::Shared, Range::Any, 0, 0, DL_CHOICE(params.chi2, Chi2Convention, 2, chi2ConventionName)},
    {"leave_one_out", "divergence.leave_one_out", "bool", "", "leave one out",
     "Exclude each particle from its own q_hat (the Drifting Model's self-mask). On: no self-attraction bias; off: q_hat is over-peaked at each particle, repulsion weakens for small N.",
     true, ParamMode::Shared, Range::Any, 0, 0, DL_BOOL(params.leave_one_out)},
    {"ratio_min", "divergence.ratio_min", "number", "", "ratio min",
     "rho = q_hat / p_hat is clamped to [ratio_min, ratio_max] before the divergence weights (THEORY.md §6.2); default [1e-6, 1e6]. Tighter clamps tame chi2 blow-ups.",
     true, ParamMode::Shared, Range::Positive, 0, 0, DL_NUMBER(params.ratio_min)},
    {"ratio_max", "divergence.ratio_max", "number", "", "ratio max",
     "rho = q_hat / p_hat is clamped to [ratio_min, ratio_max] before the divergence weights (THEORY.md §6.2); default [1e-6, 1e6]. Tighter clamps tame chi2 blow-ups.",
     true, ParamMode::Shared, Range::Positive, 0, 0, DL_NUMBER(params.ratio_max)},
    {"velocity", "divergence.velocity", "choice", "", "velocity",
     "plug-in: evaluate the velocity of the KDE densities at each particle (GFD/DM). exact smoothed: the true gradient of the smoothed divergence, k_h * v on a grid; only it guarantees a decreasing objective (THEORY.md §5.4). Watch the objective curve: plug-in may be non-monotone.",
     true, ParamMode::Shared, Range::Any, 0, 0, DL_CHOICE(params.velocity_mode, VelocityMode, 2, velocityModeName)},
    {"smoothed_grid", "divergence.smoothed_grid", "integer", "nodes per axis", "grid",
     "Grid nodes per axis for the exact smoothed velocity. Usual 64 - 128; cost grows like N times grid^2.",
     true, ParamMode::Shared, Range::Between, 8, 1024, DL_INT(params.smoothed_grid, -2147483648LL, 2147483647LL)},
    {"integrator", "integrator.type", "choice", "", "integrator",
     "euler: x += eta v. heun: predictor-corrector (two field evaluations per step, twice the cost), more accurate for large steps. jko: the proximal (implicit Euler) step x = x_prev + eta v(x), solved by inner iterations (jko.inner_steps, jko.tol); stable for any eta, the displacement cap does not apply (THEORY.md §11.2). Plane only.",
     true, ParamMode::Particles, Range::Any, 0, 0, DL_CHOICE(params.integrator, Integrator, 3, integratorName)},
    {"step", "integrator.step", "number", "flow time", "eta",
     "Step size eta in flow-time units. Usual 0.001 - 0.1. Too large: particles overshoot and oscillate (the engine halves eta and warns after a blow-up); too small: slow.",
     true, ParamMode::Particles, Range::Positive, 0, 0, DL_NUMBER(params.step)},
    {"displacement_cap", "integrator.displacement_cap", "number", "bandwidths", "cap",
     "Maximum move per step, in bandwidths (THEORY.md §6.3); 0 = off. Usual 0.25 - 1. Keeps chi2 and Gaussian far-field blow-ups in check; when it is active the effective step (status bar) is below eta. In generator mode it caps each sample's target displacement.",
     true, ParamMode::Shared, Range::NonNegative, 0, 0, DL_NUMBER(params.displacement_cap)},
    {"jko.inner_steps", "jko.inner_steps", "integer", "iterations", "jko iterations",
     "With integrator jko: inner iterations at most per step (each one a velocity and an objective evaluation). Usual 20 - 100; the status and warnings say when a step stopped before its tolerance.",
     true, ParamMode::Particles, Range::Between, 1, 10000, DL_INT(params.jko_inner_steps, 1, 10000)},
    {"jko.tol", "jko.tol", "number", "", "jko tol",
     "With integrator jko: the step ends when the stationarity residual |x - x_prev - eta v(x)| (RMS) is below tol times the explicit step's length. Usual 1e-8 - 1e-4.",
     true, ParamMode::Particles, Range::Positive, 0, 0, DL_NUMBER(params.jko_tol)},
    {"dfm.steps", "dfm.steps", "integer", "steps", "dfm steps",
     "With mode dfm: Euler-Maruyama steps from t = 0 to t = 1 - dfm.epsilon (the time step is (1 - epsilon) / steps). Further steps do nothing; reset to sample again. Usual 50 - 1000.",
     true, ParamMode::Particles, Range::Between, 1, 1e6, DL_INT(params.dfm_steps, 1, 1'000'000)},
    {"dfm.sigma", "dfm.sigma", "number", "position units", "dfm sigma",
     "With mode dfm: the Brownian bridge's noise sigma, X_t = (1 - t) X_0 + t X_1 + sigma sqrt(t (1 - t)) Z; also the noise of the sampler. 0: deterministic flow matching, whose samples land on training points (memorization, THEORY.md §12.2).",
     true, ParamMode::Particles, Range::NonNegative, 0, 0, DL_NUMBER(params.dfm_sigma)},
    {"dfm.source_std", "dfm.source_std", "number", "position units", "dfm source std",
     "With mode dfm: the standard deviation s0 of the source N(0, s0^2 I) the particles start from. Changing it restarts the particles.",
     true, ParamMode::Particles, Range::Positive, 0, 0, DL_NUMBER(params.dfm_source_std)},
    {"dfm.epsilon", "dfm.epsilon", "number", "", "dfm epsilon",
     "With mode dfm: the sampler stops at t = 1 - epsilon, where the drift (x_1 - x) / (1 - t) is still finite. Usual 1e-4 - 1e-2.",
     true, ParamMode::Particles, Range::Positive, 0, 0, DL_NUMBER(params.dfm_epsilon)},
    {"dfm.drift", "dfm.drift", "choice", "", "dfm drift",
     "With mode dfm: oracle, the closed-form drift of the empirical data (a softmax mean shift, exact; its samples copy training points when sigma = 0); learned, an MLP b_theta(t, x) trained by regression on bridge samples for dfm.train_steps steps before the sampler moves (THEORY.md §12.4; the first step waits for the training). Changing it restarts the particles.",
     true, ParamMode::Particles, Range::Any, 0, 0, DL_CHOICE(params.dfm_drift, DfmDriftKind, 2, dfmDriftKindName)},
    {"dfm.train_steps", "dfm.train_steps", "integer", "steps", "dfm train steps",
     "With dfm.drift learned: Adam steps of the drift's regression (batch 512 bridge samples, MLP 3-128-128-128-2) before sampling; the run's first step waits for them. Usual 1000 - 10000; 3000 took 3.1 s on 2 cores (README). At most 100000.",
     true, ParamMode::Particles, Range::Between, 1, 1e5, DL_INT(params.dfm_train_steps, 1, 100'000)},
    {"cap_mode", "integrator.cap_mode", "choice", "", "cap mode",
     "Per particle (default): each particle's move is clipped to cap x h and the step stays eta, as in the GFD mixture code (THEORY.md §5.5). Globally: the whole step shrinks to cap x h / max|v| (THEORY.md §6.3) - an exact time rescaling, but one runaway particle with a huge chi2/reverse-KL weight then freezes the whole flow.",
     true, ParamMode::Particles, Range::Any, 0, 0, DL_CHOICE(params.cap_mode, CapMode, 2, capModeName)},
    {"geometry", "geometry", "choice", "", "geometry",
     "The space the particles move in. euclidean: R^d. sphere: the unit sphere S^(d-1), d >= 3 (data and particles are scaled to unit length; steps follow great circles, THEORY.md §10); sphere_retraction: the same, moved by x+u normalized. With the Gaussian kernel the field on the sphere is exactly the von Mises-Fisher one. Generator training: the network's output is normalized, x = g/|g|, and its target is the sphere step from x (THEORY.md §10.7).",
     true, ParamMode::Shared, Range::Any, 0, 0, DL_CHOICE(params.geometry, GeometryKind, 3, geometryName)},
    {"path", "compute_path", "choice", "", "path",
     "How the kernel sums are computed. auto: float64 for small runs, float32 SIMD for medium ones, the 2-D FFT grid above ~16k x 16k. exact = float32 (~1e-6 relative), exact64 = float64, grid = O(N + M + G^2 log G) binning + FFT: ~0.5% error on forward-KL fields, worse for chi2/mixed far from the data (docs/PERFORMANCE.md). Generator training uses the same setting.",
     true, ParamMode::Shared, Range::Any, 0, 0, DL_CHOICE(params.path, ComputePath, 4, computePathName)},
    {"metrics_h", "metrics.reference_h", "number", "position units", "metrics h",
     "Bandwidth of the fixed Gaussian reference kernel used by the metric curves (MMD^2, KL estimates). Fixed on purpose, so curves stay comparable when you change the flow's kernel. Usual 0.05 - 0.2.",
     true, ParamMode::Shared, Range::Positive, 0, 0, DL_NUMBER(params.metrics_h)},
  };
  return table;
}
// clang-format on

const FlowParamSpec* findFlowParamSpec(const std::string& key_or_path) {
  for (const auto& spec : flowParamSpecs()) {
    if (key_or_path == spec.key || key_or_path == spec.json_path) return &spec;
  }
  return nullptr;
}

std::string markerText(const Json& v) {
  if (v.is_number_float()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v.get<double>());
    return buf;
  }
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) out += (out.empty() ? "" : ",") + markerText(e);
    return out;
  }
  if (v.is_object()) {  // divergence weights
    std::string out;
    for (const auto& item : v.items()) out += (out.empty() ? "" : ",") + item.key() + "=" + markerText(item.value());
    return out;
  }
  return v.dump();  // integers, booleans, null
}

}  // namespace driftlab::detail

namespace driftlab {

const char* paramModeName(ParamMode mode) {
  switch (mode) {
    case ParamMode::Shared: return "shared";
    case ParamMode::Particles: return "particles";
    case ParamMode::Generator: return "generator";
    case ParamMode::RunLevel: return "run";
  }
  return "shared";
}

const std::vector<ParamInfo>& flowParamInfos() {
  static const std::vector<ParamInfo> infos = [] {
    std::vector<ParamInfo> out;
    const Scenario defaults;
    for (const auto& spec : detail::flowParamSpecs()) out.push_back(detail::describeParam(spec, defaults));
    return out;
  }();
  return infos;
}

const ParamInfo* findFlowParamInfo(std::string_view key_or_path) {
  for (const auto& info : flowParamInfos()) {
    if (key_or_path == info.key || key_or_path == info.json_path) return &info;
  }
  return nullptr;
}

}  // namespace driftlab
