// Tooltip texts. An engine setting's text is its parameter-table help and a divergence weight's
// is its divergence-table help (core), so the CLI listing and the app say the same; this file
// holds only the controls the app alone has. Each entry: meaning, usual range, what to watch;
// THEORY.md sections where the maths behind a control is written down.
#include "param_help.hpp"

#include <array>
#include <string>

#include "driftlab/field/divergence.hpp"
#include "driftlab/flow/param_table.hpp"

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
    ParamHelp{"timeline", "Every step of the run can be revisited: drag the slider (or press Left) to go back or "
                          "forward; the run pauses there and shows that exact state, bit for bit (THEORY.md §6.6). "
                          "Play from a past step replays the same future. Change a setting there and the run "
                          "branches: the old future stays in the plots as faint curves until Discard. Keyframes "
                          "every K steps hold the past within the memory shown; steps between them are replayed."},
    ParamHelp{"lesson", "Guided lessons: each loads its own preset and walks through what to watch, with a caption on "
                        "the canvas (also in recordings) and, at some steps, something to try; the control to touch is "
                        "framed. Next moves on, Back repeats a step, Stop ends the lesson. Every number a caption "
                        "states was measured over seeds 1-3 (the presets' descriptions and their tests)."},
    ParamHelp{"dfm_time", "The sampler's time t: the particles left the source N(0, s0^2 I) at t = 0 and reach the data "
                          "at t = 1 - epsilon. Drag to see them at any t the run has reached (replayed bit for bit); "
                          "the arrows are the drift b(t, x) at that t, the heat map log p_t is where the bridge puts "
                          "mass at that t (THEORY.md §12.2)."},
    ParamHelp{"dfm_arrows", "With the learned drift in force: show its arrows b_theta(t, x), or the oracle's b(t, x) at the "
                            "same t for comparison. Where they differ, the network has not learned the drift "
                            "(THEORY.md §12.4)."},
    ParamHelp{"dfm_bridge", "A dozen Brownian-bridge paths X_t = (1 - t) x0 + t x1 + sigma B_t from source draws x0 to "
                            "data points x1 (blue at t = 0, orange at t = 1; the white dot is where each is at the "
                            "sampler's t), and the source's 1 and 2 s0 circles: what the drift is the average of."},
    ParamHelp{"dfm_copies", "The share of samples within 1e-2 of a training point. Measured on eight Gaussians with "
                            "M = N = 1024 and 200 steps (THEORY.md §12.3): 97 % with sigma = 0 (the samples copy "
                            "training points), 55 % with sigma = 0.5, where fresh draws of the same law give 63 %."},
    ParamHelp{"compare_modes", "Runs every mode on this target with 512 points each and plots the energy distance of its "
                               "samples to fresh data against the field evaluations it took: the particle flow along its "
                               "steps, JKO counting every inner evaluation, DFM once per number of sampler steps T, and "
                               "the generator at one network evaluation per sample. Training (the learned drift's 3000 "
                               "steps, the generator's 1000) is not counted; the table gives each mode's seconds. An "
                               "evaluation costs differently per mode (THEORY.md §12.5)."},
    ParamHelp{"fork", "Fork (B) splits the run into A (left) and B (right) from this exact state: change one thing on "
                      "one side and watch both futures side by side, one camera, one clock (play, pause, steps and "
                      "the timeline move both). Settings go to the side with the focus (O switches), or to both. "
                      "The plots draw the other side dashed. Close A or Close B returns to one run."},
    ParamHelp{"engine_error", "The engine rejected the last change (the value named here); the previous value "
                              "stays in force."},
    // ---- kernel and bandwidth ----
    ParamHelp{"kernel_profile", "The kernel profile k(r) / k(0) against the distance r for the current kernel "
                                "and bandwidth (the dashed line marks r = h). Heavy tails stay above zero far "
                                "out: those kernels still pull distant particles."},
    // ---- divergence mixture ----
    ParamHelp{"weights.mixed", "The paper's mixed strategy: reverse KL 1 + chi2 0.5, i.e. v = (p/q + q/p)(grad log "
                               "p - grad log q) with the full chi2 convention (THEORY.md §5.5). Measured for particles "
                               "on eight Gaussians (h = 0.1): as sharp as forward KL and chi2 where reverse KL alone "
                               "blurs (lesson reverse_kl_blurs); the bandwidth, not the mixture, decides how fast an "
                               "empty mode fills (lesson bandwidth_decides)."},
    ParamHelp{"weights.single", "Use one divergence alone (weight 1, all others 0) to compare them. For plug-in particle "
                                "flows they share one direction, grad log(p/q), and differ in speed w(rho) (THEORY.md "
                                "§5.2): reverse KL leaves particles between modes (blur), forward KL and chi2 do not "
                                "(lesson reverse_kl_blurs)."},
    // ---- time stepping ----
    ParamHelp{"steps_per_frame", "Engine steps between two published frames. Higher = fewer pictures per step, "
                                 "choppier motion; to slow the flow down use speed in the Run section. The "
                                 "engine never blocks the UI."},
    ParamHelp{"speed", "How many engine steps run per second, 1 to 1000 or unlimited ([ slower, ] faster). "
                       "watch (2 steps/s for particle flows) spreads the default preset's ~20 steps to "
                       "equilibrium over ~10 s; unlimited runs as fast as the machine allows. Reset, new seed "
                       "and loading a preset keep your speed. Headless recordings ignore it: each frame "
                       "advances exactly --steps-per-frame steps."},
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
                               "non-integrable kernels in the plane; on the sphere S^2 painted on its surface, "
                               "normalized over the sphere (every kernel is integrable there)."},
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
  constexpr std::string_view kWeightPrefix = "weights.";
  if (key.substr(0, kWeightPrefix.size()) == kWeightPrefix) {
    const std::string_view name = key.substr(kWeightPrefix.size());
    for (int i = 0; i < kNumDivergences; ++i) {
      const DivergenceInfo& row = divergenceInfo(static_cast<Divergence>(i));
      if (name == row.name) return row.help;
    }
  }
  if (const ParamInfo* info = findFlowParamInfo(key)) return info->help.c_str();
  return nullptr;
}

}  // namespace driftlab::app::ui
