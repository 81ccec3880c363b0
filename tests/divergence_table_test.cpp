// The divergence table (core/src/field/divergence_table.cpp): every row's name parses back, every
// f-divergence's f has f(1) = 0 and rho f''(rho) equal to the weight the velocity uses
// (THEORY.md §5.2: w(rho) = rho f''(rho)), so the value the objective reports and the field the
// particles follow belong to the same divergence.
#include <doctest/doctest.h>

#include <cmath>
#include <set>
#include <string>

#include "driftlab/field/divergence.hpp"

using namespace driftlab;

namespace {

// central second difference, step relative to rho; accurate to ~1e-6 relative for these smooth f
double secondDerivative(const DivergenceInfo& row, double rho, double alpha, Chi2Convention c) {
  const double h = 1e-4 * rho;
  return (row.f(rho + h, alpha, c) - 2.0 * row.f(rho, alpha, c) + row.f(rho - h, alpha, c)) / (h * h);
}

}  // namespace

TEST_CASE("divergence table: one row per divergence, names unique and parsed back, texts present") {
  std::set<std::string> names;
  for (int i = 0; i < kNumDivergences; ++i) {
    const auto d = static_cast<Divergence>(i);
    const DivergenceInfo& row = divergenceInfo(d);
    CHECK(row.id == d);
    CHECK(names.insert(row.name).second);
    CHECK(parseDivergence(row.name) == d);
    CHECK(std::string(divergenceName(d)) == row.name);
    CHECK(std::string(row.summary).size() >= 20);
    CHECK(std::string(row.help).size() >= 40);
    CHECK((row.f != nullptr) == isFDivergence(d));
  }
  CHECK(names.size() == std::size_t(kNumDivergences));
}

TEST_CASE("divergence table: every f has f(1) = 0 and rho f''(rho) = the velocity's weight w(rho)") {
  for (int i = 0; i < kNumDivergences; ++i) {
    const auto d = static_cast<Divergence>(i);
    if (!isFDivergence(d)) continue;
    const DivergenceInfo& row = divergenceInfo(d);
    for (const Chi2Convention c : {Chi2Convention::Full, Chi2Convention::Half}) {
      for (const double alpha : {-0.5, 0.0, 0.5, 1.0, 2.0, 3.0}) {
        CAPTURE(row.name);
        CAPTURE(alpha);
        CHECK(row.f(1.0, alpha, c) == doctest::Approx(0.0).epsilon(1e-12));
        for (const double rho : {0.05, 0.3, 1.0, 2.5, 20.0}) {
          CAPTURE(rho);
          const double w = fDivergenceWeight(d, rho, alpha, c);
          CHECK(rho * secondDerivative(row, rho, alpha, c) == doctest::Approx(w).epsilon(1e-5));
        }
      }
    }
  }
}

TEST_CASE("divergence table: worked values of f (THEORY.md §5.2)") {
  const Chi2Convention full = Chi2Convention::Full;
  CHECK(divergenceInfo(Divergence::ForwardKL).f(2.0, 0, full) == doctest::Approx(2.0 * std::log(2.0)));
  CHECK(divergenceInfo(Divergence::ReverseKL).f(2.0, 0, full) == doctest::Approx(-std::log(2.0)));
  CHECK(divergenceInfo(Divergence::Chi2).f(3.0, 0, full) == doctest::Approx(4.0));
  CHECK(divergenceInfo(Divergence::Chi2).f(3.0, 0, Chi2Convention::Half) == doctest::Approx(2.0));
  CHECK(divergenceInfo(Divergence::Chi2Reverse).f(2.0, 0, full) == doctest::Approx(-0.5));
  CHECK(divergenceInfo(Divergence::Hellinger).f(4.0, 0, full) == doctest::Approx(1.0));
  // JS is bounded: f(rho) -> rho log 2 / 2 - ... stays below (1 + rho) log 2 / 2
  CHECK(divergenceInfo(Divergence::JS).f(1e6, 0, full) < 0.5 * (1 + 1e6) * std::log(2.0));
  CHECK(divergenceInfo(Divergence::Alpha).f(4.0, 2.0, full) == doctest::Approx(4.5));  // (16 - 8 + 1) / 2
}
