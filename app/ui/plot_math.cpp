// GUI-free plot maths: ticks, labels, ranges, nearest sample and min/max decimation.
// STYLE.md L13; UX.md lesson 17 (decimate: the Debian ImGui keeps 16-bit ImDrawIdx). Any thread.
#include "plot_math.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

namespace driftlab::app::ui {

namespace {

// smallest 1-2-5 x 10^k that is >= x (x > 0)
double niceCeil(double x) {
  const double e = std::floor(std::log10(x));
  const double base = std::pow(10.0, e);
  const double m = x / base;
  double nice = 10.0;
  if (m <= 1.0 + 1e-9) nice = 1.0;
  else if (m <= 2.0 + 1e-9) nice = 2.0;
  else if (m <= 5.0 + 1e-9) nice = 5.0;
  return nice * base;
}

// widen/repair a range so that it is finite, ordered and non-empty
bool repairRange(double& lo, double& hi, bool log_scale) {
  if (!std::isfinite(lo) && !std::isfinite(hi)) return false;
  if (!std::isfinite(lo)) lo = hi;
  if (!std::isfinite(hi)) hi = lo;
  if (lo > hi) std::swap(lo, hi);
  if (log_scale) {
    if (hi <= 0) return false;
    if (lo <= 0) lo = hi * 1e-3;
    if (hi <= lo * (1 + 1e-12)) {  // one value: a factor 2 either side
      lo /= 2.0;
      hi *= 2.0;
    }
  } else if (hi - lo <= 1e-12 * std::max(std::fabs(lo), std::fabs(hi))) {
    const double d = lo == 0.0 ? 1.0 : 0.1 * std::fabs(lo);
    lo -= d;
    hi += d;
  }
  return true;
}

std::vector<double> linearTicks(double lo, double hi, int max_ticks) {
  std::vector<double> ticks;
  const double step = niceStep(lo, hi, max_ticks);
  if (!(step > 0)) return ticks;
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (int k = 0;; ++k) {
    double v = first + k * step;
    if (v > hi + step * 1e-9 || k > 1000) break;
    if (std::fabs(v) < step * 1e-9) v = 0.0;  // exact zero instead of 1e-17
    ticks.push_back(v);
  }
  return ticks;
}

}  // namespace

double niceStep(double lo, double hi, int max_ticks) {
  if (!repairRange(lo, hi, false)) return 0.0;
  const int n = std::max(max_ticks, 2);
  return niceCeil((hi - lo) / (n - 1));
}

std::vector<double> niceTicks(double lo, double hi, bool log_scale, int max_ticks) {
  if (!repairRange(lo, hi, log_scale)) {
    if (!log_scale) return {};
    lo = 0.1;  // nothing positive to show: one decade either side of 1
    hi = 10.0;
  }
  max_ticks = std::max(max_ticks, 2);
  if (!log_scale) return linearTicks(lo, hi, max_ticks);

  // whole decades inside [lo, hi], every stride-th one when there are too many
  const double llo = std::log10(lo), lhi = std::log10(hi);
  const int e_lo = static_cast<int>(std::ceil(llo - 1e-9));
  const int e_hi = static_cast<int>(std::floor(lhi + 1e-9));
  std::vector<double> ticks;
  if (lhi - llo >= 2.0) {
    const int n = e_hi - e_lo + 1;
    const int stride = (n + max_ticks - 1) / max_ticks;
    const int first = static_cast<int>(std::ceil(static_cast<double>(e_lo) / stride)) * stride;
    for (int e = first; e <= e_hi; e += stride) ticks.push_back(std::pow(10.0, e));
    return ticks;
  }
  // under two decades: 1, 2, 5 x 10^k
  constexpr std::array<double, 3> kMantissas{1.0, 2.0, 5.0};
  for (int e = e_lo - 1; e <= e_hi; ++e) {
    for (double m : kMantissas) {
      const double v = m * std::pow(10.0, e);
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push_back(v);
    }
  }
  if (static_cast<int>(ticks.size()) > max_ticks) {  // too dense: decades only (or every other)
    std::vector<double> decades;
    for (double v : ticks) {
      const double l = std::log10(v);
      if (std::fabs(l - std::round(l)) < 1e-9) decades.push_back(v);
    }
    if (decades.size() >= 2) return decades;
  }
  if (ticks.size() >= 2) return ticks;
  return linearTicks(lo, hi, max_ticks);  // a narrow positive range: plain 1-2-5 steps
}

std::string formatTick(double value, double step) {
  char buf[48];
  if (value == 0.0) return "0";
  const double a = std::fabs(value);
  if (!std::isfinite(value)) {
    std::snprintf(buf, sizeof buf, "%g", value);
  } else if (a >= 1e5 || a < 1e-3 || !(step > 0)) {
    // significant digits enough to tell neighbours apart
    int digits = 3;
    if (step > 0) digits = std::clamp(static_cast<int>(std::floor(std::log10(a)) - std::floor(std::log10(step))) + 1, 1, 10);
    std::snprintf(buf, sizeof buf, "%.*g", digits, value);
  } else {
    const int decimals = std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 10);
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  }
  return buf;
}

