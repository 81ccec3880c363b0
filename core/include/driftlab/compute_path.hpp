// How the kernel sums are computed (issue 4). Every path computes the same quantities
// (MATH.md §3.7 steps 1-4); they differ in precision and cost:
//   exact64 : float64 SIMD lanes + threads (same values as the scalar reference to ~1e-13)
//   exact   : float32 SIMD lanes + threads, double per-row totals (~1e-5 relative)
//   grid    : 2-D only: cloud-in-cell binning on a G x G grid, FFT convolution, bilinear
//             interpolation back, O(N + M + G^2 log G); ~1e-3 relative RMS on the presets
//             (docs/PERFORMANCE.md); rows the grid cannot resolve fall back to exact
//   auto    : exact64 for small sums, exact for medium, grid for large 2-D sums
// Pure functions; any thread.
#pragma once

#include <string_view>

namespace driftlab {

enum class ComputePath { Exact64, Exact32, Grid, Auto };

const char* computePathName(ComputePath path);     // exact64, exact, grid, auto
ComputePath parseComputePath(std::string_view name);  // throws InvalidArgument naming the value

// Auto thresholds, in kernel pairs (rows x sources) of one kernel-row sum; measured on the
// 2-core test machine (docs/PERFORMANCE.md): below kAutoExact32Pairs float64 costs < 2 ms,
// above kAutoGridPairs (2-D only) the grid is faster than exact float32 at < 1% error.
inline constexpr double kAutoExact32Pairs = 1 << 20;
inline constexpr double kAutoGridPairs = 1 << 28;

// the concrete path (never Auto) for one kernel-row sum of `rows` x `sources` pairs in dimension dim
ComputePath resolveComputePath(ComputePath path, int dim, long rows, long sources);

// The path the kernel sums take on the calling thread: the innermost ComputePathScope's, else
// Exact64. So library calls (the CLI `field` command, tests) stay float64 unless a caller opts
// in; the engine installs its FlowParams path around each step, the bench around what it times.
// Any thread (thread-local).
ComputePath currentComputePath();

class ComputePathScope {
 public:
  explicit ComputePathScope(ComputePath path);
  ~ComputePathScope();
  ComputePathScope(const ComputePathScope&) = delete;
  ComputePathScope& operator=(const ComputePathScope&) = delete;

 private:
  ComputePath previous_;
};

}  // namespace driftlab
