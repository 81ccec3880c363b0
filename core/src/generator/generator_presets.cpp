// Built-in generator scenarios for generator mode. The two official toys reproduce the DM notebook's
// settings (THEORY.md §7.5 [DM-notebook]). The collapsed-start presets put forward KL alone, chi2
// alone and the reverse-KL + chi2 mixture (THEORY.md §5.2, §5.5) side by side from the same
// collapsed generator. Measured (docs/GENERATOR.md): in generator training they do NOT show the
// GFD contrast (collapse / blur / coverage). Adam removes a common scale of the gradient, so a
// divergence acts only through how its weight w(rho) differs between the samples of a batch, and
// inside a collapsed blob rho is about the same for every sample; what decides the escape is the
// bandwidth (the reach of the data KDE's pull from the neighbouring modes): at h = 0.15 all three
// stay in one mode, at h = 0.3 all three cover 8/8 by step 250. The presets use h = 0.2, where the
// escape takes a few hundred steps and can be watched in the modes-covered curve. Any thread.
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/generator/generator.hpp"

namespace driftlab {

namespace {

// DM official toy: MLP 32-256-256-256-2 SiLU, Adam 1e-3, batches 2048/2048, 2000 steps,
// Laplacian kernel with temperature 0.05 in raw coordinates, Algorithm-2 double
// normalization with the self-mask, target x + V (eta = 1). THEORY.md §7.5, §4.4.
GeneratorScenario officialToy(const std::string& name, const std::string& dataset, const std::string& what) {
  GeneratorScenario s;
  s.name = name;
  s.description = what + ": DM official toy settings (Laplacian temperature 0.05, Algorithm-2 double "
                         "normalization, MLP 32-256-256-256-2 SiLU, Adam 1e-3, batches 2048/2048, 2000 steps); "
                         "samples from a 0.999 weight average (ema; training unchanged, ema=0 shows the raw weights)";
  FlowParams& f = s.params.field;
  f.dataset = dataset;
  f.kernel.kind = KernelKind::Laplacian;
  f.bandwidth.rule = BandwidthRule::Fixed;
  f.bandwidth.h = 0.05;
  f.weights = DivergenceWeights::single(Divergence::DriftDouble);
  f.leave_one_out = true;  // DM self-mask
  f.displacement_cap = 0.0;  // the DM loss has no cap
  f.metrics_h = 0.1;
  s.params.eta = 1.0;
  // Not in the notebook, and training never reads it: at the constant lr 1e-3 the raw weights'
  // samples wander (checkerboard energy-distance ratio 1.2-2.4 between steps 1000 and 2000, three
  // seeds); the average's stay at 0.9-1.3 (docs/GENERATOR.md)
  s.params.ema = 0.999;
  s.steps = 2000;
  s.metrics_every = 100;
  return s;
}

// Collapsed start on a mixture: every sample begins within ~1e-3 of `centre`; the field is a
// score-form f-divergence with a Gaussian kernel.
GeneratorScenario collapsedStart(const std::string& name, const std::string& dataset, const std::string& divergence,
                                 const std::string& what, double h, std::vector<double> centre) {
  GeneratorScenario s;
  s.name = name;
  s.description = what;
  FlowParams& f = s.params.field;
  f.dataset = dataset;
  f.kernel.kind = KernelKind::Gaussian;
  f.bandwidth.rule = BandwidthRule::Fixed;
  f.bandwidth.h = h;
  f.weights = DivergenceWeights::fromName(divergence);
  f.leave_one_out = true;
  // per-sample cap of the target displacement at 0.5 h (particle mode's default): the clamped
  // chi2 / reverse-KL weights (up to 1e6) would otherwise hand the gradient to a few samples
  f.displacement_cap = 0.5;
  f.metrics_h = 0.1;
  s.params.network_init = NetworkInit::Collapsed;
  s.params.init_scale = 1e-3;
  s.params.init_center = std::move(centre);
  s.params.batch = 1024;
  s.params.data_batch = 1024;
  s.params.sample_count = 2048;
  s.params.eta = h * h;  // eta = h^2 as in particle mode for KL (THEORY.md §7.5); Adam is scale-free in eta
  s.steps = 1000;
  s.metrics_every = 50;
  return s;
}

// The 8 x 8 digits (64-D, THEORY.md §9.5): the DM toy's network and optimizer with 64 outputs,
// batches 512 / 512, forward KL with a Gaussian kernel h = 2 (the particle preset's bandwidth: the
// toy's Laplacian temperature 0.05 is far below the 1.0 between neighbouring images).
GeneratorScenario digitsGenerator(const std::string& name, const std::string& description) {
  GeneratorScenario s = officialToy(name, "digits", "digits");
  s.description = description;
  FlowParams& f = s.params.field;
  f.kernel.kind = KernelKind::Gaussian;
  f.bandwidth.h = 2.0;
  f.weights = DivergenceWeights::single(Divergence::ForwardKL);
  f.metrics_h = 2.0;
  s.params.arch.output_dim = 64;
  s.params.batch = 512;
  s.params.data_batch = 512;
  s.params.sample_count = 1024;
  s.steps = 1000;
  s.metrics_every = 100;
  return s;
}

// Six vMF caps on S^2 (THEORY.md §10.5, §10.7): the network's output is normalized onto the sphere
// and its target is the sphere step Exp_x(eta v). A small network (latent 8, widths 64-64) from the
// default start, whose normalized outputs already spread over the sphere, with the DM toy's field
// (Laplacian, Algorithm-2 double normalization, eta = 1, no cap) at temperature 0.1, about the
// caps' angular spread (0.14 rad). The numbers in the description: seeds 1-3 of `driftlab-cli
// train --preset gen_sphere_caps --seed S`.
GeneratorScenario sphereCaps(const std::string& name, const std::string& description) {
  GeneratorScenario s;
  s.name = name;
  s.description = description;
  FlowParams& f = s.params.field;
  f.dataset = "sphere_vmf_caps";
  f.geometry = GeometryKind::Sphere;
  f.kernel.kind = KernelKind::Laplacian;
  f.bandwidth.rule = BandwidthRule::Fixed;
  f.bandwidth.h = 0.1;
  f.weights = DivergenceWeights::single(Divergence::DriftDouble);
  f.leave_one_out = true;  // DM self-mask
  f.displacement_cap = 0.0;
  f.metrics_h = 0.1;
  s.params.arch.input_dim = 8;
  s.params.arch.hidden = {64, 64};
  s.params.arch.output_dim = 3;
  s.params.batch = 512;
  s.params.data_batch = 512;
  s.params.sample_count = 2048;
  s.params.eta = 1.0;
  s.steps = 1000;
  s.metrics_every = 100;
  return s;
}

struct PresetEntry {
  const char* name;
  const char* description;
};

const PresetEntry kPresets[] = {
    {"gen_checkerboard",
     "checkerboard at the DM official toy settings (Laplacian 0.05, drift_double, 2000 steps), samples from a 0.999 "
     "weight average"},
    {"gen_swiss_roll",
     "Swiss roll at the DM official toy settings (Laplacian 0.05, drift_double, 2000 steps), samples from a 0.999 "
     "weight average"},
    {"digits_generator",
     "8x8 digits (64-D): MLP 32-256-256-256-64, Adam 1e-3, batches 512/512, forward KL with a Gaussian kernel "
     "h = 2, 1000 steps, samples from a 0.999 weight average: 9-10 classes at step 200, all 10 by step 400; energy "
     "to the data 3.6-4.4 -> .013-.015 at step 1000; the samples are blurred digits, not copies (nearest image 1.9 away vs 1.0 "
     "between images; seeds 1-3)"},
    {"gen_eight_gaussians_forward_kl",
     "eight Gaussians from a collapsed start, forward KL(q||p) alone (weight 1), Gaussian h = 0.2: escapes the collapse "
     "and covers 8/8 within 1000 steps; compare the chi2 and mixture presets (the bandwidth, not the divergence, decides)"},
    {"gen_eight_gaussians_chi2",
     "eight Gaussians from a collapsed start, chi2(q||p) alone (weight 2 q/p), Gaussian h = 0.2: escapes like forward "
     "KL (8/8 within 1000 steps, order between divergences varies with the seed)"},
    {"gen_eight_gaussians_mixed",
     "eight Gaussians from a collapsed start, reverse KL + chi2 mixture (weight p/q + q/p), Gaussian h = 0.2: 8/8 "
     "within 1000 steps, no faster than forward KL alone in generator training (docs/GENERATOR.md)"},
    {"gen_unequal_bimodal_forward_kl",
     "unequal bimodal (0.3/0.7) from a collapsed start on the minor mode, forward KL alone, h = 0.3: both modes, "
     "minor share about 0.32"},
    {"gen_unequal_bimodal_chi2",
     "unequal bimodal (0.3/0.7) from a collapsed start on the minor mode, chi2 alone, h = 0.3: both modes, minor "
     "share about 0.31"},
    {"gen_unequal_bimodal_mixed",
     "unequal bimodal (0.3/0.7) from a collapsed start on the minor mode, reverse KL + chi2 mixture, h = 0.3: both "
     "modes, minor share about 0.32"},
    {"gen_sphere_caps",
     "six vMF caps on S^2, geometry sphere (normalized output, target Exp_x(eta v)): MLP 8-64-64-3, drift_double, "
     "Laplacian 0.1, eta 1, batches 512/512, 1000 steps: all 6 caps from step 100 on (shares .155-.178); energy "
     ".16-.43 at step 0, .008-.011 at step 200, .0034-.0043 at step 1000, 2.1-3.0x the .0012-.0015 of two data "
     "samples; 77-78 % of the samples within a cap's 99 % radius (seeds 1-3)"},
};

}  // namespace

std::vector<NamedDescription> generatorPresetCatalog() {
  std::vector<NamedDescription> out;
  for (const PresetEntry& p : kPresets) out.push_back({p.name, p.description});
  return out;
}

bool isGeneratorPresetName(std::string_view name) {
  for (const PresetEntry& p : kPresets)
    if (name == p.name) return true;
  return false;
}

GeneratorScenario generatorPreset(std::string_view name) {
  const std::string n(name);
  if (n == "gen_checkerboard") return officialToy(n, "checkerboard", "checkerboard");
  if (n == "gen_swiss_roll") return officialToy(n, "swiss_roll", "Swiss roll");
  const PresetEntry* entry = nullptr;
  for (const PresetEntry& p : kPresets)
    if (n == p.name) entry = &p;
  if (entry && n == "digits_generator") return digitsGenerator(n, entry->description);
  if (entry && n == "gen_sphere_caps") return sphereCaps(n, entry->description);
  const std::string eight = "gen_eight_gaussians_", bimodal = "gen_unequal_bimodal_";
  for (const char* div : {"forward_kl", "chi2", "mixed"}) {
    if (!entry) break;
    if (n == eight + div)
      return collapsedStart(n, "eight_gaussians", div, entry->description, 0.2, {0.15, 0.05});
    if (n == bimodal + div)
      return collapsedStart(n, "unequal_bimodal", div, entry->description, 0.3, {-0.8, 0.0});
  }
  std::string names;
  for (const PresetEntry& p : kPresets) names += (names.empty() ? "" : ", ") + std::string(p.name);
  detail::throwInvalidArgument("preset: unknown generator preset '" + n + "' (known: " + names + ")");
}

}  // namespace driftlab
