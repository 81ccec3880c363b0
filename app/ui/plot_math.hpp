// GUI-free parts of the plot widget (STYLE.md L13): nice 1-2-5 tick positions (decades on log
// axes), tick labels, auto ranges, nearest-sample search and min/max decimation per pixel column.
// No ImGui here, so driftlab_ui_tests checks it without a GUI. Pure functions; any thread.
#pragma once

#include <string>
#include <vector>

namespace driftlab::app::ui {

// Tick positions inside [lo, hi] (value space), at most about max_ticks of them.
// Linear axes: multiples of 1, 2 or 5 x 10^k. Log axes (lo, hi > 0): whole decades 10^k, every
// n-th decade when there are too many, and 1-2-5 x 10^k when the range spans less than ~2 decades.
// Degenerate input (lo == hi, lo > hi, non-finite, non-positive on a log axis) is repaired: the
// range is widened around the value, so the result is never empty for finite input.
std::vector<double> niceTicks(double lo, double hi, bool log_scale, int max_ticks);

// The linear tick step niceTicks would use for [lo, hi] (a 1-2-5 number), 0 when degenerate.
double niceStep(double lo, double hi, int max_ticks);

// Short label for a tick: "0.05", "1e-05", "2000", "1.5e+06"; `step` is the tick spacing (linear
// axes) so that neighbouring labels differ, or 0 to use 3 significant digits.
std::string formatTick(double value, double step);

// A display range [lo, hi] of ys[0..count) (NaN/inf skipped; on log axes only y > 0 count),
// padded by `pad` of its span on each side (log axes: in decades). Returns false when no value
// qualifies (then lo/hi are set to a default range: [0, 1] linear, [0.1, 10] log).
bool autoRange(const double* ys, int count, bool log_scale, double pad, double& lo, double& hi);

// Index of the sample whose x is nearest to x (xs sorted non-decreasing), -1 when count == 0.
int nearestIndex(const double* xs, int count, double x);

// One polyline point in plot coordinates: x as given, y already transformed (log10 on log axes).
struct PlotPoint {
  double x, y;
};

// The decimated picture of one series: consecutive runs of points, each drawn as one polyline.
// A run breaks wherever a sample is not drawable (NaN/inf, or y <= 0 on a log axis): a gap.
struct DecimatedSeries {
  std::vector<PlotPoint> points;
  std::vector<int> run_starts;  // index into points where each run begins; runs end at the next start
  int runCount() const { return static_cast<int>(run_starts.size()); }
  int runEnd(int r) const {
    return r + 1 < runCount() ? run_starts[r + 1] : static_cast<int>(points.size());
  }
};

// Min/max (M4) decimation: the x range [x0, x1] is split into `columns` pixel columns; per column
// and run only the first, the lowest, the highest and the last sample are kept, in x order, so
// the drawn line covers exactly the same pixels as the full line. One sample on each side
// outside [x0, x1] is kept so lines reach the border. At most 4 * columns + 2 points per run
// segment in a column range; total points <= 4 * columns + 2 * (number of runs) + 2.
// xs must be sorted non-decreasing. Output y is log10(y) when log_y.
void decimateMinMax(const double* xs, const double* ys, int count, double x0, double x1, int columns, bool log_y,
                    DecimatedSeries& out);

// ---- readable axes: symlog, robust ranges with clipping marks, short non-overlapping labels ----

// How a plot maps y to its vertical axis.
enum class AxisScale { Linear, Log, Symlog };

// symlog(y) = sign(y) log10(1 + |y| / c): linear near 0 (|y| << c), log10 far from it, odd, so
// negative values keep their sign instead of leaving a gap. c > 0. symlogInverse undoes it.
double symlog(double y, double c);
double symlogInverse(double t, double c);

// The scale of a plot whose user asked for log_y: Log when every finite sample is > 0, Symlog
// when some are <= 0 (signed quantities, e.g. a KDE estimate of KL below 0) and the magnitudes
// span more than two decades, Linear otherwise or when !want_log. Non-finite samples are ignored.
AxisScale chooseScale(const std::vector<const double*>& ys, const std::vector<int>& counts, bool want_log);

// The symlog constant: the 10th percentile of the non-zero finite |y| (1 when there are none), so
// that most of the samples lie in the logarithmic part.
double symlogConstant(const std::vector<const double*>& ys, const std::vector<int>& counts);

// y mapped to the axis: log10(y) (Log; NaN for y <= 0), symlog(y, c), or y.
double axisValue(double y, AxisScale scale, double c);
double axisInverse(double t, AxisScale scale, double c);

// A robust display range of transformed values t[0..count) (NaN ignored; +-inf count as beyond
// either end): the q_lo..q_hi quantiles when the full finite range is more than `spread` times
// wider than them (one outlier such as chi2 = 1e13 at step 0 would otherwise squash every other
// value into one pixel row), else the full finite range. Returns false when no value is finite.
// *clipped (if not null) receives how many values fall outside [lo, hi].
bool robustRange(const std::vector<double>& t, double q_lo, double q_hi, double spread, double& lo, double& hi,
                 int* clipped = nullptr);

// "bandwidth=0.5211" -> "h 0.52", "kernel=laplacian" -> "kernel laplacian", "weights.chi2=0" ->
// "chi2 0": a known key's short name, then the value with numbers rounded to 2 significant digits;
// at most max_chars characters (cut with "..").
std::string shortMarkerLabel(const std::string& label, std::size_t max_chars = 18);

// Places labels of widths w[i] at left edges x[i] (pixels) into at most `rows` rows inside
// [x_min, x_max], most important first (the caller passes them in that order): each goes into the
// first row where it keeps `gap` pixels from the labels already there; row[i] = -1 when none has
// room. Returns the number of labels dropped. Left edges are shifted left to fit before x_max.
int placeLabels(const std::vector<float>& x, const std::vector<float>& w, float x_min, float x_max, int rows,
                float gap, std::vector<int>& row, std::vector<float>& left);

}  // namespace driftlab::app::ui
