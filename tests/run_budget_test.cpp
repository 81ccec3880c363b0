// Run budgets (run_budget.hpp): the memory estimate against the measured peaks it is calibrated
// on, the refusal line, and the bandwidth-scale warning.
#include <doctest/doctest.h>

#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/run_budget.hpp"
#include "driftlab/flow/scenario.hpp"

using namespace driftlab;

TEST_CASE("run budget: the estimate covers the measured peaks without doubling them") {
  // measured with driftlab-cli run on a 1-point, 20000-column CSV and the default 1024 particles:
  // 806 156 kB peak RSS with Euler steps, 1 126 176 kB with Heun steps
  const double euler = static_cast<double>(estimatePeakBytes({1024, 1, 20000, false}));
  const double heun = static_cast<double>(estimatePeakBytes({1024, 1, 20000, true}));
  CHECK(euler >= 806156.0 * 1024);
  CHECK(euler <= 1.3 * 806156.0 * 1024);
  CHECK(heun >= 1126176.0 * 1024);
  CHECK(heun <= 1.3 * 1126176.0 * 1024);
  CHECK(estimatePeakBytes({1LL << 40, 1LL << 40, 1LL << 30, true}) == UINT64_MAX);  // no overflow
}

TEST_CASE("run budget: a run that cannot fit is refused with its numbers, unknown memory is not checked") {
  const RunSize wide{1024, 1, 200000, false};
  try {
    checkMemoryFits(wide, 7'100'000'000ull);
    FAIL("not refused");
  } catch (const InvalidArgument& e) {
    CHECK(std::string(e.what()) ==
          "run needs about 9.08 GB (1024 particles and 1 data point in 200000 dimensions) but only 7.1 GB of memory "
          "are available: use fewer particles, fewer dimensions or Euler steps");
  }
  CHECK_NOTHROW(checkMemoryFits(wide, 0));
  CHECK_NOTHROW(checkMemoryFits({1024, 1024, 2, false}, 7'100'000'000ull));
  CHECK(formatBytes(999) == "999 bytes");
  CHECK(formatBytes(1.5e9) == "1.5 GB");
}

TEST_CASE("run budget: bandwidths 1e3 times off the data's scale are named, in either direction") {
  Points data(2, 4);
  data << 0, 1, 0, 1,  //
      0, 0, 1, 1;      // unit square: distances 1 (x4) and sqrt 2 (x2), median 1
  CHECK(medianPairwiseDistance(data) == doctest::Approx(1.0));
  CHECK(bandwidthScaleWarning(0.1, data).empty());
  CHECK(bandwidthScaleWarning(500.0, data).empty());
  const std::string tiny = bandwidthScaleWarning(1e-300, data);
  CHECK(tiny.find("bandwidth 1e-300 is 1e+300 times smaller than the data's median pairwise distance 1") == 0);
  const std::string huge = bandwidthScaleWarning(1e300, data);
  CHECK(huge.find("bandwidth 1e+300 is 1e+300 times the data's median pairwise distance 1") == 0);
  CHECK(bandwidthScaleWarning(1e-300, data.leftCols(1)).empty());  // one point: no scale
}

TEST_CASE("run budget: the first step of a flow whose bandwidth is 1e4 times the data's scale says so, once") {
  FlowParams p = defaultScenario().params;
  p.bandwidth.rule = BandwidthRule::Fixed;
  p.bandwidth.h = 1e4;
  p.particles = 64;
  p.samples = 64;
  FlowEngine engine(p);
  const StepReport first = engine.step();
  CHECK(first.warning.find("bandwidth 1e+04 is ") == 0);
  CHECK(first.warning.find("times the data's median pairwise distance") != std::string::npos);
  CHECK(engine.step().warning.empty());
  p.bandwidth.h = 0.1;
  FlowEngine fine(p);
  CHECK(fine.step().warning.empty());
}
