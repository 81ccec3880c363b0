// driftlab-cli run --fork-at: the pieces of an A/B run that are not the run loop: B's output
// file name and the metrics CSV holding both runs. Main thread only.
#pragma once

#include <string>
#include <vector>

#include "driftlab/field/metrics.hpp"

namespace driftlab::cli {

// B's file next to A's: ".b" before the extension of the last path component ("out/x.csv" ->
// "out/x.b.csv", "x.npy" -> "x.b.npy", "x" -> "x.b"), so the extension still picks the format
std::string forkOutputPath(const std::string& path);

// the metrics CSV of an A/B run: a first column "run" (A or B), then metricsColumns() and, when
// both runs have the same number of modes (or B has no rows), the mode-mass columns; A's rows,
// then B's
std::string forkMetricsCsv(const std::vector<Metrics>& a, const std::vector<Metrics>& b);

}  // namespace driftlab::cli
