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

// The lesson presets (THEORY.md §5.5 and §9.3) use weights normalised so that w(1) = 1 (forward 1,
// reverse 1/rho, chi2 rho, mixed (rho + 1/rho) / 2): compared at equal flow time, the divergences then
// differ only where rho != 1. Step 0.25 h^2 and the default cap 0.5 h keep the cap from erasing the
// weights (the earlier collapsed-start presets had every particle at the cap at t = 0).
DivergenceWeights normalisedWeights(const char* list) { return DivergenceWeights::parseList(list); }
constexpr const char* kReverseKL = "reverse_kl=1";
constexpr const char* kMixedHalf = "reverse_kl=0.5,chi2=0.5";  // with Chi2Convention::Half

// eight Gaussians from N(0, 0.5^2), h = 0.1, t = 2.5: where reverse KL leaves particles between modes
void blurLesson(Scenario& s, const char* weights) {
  s.params.dataset = "eight_gaussians";
  s.params.init = "gaussian";
  s.params.bandwidth.rule = BandwidthRule::Fixed;
  s.params.bandwidth.h = 0.1;
  s.params.step = 0.0025;
  s.params.chi2 = Chi2Convention::Half;
  s.params.weights = normalisedWeights(weights);
  s.steps = 1000;
  s.metrics_every = 50;
}

// two equal modes, h = 0.2, step 0.01; N = M = 512 and a 64-node grid keep the smoothed velocity
// interactive
void bimodalLesson(Scenario& s, const char* init, double h, double t_end) {
  s.params.dataset = "equal_bimodal";
  s.params.init = init;
  s.params.bandwidth.rule = BandwidthRule::Fixed;
  s.params.bandwidth.h = h;
  s.params.step = 0.25 * h * h;
  s.params.chi2 = Chi2Convention::Half;
  s.params.weights = normalisedWeights(kMixedHalf);
  s.steps = static_cast<long>(t_end / s.params.step + 0.5);
  s.metrics_every = 10;
}

void setFixedBandwidth(Scenario& s, double h) {
  s.params.bandwidth.rule = BandwidthRule::Fixed;
  s.params.bandwidth.h = h;
}

// JKO against explicit Euler at one large step (THEORY.md §11.2): the exact smoothed velocity is
// the gradient of the objective, so the proximal step cannot raise it; tau = 0.5 is 12.5 h^2,
// far beyond the explicit step's stability, and no displacement cap hides that
void jkoLesson(Scenario& s) {
  s.params.dataset = "equal_bimodal";
  s.params.init = "gaussian";
  s.params.particles = 300;
  s.params.samples = 300;
  s.params.weights = DivergenceWeights::single(Divergence::ForwardKL);
  setFixedBandwidth(s, 0.2);
  s.params.velocity_mode = VelocityMode::ExactSmoothed;
  s.params.smoothed_grid = 64;
  s.params.integrator = Integrator::Jko;
  s.params.step = 0.5;
  s.params.displacement_cap = 0.0;
  s.params.jko_inner_steps = 20;
  s.steps = 10;
  s.metrics_every = 1;
}

