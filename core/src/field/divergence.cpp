// Divergence names, weight vectors of mixtures and the f-divergence weights w(rho).
// THEORY.md §5.2 (weights), §5.5 (mixed), §14 (chi2 convention). Pure; any thread.
#include "driftlab/field/divergence.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/base/text.hpp"

namespace driftlab {

namespace {

std::string fmtValue(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// shortest %g form that parses back to the same double
std::string fmtExact(double v) {
  char buf[64];
  for (int prec = 6; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  return buf;
}

std::string_view trim(std::string_view s) { return trimmedBlanks(s); }

}  // namespace

DivergenceWeights DivergenceWeights::single(Divergence d) {
  DivergenceWeights w;
  w[d] = 1.0;
  return w;
}

// THEORY.md §5.5: lambda_r KL(p||q) + lambda_c (1/2) chi2(q||p) with lambda = 1, 1; with the Full chi2
// convention (weight 2 q/p) the chi2 entry is 0.5, giving v = (p/q + q/p)(grad log p - grad log q).
DivergenceWeights DivergenceWeights::mixedDefault() {
  DivergenceWeights w;
  w[Divergence::ReverseKL] = 1.0;
  w[Divergence::Chi2] = 0.5;
  return w;
}

DivergenceWeights DivergenceWeights::fromName(std::string_view name) {
  if (name == "mixed") return mixedDefault();
  return single(parseDivergence(name));
}

DivergenceWeights DivergenceWeights::parseList(std::string_view list) {
  DivergenceWeights w;
  std::array<bool, kNumDivergences> seen{};
  std::size_t pos = 0;
  while (pos <= list.size()) {
    std::size_t comma = list.find(',', pos);
    if (comma == std::string_view::npos) comma = list.size();
    const std::string_view entry = trim(list.substr(pos, comma - pos));
    pos = comma + 1;
    if (entry.empty()) {
      if (comma == list.size()) break;
      detail::throwInvalidArgument("weights: empty entry in '" + std::string(list) + "' (expected name=value,...)");
    }
    const std::size_t eq = entry.find('=');
    if (eq == std::string_view::npos)
      detail::throwInvalidArgument("weights: bad entry '" + std::string(entry) + "' (expected name=value)");
    const std::string_view name = trim(entry.substr(0, eq));
    const std::string value(trim(entry.substr(eq + 1)));
    Divergence d{};
    try {
      d = parseDivergence(name);
    } catch (const InvalidArgument& e) {
      detail::throwInvalidArgument(std::string("weights: ") + e.what());
    }
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(value.c_str(), &end);
    if (value.empty() || end != value.c_str() + value.size() || errno == ERANGE)
      detail::throwInvalidArgument("weights." + std::string(name) + ": not a number (got '" + value + "')");
    if (!(v >= 0.0) || !std::isfinite(v))
      detail::throwInvalidArgument("weights." + std::string(name) + ": must be >= 0 and finite (got " + fmtValue(v) +
                                   ")");
    if (seen[static_cast<int>(d)])
      detail::throwInvalidArgument("weights." + std::string(name) + ": given twice");
    seen[static_cast<int>(d)] = true;
    w[d] = v;
  }
  validateWeights(w);
  return w;
}

std::string DivergenceWeights::toList() const {
  std::string out;
  for (int i = 0; i < kNumDivergences; ++i) {
    if (w[i] == 0.0) continue;
    if (!out.empty()) out += ",";
    out += std::string(divergenceName(static_cast<Divergence>(i))) + "=" + fmtExact(w[i]);
  }
  return out;
}

bool DivergenceWeights::isSingle() const {
  int nonzero = 0;
  for (double x : w) nonzero += x != 0.0 ? 1 : 0;
  return nonzero == 1;
}

std::string DivergenceWeights::label() const {
  if (isSingle()) {
    for (int i = 0; i < kNumDivergences; ++i)
      if (w[i] == 1.0) return divergenceName(static_cast<Divergence>(i));
  }
  return "mixed(" + toList() + ")";
}

void validateWeights(const DivergenceWeights& w) {
  bool any = false;
  for (int i = 0; i < kNumDivergences; ++i) {
    const double v = w.w[i];
    if (!(v >= 0.0) || !std::isfinite(v))
      detail::throwInvalidArgument(std::string("weights.") + divergenceName(static_cast<Divergence>(i)) +
                                   ": must be >= 0 and finite (got " + fmtValue(v) + ")");
    any = any || v > 0.0;
  }
  if (!any) detail::throwInvalidArgument("weights: all zero (at least one must be > 0)");
}

namespace detail {
void throwNotFDivergence(Divergence d) {
  throwInvalidArgument(std::string("fDivergenceWeight: '") + divergenceName(d) + "' is not an f-divergence");
}
}  // namespace detail

}  // namespace driftlab
