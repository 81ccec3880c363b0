// Built-in presets shared by the app and the CLI: named lessons (UX.md lesson 20, THEORY.md §9.3
// and §14). Each description is one line that says what to notice. Initial layouts "far" and
// "collapsed" are our own choices (the Drifting Model's settings are unpublished, THEORY.md §14)
// and are labelled so. Any thread.
#include <functional>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/scenario.hpp"
#include "flow/param_text.hpp"

namespace driftlab {

namespace {

struct Preset {
  const char* name;
  const char* description;
  std::function<void(Scenario&)> configure;  // applied to defaultScenario()
};

// the paper's point (GFD mixed strategy, THEORY.md §5.5): same collapsed start on eight_gaussians
// h = 0.2: at 0.1 no field reaches a second mode from the collapsed start; at 0.3 all three cover them
void collapsedOnEight(Scenario& s) {
  s.params.dataset = "eight_gaussians";
  s.params.init = "collapsed";
  s.params.bandwidth.rule = BandwidthRule::Fixed;
  s.params.bandwidth.h = 0.2;
  s.params.step = 0.04;
  s.steps = 300;
}

void setFixedBandwidth(Scenario& s, double h) {
  s.params.bandwidth.rule = BandwidthRule::Fixed;
  s.params.bandwidth.h = h;
}

const std::vector<Preset>& presets() {
  static const std::vector<Preset> list = {
      {"default",
       "eight Gaussians from a centred Gaussian blob, mixed reverse-KL + chi2 flow: watch all 8 modes fill "
       "evenly while the energy distance falls",
       [](Scenario& s) { s.steps = 300; }},
      {"checkerboard",
       "checkerboard target (DM notebook) with forward KL, h = 0.05 and step h^2 (the Gaussian DM mean shift): "
       "the sharp square edges need a small bandwidth; empty squares drain last",
       [](Scenario& s) {
         s.params.dataset = "checkerboard";
         s.params.weights = DivergenceWeights::single(Divergence::ForwardKL);
         setFixedBandwidth(s, 0.05);
         s.params.step = 0.0025;
         s.steps = 600;
       }},
      {"swiss_roll",
       "Drifting Model toy: Laplacian kernel h = 0.05 with Algorithm-2 double normalization; particles "
       "thread along the spiral arms",
       [](Scenario& s) {
         s.params.dataset = "swiss_roll";
         s.params.kernel.kind = KernelKind::Laplacian;
         setFixedBandwidth(s, 0.05);
         s.params.weights = DivergenceWeights::single(Divergence::DriftDouble);
         s.params.step = 0.5;
         s.steps = 400;
       }},
      {"two_moons",
       "two moons with the mixed flow: the blob splits in two and each half bends into a crescent",
       [](Scenario& s) { s.params.dataset = "two_moons"; }},
      {"far_init",
       "Drifting Model mean shift (h = 0.3) from a blob far from the data (init 'far' is our choice; DM settings "
       "unpublished, THEORY.md §14): the cloud travels as one, then splits over the 8 modes",
       [](Scenario& s) {
         s.params.init = "far";
         s.params.weights = DivergenceWeights::single(Divergence::Drift);
         setFixedBandwidth(s, 0.3);
         s.params.step = 0.5;
         s.steps = 400;
       }},
      {"collapsed_init",
       "Drifting Model mean shift (h = 0.3) with all particles starting within 1e-3 of one point (our choice, "
       "THEORY.md §14): the repulsion term must first blow the cluster apart",
       [](Scenario& s) {
         s.params.init = "collapsed";
         s.params.weights = DivergenceWeights::single(Divergence::Drift);
         setFixedBandwidth(s, 0.3);
         s.params.step = 0.5;
         s.steps = 400;
       }},
      {"mode_collapse_forward_kl",
       "forward KL alone from a collapsed start on eight Gaussians (h = 0.2): count the modes it reaches and "
       "compare with mode_blur_chi2 and mode_cover_mixed",
       [](Scenario& s) {
         collapsedOnEight(s);
         s.params.weights = DivergenceWeights::single(Divergence::ForwardKL);
       }},
      {"mode_blur_chi2",
       "chi2(q||p) alone from the same collapsed start: over-dense regions are pushed apart hardest; look for "
       "particles left between the modes (blur)",
       [](Scenario& s) {
         collapsedOnEight(s);
         s.params.weights = DivergenceWeights::single(Divergence::Chi2);
       }},
      {"mode_cover_mixed",
       "reverse KL + chi2 mixture from the same collapsed start: the paper's mixed strategy, which GFD reports "
       "covers every mode without blur (THEORY.md §5.5)",
       [](Scenario& s) { collapsedOnEight(s); }},
      {"unequal_bimodal_mixed",
       "unequal bimodal target (weights 0.3 / 0.7): check that the particle mass splits 30/70 rather "
       "than 50/50",
       [](Scenario& s) {
         s.params.dataset = "unequal_bimodal";
         setFixedBandwidth(s, 0.2);
         s.params.step = 0.04;
         s.steps = 300;
       }},
      {"bandwidth_too_small",
       "h = 0.01 is far below the particle spacing: density ratios become extreme and the displacement cap "
       "throttles the whole flow; watch the flow time barely advance",
       [](Scenario& s) {
         setFixedBandwidth(s, 0.01);
         s.params.step = 0.0005;
       }},
      {"bandwidth_too_large",
       "h = 0.6 is wider than the gaps between modes: the coarse shape is matched fast, but each mode's fine "
       "structure resolves slowly (compare the energy distance with 'default')",
       [](Scenario& s) {
         setFixedBandwidth(s, 0.6);
         s.params.step = 0.05;
       }},
      {"laplacian_vs_gaussian",
       "default scene with the Laplacian kernel: heavier tails reach far particles and fine detail decays "
       "polynomially, not exponentially (THEORY.md §3.5); compare with 'default'",
       [](Scenario& s) { s.params.kernel.kind = KernelKind::Laplacian; }},
      {"mmd_flow",
       "MMD gradient flow (unnormalized Gaussian kernel h = 0.2, THEORY.md §5.3): no density ratios, so no "
       "blow-ups; particles between modes move slowly",
       [](Scenario& s) {
         s.params.weights = DivergenceWeights::single(Divergence::MMD);
         setFixedBandwidth(s, 0.2);
         s.params.step = 0.5;
       }},
      {"annealing",
       "bandwidth annealed from 0.5 to 0.05, h(t) = max(h0 exp(-r t), h_min) (THEORY.md §3.4): coarse "
       "shape first, then the modes sharpen",
       [](Scenario& s) {
         s.params.bandwidth.rule = BandwidthRule::Anneal;
         s.params.bandwidth.h = 0.5;
         s.params.bandwidth.anneal_rate = 2.0;
         s.params.bandwidth.h_min = 0.05;
       }},
      {"multiscale",
       "multi-scale field: sum over h = 0.02, 0.05, 0.2, each RMS-normalized (DM code, THEORY.md §3.6); "
       "large scales move the mass, small ones place it",
       [](Scenario& s) {
         s.params.bandwidth.rule = BandwidthRule::MultiScale;
         s.params.bandwidth.scales = {0.02, 0.05, 0.2};
         s.params.weights = DivergenceWeights::single(Divergence::Drift);
         s.params.step = 0.02;
       }},
  };
  return list;
}

}  // namespace

Scenario defaultScenario() {
  Scenario s;
  s.name = "default";
  s.steps = 500;
  s.metrics_every = 10;
  return s;
}

std::vector<NamedDescription> presetCatalog() {
  std::vector<NamedDescription> out;
  for (const auto& p : presets()) out.push_back({p.name, p.description});
  return out;
}

Scenario presetScenario(std::string_view name) {
  for (const auto& p : presets()) {
    if (name == p.name) {
      Scenario s = defaultScenario();
      s.name = p.name;
      s.description = p.description;
      p.configure(s);
      return s;
    }
  }
  detail::throwInvalidArgument("preset: unknown '" + std::string(name) + "' (expected one of " +
                               detail::joinNames(presetCatalog()) + ")");
}

}  // namespace driftlab