bool autoRange(const double* ys, int count, bool log_scale, double pad, double& lo, double& hi) {
  double mn = INFINITY, mx = -INFINITY;
  for (int i = 0; i < count; ++i) {
    const double y = ys[i];
    if (!std::isfinite(y) || (log_scale && y <= 0)) continue;
    const double v = log_scale ? std::log10(y) : y;
    mn = std::min(mn, v);
    mx = std::max(mx, v);
  }
  if (!(mn <= mx)) {
    lo = log_scale ? 0.1 : 0.0;
    hi = log_scale ? 10.0 : 1.0;
    return false;
  }
  double span = mx - mn;
  if (span <= 1e-12 * std::max(std::fabs(mn), std::fabs(mx))) {  // flat: a visible band around it
    span = log_scale ? 1.0 : (mn == 0.0 ? 1.0 : 0.2 * std::fabs(mn));
    mn -= span / 2;
    mx += span / 2;
  }
  mn -= pad * span;
  mx += pad * span;
  lo = log_scale ? std::pow(10.0, mn) : mn;
  hi = log_scale ? std::pow(10.0, mx) : mx;
  return true;
}

int nearestIndex(const double* xs, int count, double x) {
  if (count <= 0) return -1;
  const double* it = std::lower_bound(xs, xs + count, x);
  int i = static_cast<int>(it - xs);
  if (i >= count) return count - 1;
  if (i > 0 && std::fabs(xs[i - 1] - x) <= std::fabs(xs[i] - x)) return i - 1;
  return i;
}

namespace {

// first, lowest, highest and last drawable sample of one column piece
struct Bucket {
  int first = -1, lo = -1, hi = -1, last = -1;
  double y_lo = 0, y_hi = 0;
  bool empty() const { return first < 0; }
  void add(int i, double y) {
    if (first < 0) {
      first = lo = hi = i;
      y_lo = y_hi = y;
    }
    if (y < y_lo) { lo = i; y_lo = y; }
    if (y > y_hi) { hi = i; y_hi = y; }
    last = i;
  }
};

}  // namespace

