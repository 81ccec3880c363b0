// CSV input and output of point sets, with a header row. Any thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "driftlab/base/types.hpp"

namespace driftlab {

// Reads a CSV with a header row (e.g. "x,y") and one point per line; returns d x n.
// Throws InvalidArgument with one line naming the file, line and column of the problem:
// "Y.csv:7:2: not a number: 'abc'", "Y.csv:3: expected 2 columns, found 3", "Y.csv: no data rows",
// non-finite values, missing file.
Points readCsvPoints(const std::string& path);
// Same, from text already in memory (name is used in messages).
Points parseCsvPoints(const std::string& text, const std::string& name);

// Writes header (names.size() == rows) and one column of pts per line, with %.17g, completely or
// not at all (output_file.hpp), in chunks of about 1 MB: the text of a large point set (2.4 GB at
// 5e7 2-D points) is never held whole. `what` names the content in errors ("<path>: cannot write
// <what> (...)"); `progress`, if set, is called on the calling thread after each chunk with the
// rows written so far and the total (for a progress display).
// Throws InvalidArgument if the file cannot be written.
void writeCsvPoints(const std::string& path, const Points& pts, const std::vector<std::string>& names,
                    const std::string& what = "file",
                    const std::function<void(long long done, long long total)>& progress = {});
std::string formatCsvPoints(const Points& pts, const std::vector<std::string>& names);

// A CSV table: the header line `columns`, then format_row(row) on a line per row (the metrics CSV
// files).
template <class Row, class FormatRow>
std::string formatCsvTable(const std::vector<std::string>& columns, const std::vector<Row>& rows,
                           FormatRow format_row) {
  std::string out;
  for (const std::string& c : columns) out += (out.empty() ? "" : ",") + c;
  out += '\n';
  for (const Row& row : rows) out += format_row(row) + '\n';
  return out;
}

// default header names for dimension d: x,y (d=2), x,y,z (d=3), x0..x{d-1} otherwise; prefix "v"
// gives vx,vy...
std::vector<std::string> coordinateNames(int d, const std::string& prefix = "");

}  // namespace driftlab
