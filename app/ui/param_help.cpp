// Tooltip texts. Each entry: meaning, usual range, what to watch; THEORY.md sections where the
// maths behind a control is written down. Keep them short enough to read in a tooltip.
#include "param_help.hpp"

#include <array>

namespace driftlab::app::ui {

namespace {

constexpr std::array kHelp = {
    // ---- run ----
    ParamHelp{"preset", "Built-in scenarios (dataset, initial particles and flow settings), each showing one lesson: "
                        "far or collapsed initialisation, bandwidth too small or too large, KL vs chi2 vs their mix. "
                        "Loading one replaces the running flow."},
    ParamHelp{"scenario", "Path of a scenario JSON file. Load replaces the running flow with the file's settings; "
                          "Save writes the current settings there. Errors (missing file, bad field) appear in the "
                          "status bar; the running flow is kept."},
    ParamHelp{"run", "Play / pause the flow (Space). While paused, Step (Right arrow) advances one step. "
                     "Pausing never loses state."},
    ParamHelp{"reset", "Reset (R) restarts from t = 0 with the same seeds: the identical run replays. "
                       "New seed (N) draws new data and new initial particles."},
    ParamHelp{"engine_error", "The engine rejected the last change (the value named here); the previous value "
                              "stays in force."},
    // ---- data ----
    ParamHelp{"dataset", "Target distribution p (the data the particles flow towards). Changing it keeps the "
                         "particles where they are, so you can watch them re-route. Mixtures (eight / 25 "
                         "gaussians) also report how many modes are covered."},
    ParamHelp{"init", "Initial particle layout q0. gaussian: N(0, 0.5^2); far: a blob away from the data (watch "
                      "Gaussian kernels stall, THEORY.md §2.2); collapsed: all particles in one tiny spot (the "
                      "repulsion term must spread them); uniform: a box. Changing it re-places the particles."},
    ParamHelp{"particles", "N, the number of particles (law q). Usual 256 - 4096; the cost per step grows like "
                           "N (N + M). Applied when you release the slider; new particles are sampled from the "
                           "current particle KDE, so the flow does not restart."},
    ParamHelp{"samples", "M, the number of data points (law p). Usual 256 - 4096. Applied when you release the "
                         "slider (the data set is re-sampled with the same seed)."},
    ParamHelp{"data_seed", "Seed of the data sample. Same seed = same data. Applied on Enter / when you leave "
                           "the field."},
    ParamHelp{"init_seed", "Seed of the initial particles. Reset replays the same run; a new seed gives another "
                           "draw of the same layout."},
    // ---- kernel and bandwidth ----
    ParamHelp{"kernel", "Kernel k of both KDEs (THEORY.md §2.1). gaussian: smooth, but its score grows with the "
                        "distance and far particles can stall or overshoot; laplacian (the Drifting Model's "
                        "default): bounded score (<= 1/h), not smooth at 0; matern32: smooth Laplacian; "
                        "student_t / cauchy / imq: heavy tails that still pull far particles. Cauchy and IMQ with "
                        "2 beta <= 2 are not integrable: density maps and KL values are then unavailable."},
    ParamHelp{"nu", "Student-t degrees of freedom. Small nu (1 - 3) = heavy tails, long-range pull; large nu "
                    "(> 30) approaches the Gaussian."},
    ParamHelp{"beta", "IMQ exponent: k = (c^2 + r^2/h^2)^(-beta). beta <= 1 in 2-D makes the kernel "
                      "non-integrable (no density, THEORY.md §2.1); 0.5 is the usual choice for Stein methods."},
    ParamHelp{"c", "IMQ offset c (> 0). Larger c flattens the kernel's centre; usual 0.5 - 2."},
    ParamHelp{"bandwidth.rule", "How h is chosen. fixed: the slider; silverman: from the data spread "
                                "(THEORY.md §3.2); median: median pairwise distance (SVGD heuristic, follows the "
                                "particles); anneal: h(t) = max(h0 exp(-rate t), h_min) (THEORY.md §3.4); "
                                "multiscale: several bandwidths, each field normalised by its RMS and summed "
                                "(THEORY.md §3.6). Dragging h while an automatic rule is active switches to fixed."},
    ParamHelp{"bandwidth.h", "Kernel bandwidth h in data units (data spans about [-1, 1]). Usual 0.02 - 0.3. "
                             "Too small: particles only see their nearest data point, the flow freezes and "
                             "leaves gaps; too large: modes blur together and the particles shrink to the mean. "
                             "For anneal this is the start value h0. The circle under the cursor has radius h."},
    ParamHelp{"bandwidth.rate", "Annealing rate r (per unit flow time) in h(t) = max(h0 exp(-r t), h_min). Usual "
                                "0.1 - 2: fast enough to reach fine detail, slow enough to first move mass "
                                "globally (THEORY.md §3.4)."},
    ParamHelp{"bandwidth.min", "Annealing floor h_min: h never drops below it. Usual 0.01 - 0.05; near the data's "
                               "finest detail."},
    ParamHelp{"bandwidth.scales", "Bandwidths of the multi-scale field, comma separated (the Drifting Model's "
                                  "code uses 0.02, 0.05, 0.2). Each scale's field is divided by its RMS over the "
                                  "particles before summing (THEORY.md §3.6). Press Enter to apply."},
    ParamHelp{"kernel_profile", "The kernel profile k(r) / k(0) against the distance r for the current kernel "
                                "and bandwidth (the dashed line marks r = h). Heavy tails stay above zero far "
                                "out: those kernels still pull distant particles."},
    // ---- divergence mixture ----
    ParamHelp{"weights", "The velocity is a weighted sum of one field per divergence (0 = off, usual 0 - 2). "
                         "Every f-divergence moves particles along grad log p_hat - grad log q_hat, scaled by "
                         "its own weight w(rho), rho = q_hat / p_hat (THEORY.md §5.2). Changes apply live and drop a "
                         "marker on the curves. At least one weight must be > 0."},
    ParamHelp{"weights.drift", "Drifting Model mean shift V = V+ - V- with single normalisation (THEORY.md §4.2, "
                               "§6.2); works with any kernel."},
    ParamHelp{"weights.drift_double", "Drifting Model Algorithm 2 with double (row and column) normalisation "
                                      "(THEORY.md §4.4). Its gain collapses far from the data: watch a far "
                                      "initialisation freeze."},
    ParamHelp{"weights.forward_kl", "KL(q||p), weight w = 1: the plain score difference (equals the Drifting "
                                    "field for a Gaussian kernel). Mode-seeking tendencies are mild."},
    ParamHelp{"weights.reverse_kl", "KL(p||q), weight p_hat / q_hat: speeds up particles where data is "
                                    "under-covered, so it fights mode collapse (mass-covering), THEORY.md §5.2."},
    ParamHelp{"weights.chi2", "chi2(q||p), weight 2 q_hat / p_hat (or q_hat / p_hat, see chi2 convention): "
                              "pushes particles out of data-poor regions, fights blurring; can explode for "
                              "particles far from the data (watch the displacement cap and warnings), "
                              "THEORY.md §5.5."},
    ParamHelp{"weights.chi2_reverse", "chi2(p||q), weight 2 (p_hat / q_hat)^2: extreme mass covering; very large "
                                      "weights at uncovered data."},
    ParamHelp{"weights.hellinger", "Squared Hellinger distance, weight 0.5 (p_hat / q_hat)^(1/2): between forward "
                                   "and reverse KL."},
    ParamHelp{"weights.js", "Jensen-Shannon, weight 0.5 p_hat / (p_hat + q_hat): bounded by 0.5, so it is slow "
                            "but never explodes."},
    ParamHelp{"weights.alpha", "Alpha divergence, weight rho^(alpha - 1): alpha = 1 is forward KL, 0 reverse KL, "
                               "2 half chi2. Set alpha below."},
    ParamHelp{"weights.mmd", "MMD flow: gradient of the witness function, no density normalisation "
                             "(THEORY.md §5.3). Very slow far from the data (the kernel vanishes there)."},
    ParamHelp{"weights.sinkhorn", "Sinkhorn drift T_qp(x) - T_qq(x) with entropic plans, eps = h^2 (THEORY.md §4.6). "
                                  "Costlier per step; good at transporting mass globally."},
    ParamHelp{"weights.mixed", "The paper's mixed strategy: reverse KL 1 + chi2 0.5, i.e. v = (p/q + q/p)(grad log "
                               "p - grad log q) with the full chi2 convention (THEORY.md §5.5). Covers modes and "
                               "keeps them sharp."},
    ParamHelp{"weights.single", "Use one divergence alone (weight 1, all others 0) to compare their behaviour: "
                                "reverse KL covers all modes but blurs, chi2 is sharp but may drop modes."},
    ParamHelp{"alpha", "Alpha of the alpha divergence (weight rho^(alpha - 1)). Usual -1 - 3; only used when the "
                       "alpha weight is > 0."},
    ParamHelp{"chi2", "chi2 normalisation: full = weight 2 q_hat / p_hat, half = q_hat / p_hat (the convention of "
                      "third-party code citing the paper). THEORY.md §14 marks the paper's constant as unverified, "
                      "so both are offered; they differ only by a factor 2 in the chi2 term's speed."},
    ParamHelp{"leave_one_out", "Exclude each particle from its own q_hat (the Drifting Model's self-mask). On: "
                               "no self-attraction bias; off: q_hat is over-peaked at each particle, repulsion "
                               "weakens for small N."},
    ParamHelp{"velocity", "plug-in: evaluate the velocity of the KDE densities at each particle (GFD/DM). exact "
                          "smoothed: the true gradient of the smoothed divergence, k_h * v on a grid; only it "
                          "guarantees a decreasing objective (THEORY.md §5.4). Watch the objective curve: plug-in may "
                          "be non-monotone."},
    ParamHelp{"smoothed_grid", "Grid nodes per axis for the exact smoothed velocity. Usual 64 - 128; cost grows "
                               "like N times grid^2."},
    ParamHelp{"ratio_clamp", "rho = q_hat / p_hat is clamped to [ratio_min, ratio_max] before the divergence "
                             "weights (THEORY.md §6.2); default [1e-6, 1e6]. Tighter clamps tame chi2 blow-ups."},
    ParamHelp{"metrics_h", "Bandwidth of the fixed Gaussian reference kernel used by the metric curves (MMD^2, KL "
                           "estimates). Fixed on purpose, so curves stay comparable when you change the flow's "
                           "kernel. Usual 0.05 - 0.2."},
    // ---- time stepping ----
    ParamHelp{"integrator", "euler: x += eta v. heun: predictor-corrector (two field evaluations per step, twice "
                            "the cost), more accurate for large steps."},
    ParamHelp{"step", "Step size eta in flow-time units. Usual 0.001 - 0.1. Too large: particles overshoot and "
                      "oscillate (the engine halves eta and warns after a blow-up); too small: slow."},
    ParamHelp{"displacement_cap", "Maximum move per step, in bandwidths (THEORY.md §6.3); 0 = off. Usual "
                                  "0.25 - 1. Keeps chi2 and Gaussian far-field blow-ups in check; when it is "
                                  "active the effective step (status bar) is below eta."},
    ParamHelp{"compute_path", "How the kernel sums are computed. auto: float64 for small runs, float32 SIMD for "
                              "medium ones, the 2-D FFT grid above ~16k x 16k. exact = float32 (~1e-6 relative), "
                              "exact64 = float64, grid = O(N + M + G^2 log G) binning + FFT: ~0.5% error on "
                              "forward-KL fields, worse for chi2/mixed far from the data (docs/PERFORMANCE.md)."},
    ParamHelp{"cap_mode", "Per particle (default): each particle's move is clipped to cap x h and the step "
                          "stays eta, as in the GFD mixture code (THEORY.md §5.5). Globally: the whole step "
                          "shrinks to cap x h / max|v| (THEORY.md §6.3) - an exact time rescaling, but one runaway "
                          "particle with a huge chi2/reverse-KL weight then freezes the whole flow."},
    ParamHelp{"steps_per_frame", "Engine steps between two published frames. Higher = faster flow on screen, "
                                 "choppier motion. The engine never blocks the UI."},
    // ---- canvas tools ----
    ParamHelp{"tool", "What the left mouse button does on the canvas (keys 1-6). probe: show the field at the "
                      "click; pick: follow one particle's path; brush: add data points; erase: remove data "
                      "points; drag: move a particle; blob: drop a blob of particles. Right-drag pans, the wheel "
                      "zooms."},
    ParamHelp{"brush_radius", "Radius of the brush and eraser in data units (the data spans about [-1, 1])."},
    ParamHelp{"brush_points", "Data points the brush adds per frame while dragging (inside the brush radius). Usual 2 - 10."},
    ParamHelp{"blob_count", "Particles added by one blob click, drawn around the click point. Usual 50 - 500; they join the "
                          "flow at once without a reset."},
    ParamHelp{"clear_data", "Remove all data points but one (the KDE needs at least one), then paint a new target "
                            "with the brush while the flow runs."},
    ParamHelp{"blob_radius", "Standard deviation of a dropped blob, data units."},
    // ---- view ----
    ParamHelp{"view.layers", "Show or hide the particles (q), the data (p) and the grid."},
    ParamHelp{"view.coloring", "Particle colour. start position: a hue per starting place, so tearing and mode "
                               "splitting show; speed: |v|; nearest mode: the mixture component each particle "
                               "sits on; plain: one colour."},
    ParamHelp{"view.particle_arrows", "An arrow on every particle showing its velocity."},
    ParamHelp{"view.quiver", "Arrows of the velocity field v(x) on a grid over the view, also away from the "
                             "particles."},
    ParamHelp{"view.arrow_mode", "true length: length = scale x |v| with a locked scale (never rescaled silently, "
                                 "so arrows shrink as the flow converges); normalized: equal lengths, colour by "
                                 "|v|; log length: length grows like log(1 + |v|)."},
    ParamHelp{"view.arrow_scale", "World units per unit speed for true-length arrows. Locked: it only changes "
                                  "when you drag it; compare frames fairly."},
    ParamHelp{"view.split", "total: the whole field. attraction / repulsion: the data part and the particle part "
                            "(v = attraction + repulsion). per term: one overlay per active divergence (they "
                            "sum to the total)."},
    ParamHelp{"view.solo_term", "Show only one divergence term's field (per term split)."},
    ParamHelp{"view.heat_map", "Background map. log ratio log(p_hat / q_hat): diverging colours, neutral where "
                               "the flow is at equilibrium; log p / log q: the KDEs; speed: |v|. Unavailable for "
                               "non-integrable kernels."},
    ParamHelp{"view.heat_opacity", "Opacity of the heat map (0 = hidden, 1 = opaque)."},
    ParamHelp{"view.trails", "Fading trails behind the particles; length in frames."},
    ParamHelp{"view.bandwidth_circle", "A circle of radius h under the mouse: the distance at which the kernel "
                                       "has dropped noticeably."},
    ParamHelp{"view.kernel_profile", "A small kernel-profile plot next to the cursor on the canvas."},
    ParamHelp{"view.colorbar", "The heat map's colour bar and the scale legend of true-length arrows."},
    ParamHelp{"view.sizes", "Point sizes in pixels of particles and data."},
    ParamHelp{"view.resolution", "Grid nodes per axis of the quiver field and of the heat maps. The engine "
                                 "evaluates the field on these grids: finer grids cost engine time."},
    ParamHelp{"view.picked_particle", "Index of the particle whose full path is drawn (-1 = none). The pick tool "
                                      "sets it by clicking."},
    ParamHelp{"view.fit", "Fit the view to the data and the particles (F)."},
    // ---- plots ----
    ParamHelp{"plots.x_axis", "Plot against the step count or against flow time t (the sum of effective step "
                              "sizes). Flow time compares runs with different step sizes fairly."},
    ParamHelp{"plots.log_y", "Logarithmic y axes: decays become straight lines; values <= 0 leave gaps."},
    ParamHelp{"plots.layout", "grouped: distances, divergences, objective and mode coverage in four plots. one "
                              "per metric: eight small plots."},
    ParamHelp{"plots.copy_csv", "Copy the whole metric history to the clipboard as CSV (the same columns as "
                                "driftlab-cli run writes), e.g. to compare runs in a spreadsheet or notebook."},
    ParamHelp{"plots.metrics", "All metrics use a fixed reference kernel, independent of the flow's kernel "
                               "(THEORY.md §8): MMD^2 and energy distance (0 at p = q), sliced W2, KDE estimates of "
                               "KL(q||p), KL(p||q) and chi2, modes covered (mixtures), and the objective the flow "
                               "decreases (its own kernel). Vertical lines mark your changes; hover for values."},
};

}  // namespace

std::span<const ParamHelp> paramHelpTable() { return kHelp; }

const char* paramHelp(std::string_view key) {
  for (const auto& h : kHelp)
    if (key == h.key) return h.text;
  return nullptr;
}

}  // namespace driftlab::app::ui