void decimateMinMax(const double* xs, const double* ys, int count, double x0, double x1, int columns, bool log_y,
                    DecimatedSeries& out) {
  out.points.clear();
  out.run_starts.clear();
  if (count <= 0) return;
  columns = std::max(columns, 1);
  if (!(x1 > x0)) x1 = x0 + 1.0;  // degenerate x range: one column per unit

  // samples in [x0, x1] plus one neighbour on each side (so lines reach the plot border)
  int begin = static_cast<int>(std::lower_bound(xs, xs + count, x0) - xs);
  int end = static_cast<int>(std::upper_bound(xs, xs + count, x1) - xs);  // one past
  if (begin > 0) --begin;
  if (end < count) ++end;

  auto yOf = [&](int i, double& y) {
    y = ys[i];
    if (!std::isfinite(y) || !std::isfinite(xs[i]) || (log_y && y <= 0)) return false;
    if (log_y) y = std::log10(y);
    return true;
  };
  auto columnOf = [&](double x) {
    if (x < x0) return -1;
    if (x > x1) return columns;
    return std::min(static_cast<int>((x - x0) / (x1 - x0) * columns), columns - 1);
  };

  // head = samples of a column before its first gap; tail = drawable samples after that gap
  // (gaps inside the tail are narrower than a pixel and are bridged), so a column emits at most
  // 8 points and the output stays bounded even for a series that alternates valid/invalid.
  bool break_pending = true;  // the next emitted point starts a new run
  auto emit = [&](const Bucket& b) {
    if (b.empty()) return;
    std::array<int, 4> idx{b.first, b.lo, b.hi, b.last};
    std::sort(idx.begin(), idx.end());
    if (break_pending) {
      out.run_starts.push_back(static_cast<int>(out.points.size()));
      break_pending = false;
    }
    int prev = -1;
    for (int i : idx) {
      if (i == prev) continue;
      prev = i;
      double y = 0;
      yOf(i, y);
      out.points.push_back({xs[i], y});
    }
  };

  int col = columnOf(xs[begin]);
  Bucket head, tail;
  bool gap_in_col = false, last_was_gap = false;
  auto flushColumn = [&]() {
    emit(head);
    if (!tail.empty()) {
      break_pending = true;  // a gap separates head and tail
      emit(tail);
    }
    if (last_was_gap) break_pending = true;
    head = Bucket{};
    tail = Bucket{};
    gap_in_col = false;
  };
  for (int i = begin; i < end; ++i) {
    const int c = columnOf(xs[i]);
    if (c != col) {
      flushColumn();
      col = c;
    }
    double y = 0;
    if (!yOf(i, y)) {
      if (!head.empty() || gap_in_col) gap_in_col = true;
      else break_pending = true;  // gap before anything in this column: breaks from the previous column
      last_was_gap = true;
      continue;
    }
    last_was_gap = false;
    (gap_in_col ? tail : head).add(i, y);
  }
  flushColumn();
}

// log1p / expm1: exact to rounding also for |y| << c, where 1 + |y|/c would lose the digits
double symlog(double y, double c) { return std::copysign(std::log1p(std::fabs(y) / c) / std::log(10.0), y); }

double symlogInverse(double t, double c) { return std::copysign(c * std::expm1(std::fabs(t) * std::log(10.0)), t); }

AxisScale chooseScale(const std::vector<const double*>& ys, const std::vector<int>& counts, bool want_log) {
  if (!want_log) return AxisScale::Linear;
  bool any = false, non_positive = false;
  double amin = INFINITY, amax = 0.0;
  for (std::size_t s = 0; s < ys.size(); ++s) {
    for (int i = 0; i < counts[s]; ++i) {
      const double y = ys[s][i];
      if (!std::isfinite(y)) continue;
      any = true;
      if (y <= 0) non_positive = true;
      if (y != 0) {
        amin = std::min(amin, std::fabs(y));
        amax = std::max(amax, std::fabs(y));
      }
    }
  }
  if (!any) return AxisScale::Log;
  if (!non_positive) return AxisScale::Log;
  // signed: symlog pays off only when the magnitudes span decades
  return amax > 100.0 * amin ? AxisScale::Symlog : AxisScale::Linear;
}

double symlogConstant(const std::vector<const double*>& ys, const std::vector<int>& counts) {
  std::vector<double> a;
  for (std::size_t s = 0; s < ys.size(); ++s)
    for (int i = 0; i < counts[s]; ++i)
      if (std::isfinite(ys[s][i]) && ys[s][i] != 0) a.push_back(std::fabs(ys[s][i]));
  if (a.empty()) return 1.0;
  const std::size_t k = a.size() / 10;
  std::nth_element(a.begin(), a.begin() + static_cast<long>(k), a.end());
  return a[k];
}

double axisValue(double y, AxisScale scale, double c) {
  switch (scale) {
    case AxisScale::Log: return y > 0 ? std::log10(y) : NAN;
    case AxisScale::Symlog: return symlog(y, c);
    case AxisScale::Linear: break;
  }
  return y;
}

