// Point-set files by their name: a path ending in .npy (any case) is a NumPy file (npy.hpp),
// anything else CSV (csv.hpp). Every reader of data or initial particles and every writer of a
// point set goes through here, so both formats work wherever a point file is named. Any thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "driftlab/base/types.hpp"

namespace driftlab {

// true when path ends in ".npy", compared without case
bool isNpyPath(const std::string& path);

// d x n points from a .npy or CSV file; throws InvalidArgument with the reader's one line
Points readPoints(const std::string& path);

// pts written as .npy (float64, bit-exact; `names` unused) or as CSV with header `names`,
// completely or not at all; `what` and `progress` as for writeCsvPoints
void writePoints(const std::string& path, const Points& pts, const std::vector<std::string>& names,
                 const std::string& what = "file",
                 const std::function<void(long long done, long long total)>& progress = {});

}  // namespace driftlab
