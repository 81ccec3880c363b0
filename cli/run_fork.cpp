// Output names and the two-run metrics CSV of `driftlab-cli run --fork-at` (run_fork.hpp).
#include "run_fork.hpp"

namespace driftlab::cli {

std::string forkOutputPath(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  const std::size_t name_start = slash == std::string::npos ? 0 : slash + 1;
  const std::size_t dot = path.find_last_of('.');
  // a dot that starts the name (".hidden") or sits in a folder name is no extension
  if (dot == std::string::npos || dot <= name_start) return path + ".b";
  return path.substr(0, dot) + ".b" + path.substr(dot);
}

std::string forkMetricsCsv(const std::vector<Metrics>& a, const std::vector<Metrics>& b) {
  const auto modes = [](const std::vector<Metrics>& rows) {
    return rows.empty() ? 0 : static_cast<int>(rows.front().mode_share.size());
  };
  // B may run on another data set (--set-b dataset=...): then the mode columns would not line up
  // (an interrupted A has no B rows: A's columns then)
  const bool mode_columns = b.empty() || modes(a) == modes(b);
  std::string out = "run";
  for (const auto& c : metricsColumns()) out += "," + c;
  if (mode_columns)
    for (const auto& c : modeMassColumns(modes(a))) out += "," + c;
  out += '\n';
  const auto add = [&](const char* label, const std::vector<Metrics>& rows) {
    for (const Metrics& m : rows) out += std::string(label) + "," + formatMetricsRow(m) +
                                         (mode_columns ? formatModeMassCells(m) : std::string()) + "\n";
  };
  add("A", a);
  add("B", b);
  return out;
}

}  // namespace driftlab::cli
