// Point-set files chosen by extension (points_file.hpp). Any thread.
#include "driftlab/io/points_file.hpp"

#include <cctype>

#include "driftlab/io/csv.hpp"
#include "driftlab/io/npy.hpp"

namespace driftlab {

bool isNpyPath(const std::string& path) {
  constexpr std::string_view kExt = ".npy";
  if (path.size() < kExt.size()) return false;
  for (std::size_t i = 0; i < kExt.size(); ++i) {
    const char c = path[path.size() - kExt.size() + i];
    if (std::tolower(static_cast<unsigned char>(c)) != kExt[i]) return false;
  }
  return true;
}

Points readPoints(const std::string& path) { return isNpyPath(path) ? readNpyPoints(path) : readCsvPoints(path); }

void writePoints(const std::string& path, const Points& pts, const std::vector<std::string>& names,
                 const std::string& what, const std::function<void(long long, long long)>& progress) {
  if (isNpyPath(path)) {
    writeNpyPoints(path, pts, NpyDtype::Float64, what, progress);
  } else {
    writeCsvPoints(path, pts, names, what, progress);
  }
}

}  // namespace driftlab
