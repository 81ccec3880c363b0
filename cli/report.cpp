// Metric tables, warnings and metrics CSV of run / train (report.hpp). Main thread only.
#include "report.hpp"

#include <cstdio>
#include <utility>

#include "cli_util.hpp"
#include "driftlab/io/csv.hpp"

namespace driftlab::cli {

std::string modesText(const Metrics& m) {
  return m.modes_covered < 0 ? std::string("-") : std::to_string(m.modes_covered) + "/" + std::to_string(m.modes_total);
}

MetricTable::MetricTable(std::vector<TableColumn> columns, long total_steps)
    : columns_(std::move(columns)), total_steps_(total_steps) {}

void MetricTable::printHeader() const {
  std::string line;
  for (const TableColumn& c : columns_) {
    char cell[64];
    std::snprintf(cell, sizeof cell, "%*s", c.width, c.name);
    line += (line.empty() ? "" : " ") + std::string(cell);
  }
  std::printf("%s\n", line.c_str());
}

bool MetricTable::due(long step, bool force) const {
  if (force || last_printed_step_ < 0) return true;
  const auto tenth = [&](long s) { return total_steps_ > 0 ? s * 10 / total_steps_ : 0; };
  return tenth(step) > tenth(last_printed_step_);
}

void MetricTable::printRow(long step, const std::vector<TableCell>& cells) {
  std::string line;
  for (std::size_t i = 0; i < columns_.size() && i < cells.size(); ++i) {
    const TableColumn& c = columns_[i];
    char cell[128];
    if (const long* n = std::get_if<long>(&cells[i])) {
      std::snprintf(cell, sizeof cell, "%*ld", c.width, *n);
    } else if (const double* v = std::get_if<double>(&cells[i])) {
      std::snprintf(cell, sizeof cell, c.format == 'f' ? "%*.*f" : "%*.*g", c.width, c.precision, *v);
    } else {
      std::snprintf(cell, sizeof cell, "%*s", c.width, std::get<std::string>(cells[i]).c_str());
    }
    line += (i == 0 ? "" : " ") + std::string(cell);
  }
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  last_printed_step_ = step;
}

void WarningPrinter::add(const std::string& warning) {
  if (warning.empty()) return;
  if (count_++ < kShown) std::fprintf(stderr, "driftlab-cli: warning: %s\n", warning.c_str());
}

void WarningPrinter::finish() const {
  if (count_ > kShown) std::fprintf(stderr, "driftlab-cli: warning: %d more warnings not shown\n", count_ - kShown);
}

// the mode-mass columns go last, so every earlier column keeps its position; a run's dataset and
// so its number of modes is fixed, the first row gives it
void writeMetricsCsv(const std::string& path, const std::vector<Metrics>& rows) {
  std::vector<std::string> cols = metricsColumns();
  for (auto& c : modeMassColumns(rows.empty() ? 0 : static_cast<int>(rows.front().mode_share.size()))) cols.push_back(c);
  writeOutput(path, formatCsvTable(cols, rows, [](const Metrics& m) { return formatMetricsRow(m) + formatModeMassCells(m); }));
}

void writeMetricsCsv(const std::string& path, const std::vector<GeneratorMetrics>& rows) {
  std::vector<std::string> cols = generatorMetricsColumns();
  for (auto& c : modeMassColumns(rows.empty() ? 0 : static_cast<int>(rows.front().m.mode_share.size()))) cols.push_back(c);
  writeOutput(path, formatCsvTable(cols, rows, [](const GeneratorMetrics& g) {
                return formatGeneratorMetricsRow(g) + formatModeMassCells(g.m);
              }));
}

}  // namespace driftlab::cli