double axisInverse(double t, AxisScale scale, double c) {
  switch (scale) {
    case AxisScale::Log: return std::pow(10.0, t);
    case AxisScale::Symlog: return symlogInverse(t, c);
    case AxisScale::Linear: break;
  }
  return t;
}

bool robustRange(const std::vector<double>& t, double q_lo, double q_hi, double spread, double& lo, double& hi,
                 int* clipped) {
  std::vector<double> v;
  int inf = 0;
  for (double x : t) {
    if (std::isfinite(x)) v.push_back(x);
    else if (std::isinf(x)) ++inf;
  }
  if (clipped) *clipped = inf;
  if (v.empty()) return false;
  std::sort(v.begin(), v.end());
  const double full_lo = v.front(), full_hi = v.back();
  // quantiles by linear interpolation between order statistics
  auto q = [&](double u) {
    const double p = u * static_cast<double>(v.size() - 1);
    const auto i = static_cast<std::size_t>(p);
    const std::size_t j = std::min(i + 1, v.size() - 1);
    return v[i] + (p - static_cast<double>(i)) * (v[j] - v[i]);
  };
  const double r_lo = q(q_lo), r_hi = q(q_hi);
  const double full = full_hi - full_lo, robust = r_hi - r_lo;
  if (robust > 0 && full > spread * robust) {
    lo = r_lo;
    hi = r_hi;
  } else {
    lo = full_lo;
    hi = full_hi;
  }
  if (clipped)
    for (double x : v)
      if (x < lo || x > hi) ++*clipped;
  return true;
}

namespace {

// the short names of the keys that change most often (the rest keep their own name)
const std::pair<const char*, const char*> kShortKeys[] = {
    {"bandwidth", "h"}, {"bandwidth.h", "h"}, {"step", "eta"}, {"particles", "N"}, {"samples", "M"},
    {"divergence", "div"}, {"integrator", "int"}, {"displacement_cap", "cap"}, {"init_seed", "seed"}};

}  // namespace

std::string shortMarkerLabel(const std::string& label, std::size_t max_chars) {
  const std::size_t eq = label.find('=');
  std::string out;
  if (eq == std::string::npos) {
    out = label;
  } else {
    std::string key = label.substr(0, eq);
    const std::string value = label.substr(eq + 1);
    for (const auto& [k, s] : kShortKeys)
      if (key == k) key = s;
    if (key.rfind("weights.", 0) == 0) key = key.substr(8);  // "weights.chi2" -> "chi2"
    // a number: 2 significant digits
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    std::string val = value;
    if (!value.empty() && end != nullptr && *end == '\0' && std::isfinite(v)) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2g", v);
      val = buf;
    }
    out = key + " " + val;
  }
  if (out.size() > max_chars && max_chars >= 3) out = out.substr(0, max_chars - 2) + "..";
  return out;
}

int placeLabels(const std::vector<float>& x, const std::vector<float>& w, float x_min, float x_max, int rows,
                float gap, std::vector<int>& row, std::vector<float>& left) {
  const std::size_t n = x.size();
  row.assign(n, -1);
  left.assign(n, 0.f);
  std::vector<std::vector<std::pair<float, float>>> taken(static_cast<std::size_t>(std::max(rows, 0)));
  int dropped = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const float l = std::min(x[i], x_max - w[i]);  // near the right edge: shifted left to fit
    left[i] = l;
    if (l < x_min) {
      ++dropped;
      continue;
    }
    const float r = l + w[i];
    for (int k = 0; k < rows && row[i] < 0; ++k) {
      bool free = true;
      for (const auto& [a, b] : taken[static_cast<std::size_t>(k)])
        if (l < b + gap && r + gap > a) free = false;
      if (free) {
        taken[static_cast<std::size_t>(k)].push_back({l, r});
        row[i] = k;
      }
    }
    if (row[i] < 0) ++dropped;
  }
  return dropped;
}

}  // namespace driftlab::app::ui
