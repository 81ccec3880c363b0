// What `run` and `train` report: the metric table on stdout (a row at the start, at each tenth
// of the run and at the end), the warnings on stderr (the first few, then a count), and the
// metrics CSV. Main thread only.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "driftlab/field/metrics.hpp"
#include "driftlab/generator/generator.hpp"

namespace driftlab::cli {

// "3/8", or "-" for a data set without modes
std::string modesText(const Metrics& m);

struct TableColumn {
  const char* name;
  int width;
  char format = 'g';  // 'g' or 'f' for a number (with `precision`), 'd' for an integer, 's' for text
  int precision = 4;
};
using TableCell = std::variant<long, double, std::string>;

// A fixed-width table printed row by row (columns joined by one space, numbers right-aligned).
class MetricTable {
 public:
  MetricTable(std::vector<TableColumn> columns, long total_steps);
  void printHeader() const;
  // true for the first row, a forced one (the last step) and the first row past each tenth of the run
  bool due(long step, bool force) const;
  // prints the row (one cell per column) and flushes, so a long run shows its progress
  void printRow(long step, const std::vector<TableCell>& cells);
  long lastPrintedStep() const { return last_printed_step_; }  // -1 before the first row

 private:
  std::vector<TableColumn> columns_;
  long total_steps_;
  long last_printed_step_ = -1;
};

// Engine warnings on stderr: the first kShown, then at finish() how many more there were.
class WarningPrinter {
 public:
  static constexpr int kShown = 10;
  void add(const std::string& warning);
  void finish() const;

 private:
  int count_ = 0;
};

// the metrics CSV (header metricsColumns(), or generatorMetricsColumns(), then modeMassColumns(K);
// one row per record),
// written completely or not at all
void writeMetricsCsv(const std::string& path, const std::vector<Metrics>& rows);
void writeMetricsCsv(const std::string& path, const std::vector<GeneratorMetrics>& rows);

}  // namespace driftlab::cli
