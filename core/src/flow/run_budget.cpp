#include "driftlab/flow/run_budget.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

#include "driftlab/base/error.hpp"

namespace driftlab {

namespace {

constexpr double kEulerArrays = 5.5, kHeunArrays = 7.5, kDataArrays = 3.0;
constexpr double kProgramBytes = 64.0 * 1024 * 1024;
constexpr long kMedianSubsample = 512;
constexpr double kScaleFactor = 1e3;

std::string plural(long long n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::uint64_t estimatePeakBytes(const RunSize& s) {
  const double per_point = 8.0 * static_cast<double>(std::max(0LL, s.dim));
  const double bytes = per_point * ((s.heun ? kHeunArrays : kEulerArrays) * static_cast<double>(std::max(0LL, s.particles)) +
                                    kDataArrays * static_cast<double>(std::max(0LL, s.data))) +
                       kProgramBytes;
  return bytes >= 1.8e19 ? UINT64_MAX : static_cast<std::uint64_t>(std::ceil(bytes));
}

std::uint64_t availableMemoryBytes() {
  std::ifstream f("/proc/meminfo");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("MemAvailable:", 0) != 0) continue;
    std::istringstream in(line.substr(13));
    unsigned long long kb = 0;
    if (in >> kb) return static_cast<std::uint64_t>(kb) * 1024u;
  }
  return 0;
}

std::string formatBytes(double bytes) {
  static const char* const kUnits[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
  int u = 0;
  while (bytes >= 1000.0 && u < 5) {
    bytes /= 1000.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.3g %s", bytes, kUnits[u]);
  return buf;
}

void checkMemoryFits(const RunSize& s, std::uint64_t available) {
  if (available == 0) return;
  const std::uint64_t need = estimatePeakBytes(s);
  if (need <= available) return;
  detail::throwInvalidArgument("run needs about " + formatBytes(static_cast<double>(need)) + " (" +
                               plural(s.particles, "particle", "particles") + " and " +
                               plural(s.data, "data point", "data points") + " in " + std::to_string(s.dim) +
                               " dimensions" + (s.heun ? ", Heun steps" : "") + ") but only " +
                               formatBytes(static_cast<double>(available)) +
                               " of memory are available: use fewer particles, fewer dimensions or Euler steps");
}

double medianPairwiseDistance(const Points& data) {
  const long m = static_cast<long>(data.cols());
  if (m < 2) return 0.0;
  const long k = std::min(m, kMedianSubsample);
  std::vector<long> idx(static_cast<std::size_t>(k));
  for (long i = 0; i < k; ++i) idx[static_cast<std::size_t>(i)] = i * m / k;  // evenly spread, deterministic
  std::vector<double> d;
  d.reserve(static_cast<std::size_t>(k * (k - 1) / 2));
  for (long i = 0; i < k; ++i)
    for (long j = i + 1; j < k; ++j) {
      const double r = (data.col(idx[static_cast<std::size_t>(i)]) - data.col(idx[static_cast<std::size_t>(j)])).norm();
      if (std::isfinite(r)) d.push_back(r);
    }
  if (d.empty()) return 0.0;
  auto mid = d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2);
  std::nth_element(d.begin(), mid, d.end());
  return *mid;
}

std::string bandwidthScaleWarning(double h, const Points& data) {
  const double scale = medianPairwiseDistance(data);
  if (!(scale > 0.0) || !(h > 0.0) || !std::isfinite(h)) return {};
  char buf[320];
  if (h > kScaleFactor * scale) {
    std::snprintf(buf, sizeof buf,
                  "bandwidth %.3g is %.2g times the data's median pairwise distance %.3g: every point sees every "
                  "other with the same weight, so the flow only drifts as a whole",
                  h, h / scale, scale);
    return buf;
  }
  if (h * kScaleFactor < scale) {
    std::snprintf(buf, sizeof buf,
                  "bandwidth %.3g is %.2g times smaller than the data's median pairwise distance %.3g: kernel weights "
                  "between points underflow, so particles barely move (or every step rolls back)",
                  h, scale / h, scale);
    return buf;
  }
  return {};
}

}  // namespace driftlab