// Diffusion Flow Matching on eight Gaussians, N = M = 1024, 200 Euler-Maruyama steps (THEORY.md §12.3)
void dfmLesson(Scenario& s, double sigma, DfmDriftKind drift) {
  s.params.mode = FlowMode::Dfm;
  s.params.particles = 1024;
  s.params.samples = 1024;
  s.params.dfm_sigma = sigma;
  s.params.dfm_drift = drift;
  s.params.dfm_steps = 200;
  s.steps = 200;
  s.metrics_every = 10;
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
      {"lesson_blur_reverse_kl",
       "reverse KL leaves particles between the modes (blur): eight Gaussians from N(0, 0.5^2), h = 0.1, "
       "t = 2.5; within a mode's 99 % radius .54 / .52 / .51 of the particles vs .94-.95 for forward KL, chi2 "
       "and the mixture; energy .058-.066 vs .001-.005 (seeds 1-3, THEORY.md §5.5)",
       [](Scenario& s) { blurLesson(s, kReverseKL); }},
      {"lesson_blur_mixed",
       "the mixture (reverse KL + chi2) clears the between-mode particles that reverse KL alone leaves: same "
       "start as lesson_blur_reverse_kl; .94 / .95 / .94 within a mode's radius at t = 2.5, like forward KL and "
       "chi2 (seeds 1-3); all 8/8 modes for every divergence",
       [](Scenario& s) { blurLesson(s, kMixedHalf); }},
      {"lesson_exact_velocity_covers",
       "reverse KL moves mass to an empty mode only with the exact smoothed velocity: two equal modes, every "
       "particle on the left one, h = 0.2, t = 2.5; right-mode share .19 (seeds 1-3) vs .006-.012 plug-in; "
       "smoothed forward KL .13-.14, chi2 .11-.12, mixture .16-.17: the mixture does not cover best "
       "(w(rho) = (rho + 1/rho)/2 puts half its weight on chi2, THEORY.md §5.5)",
       [](Scenario& s) {
         bimodalLesson(s, "one_mode", 0.2, 2.5);
         s.params.weights = normalisedWeights(kReverseKL);
         s.params.velocity_mode = VelocityMode::ExactSmoothed;
         s.params.particles = 512;
         s.params.samples = 512;
         s.params.smoothed_grid = 64;
       }},
      {"lesson_bandwidth_decides_narrow",
       "the bandwidth, not the divergence, decides how fast mass leaves an over-filled mode: two equal modes "
       "filled 90/10, h = 0.2, t = 3; minor share .10 -> .13-.14 with the mixture (reverse KL .11-.12, chi2 "
       ".13-.15; seeds 1-3); compare lesson_bandwidth_decides_wide",
       [](Scenario& s) { bimodalLesson(s, "split_90_10", 0.2, 3.0); }},
      {"lesson_bandwidth_decides_wide",
       "the same 90/10 start with h = 0.6: minor share .10 -> .37-.40 by t = 3 with the mixture (reverse KL "
       ".33-.36, chi2 .39-.41; seeds 1-3); at h = 0.4 it is .25-.26: the spread between divergences stays "
       "below the effect of h (THEORY.md §5.5)",
       [](Scenario& s) { bimodalLesson(s, "split_90_10", 0.6, 3.0); }},
      {"unequal_bimodal_mixed",
       "unequal bimodal target (weights 0.3 / 0.7), mixed flow with h = 0.2 from N(0, 0.5^2): the mass does not "
       "split 30/70 by t = 12; final shares .40 / .41 / .44 on the 0.3 mode (seeds 1-3, mode_share_0)",
       [](Scenario& s) {
         s.params.dataset = "unequal_bimodal";
         setFixedBandwidth(s, 0.2);
         s.params.step = 0.04;
         s.steps = 300;
       }},
      // the 8x8 digits (64-D, THEORY.md §9.5): 500 particles on the 1797 images; metrics every 50 steps
      // because the KDE estimates in 64-D cost more than a step
      {"digits_particles",
       "8x8 digits (64-D) from N(0, 0.5^2 I), forward KL, Gaussian h = 2, no leave-one-out, step 1, 500 "
       "particles on the 1797 images: all 10 classes by step 10, energy 2.44-2.46 -> .0063-.0064 by step 400, "
       "1.1-1.5x that of a 500-image subset of the data (.0042-.0057), and .0034 by step 1000; new digits, not "
       "copies (nearest image 1.5 away vs 1.0 between images). With leave-one-out this flow stalls near .06 "
       "and then leaves the data (THEORY.md §9.5; seeds 1-3)",
       [](Scenario& s) {
         s.params.dataset = "digits";
         s.params.samples = 1797;
         s.params.particles = 500;
         s.params.weights = DivergenceWeights::single(Divergence::ForwardKL);
         // in 64-D at h = 2 the leave-one-out particle KDE pushes each particle off its nearest
         // neighbour harder than the data pull it back (measured, THEORY.md §9.5)
         s.params.leave_one_out = false;
         setFixedBandwidth(s, 2.0);
         s.params.step = 1.0;
         s.steps = 400;
         s.metrics_every = 50;
       }},
      {"digits_sphere",
       "the digits centred and scaled onto S^63, geometry=sphere, mixed flow, h = 0.5, step 0.1, 500 particles "
       "from a Gaussian start (uniform on the sphere): geodesic energy .0063-.0070 -> .00068 by t = 30, below a "
       "500-image subset's .0024-.0027; no copies: nearest image .41-.42 away vs .46 between images (seeds 1-3, "
       "THEORY.md §9.5)",
       [](Scenario& s) {
         s.params.geometry = GeometryKind::Sphere;
         s.params.dataset = "digits_sphere";
         s.params.samples = 1797;
         s.params.particles = 500;
         setFixedBandwidth(s, 0.5);
         s.params.step = 0.1;
         s.steps = 300;
         s.metrics_every = 50;
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
      // flows on S^2 (geometry=sphere, THEORY.md §10; data and layouts of §10.5)
      {"sphere_caps_from_collapsed",
       "S^2: six vMF caps from particles collapsed within 1e-3 rad of one point, mixed flow, h = 0.5: all 6 caps "
       "covered by t = 5, geodesic energy .00044-.00050 at t = 20; at h = 0.1 (--set bandwidth.h=0.1) .98-.99 of "
       "the particles stay in the nearest cap, 1/6 covered, energy 1.21-1.33 at t = 20 (seeds 1-3)",
       [](Scenario& s) {
         s.params.geometry = GeometryKind::Sphere;
         s.params.dataset = "sphere_vmf_caps";
         s.params.init = "sphere_collapsed_cap";
         setFixedBandwidth(s, 0.5);
         s.params.step = 0.02;
         s.steps = 1000;
         s.metrics_every = 25;
       }},
      {"sphere_unequal_caps_mixed",
       "S^2: caps weighted 0.2 / 0.3 / 0.5 from a uniform start (about 1/3 each), h = 0.5: mass moves between "
       "caps slowly; at t = 20 the 0.5 cap holds .46-.48 with the mixed flow (mode_tv .018-.040) vs .44-.46 "
       "with forward KL (mode_tv .038-.059; --set weights=forward_kl=1) (seeds 1-3)",
       [](Scenario& s) {
         s.params.geometry = GeometryKind::Sphere;
         s.params.dataset = "sphere_unequal_caps";
         s.params.init = "sphere_uniform";
         setFixedBandwidth(s, 0.5);
         s.params.step = 0.02;
         s.steps = 1000;
         s.metrics_every = 25;
       }},
      {"sphere_cauchy_far_cap",
       "S^2: the Cauchy kernel has no normalizable KDE in R^3 (THEORY.md §2.1) but a finite one on the compact "
       "sphere (§10.2); h = 0.1 from a cap far from six vMF caps: all 6 covered by t = 5, mode_tv .05-.09 at "
       "t = 10, vs the Gaussian (--set kernel=gaussian) stuck on the 3 nearest caps, mode_tv .50-.53 (seeds 1-3)",
       [](Scenario& s) {
         s.params.geometry = GeometryKind::Sphere;
         s.params.dataset = "sphere_vmf_caps";
         s.params.init = "sphere_far_cap";
         s.params.kernel.kind = KernelKind::Cauchy;
         setFixedBandwidth(s, 0.1);
         s.params.step = 0.02;
         s.steps = 500;
         s.metrics_every = 25;
       }},
      {"jko_vs_euler",
       "JKO at one large step, tau = 0.5 = 12.5 h^2 with no displacement cap: equal bimodal, forward KL with the exact "
       "smoothed velocity (the gradient of the objective), h = 0.2. The objective falls at every JKO step (1.5-1.9 -> "
       "1e-5-4e-3 at step 10, energy .13-.14 -> .0004-.005); fork and set integrator=euler: the explicit step's "
       "objective jumps to 55-89 at step 1 and 4300-8200 at step 2, its energy grows to 29-44 (seeds 1-3), and its "
       "particles leave the smoothed grid (where the objective then reads near 0)",
       [](Scenario& s) { jkoLesson(s); }},
      {"dfm_eight_gaussians",
       "Diffusion Flow Matching: 1024 particles from N(0, I) at t = 0 to eight Gaussians at t = 0.999 in 200 "
       "Euler-Maruyama steps under the oracle drift, sigma = 0.5: 55-59 % end within 1e-2 of a training point, as "
       "fresh data do (63-64 %): new points, not copies (nearest-point ratio 1.06-1.11, seeds 1-3); scrub t in the DFM panel",
       [](Scenario& s) { dfmLesson(s, 0.5, DfmDriftKind::Oracle); }},
      {"dfm_memorization",
       "DFM as dfm_eight_gaussians with sigma = 0 (deterministic flow matching): 97-98 % of the samples end within "
       "1e-2 of a training point (fresh data 63-64 %, nearest-point ratio 0.39-0.40, seeds 1-3): the oracle drift of "
       "an empirical data set copies it",
       [](Scenario& s) { dfmLesson(s, 0.0, DfmDriftKind::Oracle); }},
      {"dfm_learned",
       "DFM as dfm_eight_gaussians (sigma = 0.5) under a learned drift: an MLP trained for 3000 Adam steps on "
       "bridge samples before the first step (3.4 s on 2 cores); energy to the data .0009-.0015 at t = 0.999 against "
       "the oracle's .0005-.0013, 46-49 % within 1e-2 of a training point (ratio 1.27-1.35, seeds 1-3)",
       [](Scenario& s) { dfmLesson(s, 0.5, DfmDriftKind::Learned); }},
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
