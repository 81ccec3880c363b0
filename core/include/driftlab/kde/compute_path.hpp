// How the kernel sums are computed. Every path computes the same quantities
// (THEORY.md §6.1); they differ in precision and cost:
//   exact64 : float64 SIMD lanes or matrix products + threads (the scalar reference to ~1e-13)
//   exact   : float32 SIMD lanes (d <= 3) or float32 matrix products (d > 3) + threads, double
//             per-row totals (~1e-5 relative)
//   grid    : 2-D only: cloud-in-cell binning on a G x G grid, FFT convolution, bilinear
//             interpolation back, O(N + M + G^2 log G); < 1 % relative RMS on the 2-D presets
//             (docs/PERFORMANCE.md); rows the grid cannot resolve are summed separately
//   auto    : exact64 for small sums, exact for medium, grid for large 2-D sums
// The path is always passed explicitly (VelocityOptions::path, down to kde::kdeRows): callers
// take it from the run's parameters, library callers such as the CLI `field` command get
// exact64, the VelocityOptions default.
// Pure functions; any thread.
#pragma once

#include <string>
#include <string_view>

namespace driftlab {

enum class ComputePath { Exact64, Exact32, Grid, Auto };

const char* computePathName(ComputePath path);     // exact64, exact, grid, auto
ComputePath parseComputePath(std::string_view name);  // throws InvalidArgument naming the value

// Auto thresholds, in kernel pairs (rows x sources) of one kernel-row sum, from the measurements
// in docs/PERFORMANCE.md: below kAutoExact32Pairs a float64 sum costs < ~2 ms; below
// kAutoGridPairs (N = M ~ 16384) the exact float32 field still runs at ~7+ fields/s on 2 idle
// cores, above it only the grid keeps the app interactive (its error: docs/PERFORMANCE.md).
inline constexpr double kAutoExact32Pairs = 1 << 20;
inline constexpr double kAutoGridPairs = 1 << 28;

// the concrete path (never Auto) for one kernel-row sum of `rows` x `sources` pairs in dimension dim
ComputePath resolveComputePath(ComputePath path, int dim, long rows, long sources);

// why a chosen path does not run as chosen for data of dimension dim, for the user ("" when it
// does): the grid declines every sum off the plane, and the exact float32 path runs instead
std::string computePathNote(ComputePath path, int dim);

// true when the grid path takes 2-D sums whose points span a box of side `extent` (the larger
// axis) at bandwidth h; false when it declines (box wider than ~340 h) and the exact path runs
bool gridPathCovers(double extent, double h);

}  // namespace driftlab
