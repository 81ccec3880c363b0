// Class means and frequencies from labels, and the labels file reader (class_modes.hpp). Any thread.
#include "driftlab/flow/class_modes.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <map>

#include "driftlab/base/error.hpp"
#include "driftlab/base/text.hpp"
#include "driftlab/io/npy.hpp"
#include "driftlab/io/points_file.hpp"

namespace driftlab {

ClassModes classModes(const Points& points, std::span<const int> labels, const std::string& what, bool directions) {
  const auto n = static_cast<std::size_t>(points.cols());
  DRIFTLAB_CHECK(labels.size() == n, what + ": " + std::to_string(labels.size()) + " labels for " +
                                         std::to_string(n) + " points (one label per point)");
  DRIFTLAB_CHECK(n > 0, what + ": no points to label");
  std::map<int, long long> counts;
  for (int label : labels) ++counts[label];
  DRIFTLAB_CHECK(counts.size() <= static_cast<std::size_t>(kMaxClasses),
                 what + ": " + std::to_string(counts.size()) + " classes (at most " +
                     std::to_string(kMaxClasses) + ")");
  std::map<int, Eigen::Index> column;
  ClassModes out;
  out.centres = Points::Zero(points.rows(), static_cast<Eigen::Index>(counts.size()));
  for (const auto& [label, count] : counts) {
    column[label] = static_cast<Eigen::Index>(out.classes.size());
    out.classes.push_back(label);
    out.weights.push_back(static_cast<double>(count) / static_cast<double>(n));
  }
  for (std::size_t i = 0; i < n; ++i) out.centres.col(column[labels[i]]) += points.col(static_cast<Eigen::Index>(i));
  for (std::size_t k = 0; k < out.classes.size(); ++k) {
    auto centre = out.centres.col(static_cast<Eigen::Index>(k));
    centre /= static_cast<double>(counts[out.classes[k]]);
    if (directions && centre.norm() > 0.0) centre.normalize();
  }
  return out;
}

namespace {

bool parseInt(std::string_view text, int& value) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end;
}

}  // namespace

std::vector<int> readLabels(const std::string& path) {
  if (isNpyPath(path)) return readNpyLabels(path);
  std::ifstream in(path, std::ios::binary);
  DRIFTLAB_CHECK(in.good(), path + ": cannot open labels file");
  std::vector<int> labels;
  std::string line;
  long line_no = 0;
  bool header_allowed = true;
  while (std::getline(in, line)) {
    ++line_no;
    const std::string_view cell = trimmedBlanks(line);
    if (cell.empty()) continue;
    int value = 0;
    if (parseInt(cell, value)) {
      labels.push_back(value);
    } else if (header_allowed) {
      // a column name such as "label" above the values
    } else {
      detail::throwInvalidArgument(path + ":" + std::to_string(line_no) + ": not an integer label: '" +
                                   std::string(cell.substr(0, 40)) + "'");
    }
    header_allowed = false;
  }
  DRIFTLAB_CHECK(!labels.empty(), path + ": no labels (one integer per line)");
  return labels;
}

}  // namespace driftlab
