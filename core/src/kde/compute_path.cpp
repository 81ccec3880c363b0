#include "driftlab/kde/compute_path.hpp"

#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/io/name_table.hpp"
#include "kde/grid_kde.hpp"

namespace driftlab {

namespace {
constexpr NamedValue<ComputePath> kPathNames[] = {{ComputePath::Exact64, "exact64"},
                                                  {ComputePath::Exact32, "exact"},
                                                  {ComputePath::Grid, "grid"},
                                                  {ComputePath::Auto, "auto"}};
}  // namespace

const char* computePathName(ComputePath path) { return nameOf(kPathNames, path); }

ComputePath parseComputePath(std::string_view name) {
  return valueNamed(kPathNames, name, "path: unknown compute path");
}

ComputePath resolveComputePath(ComputePath path, int dim, long rows, long sources) {
  if (path != ComputePath::Auto) return (path == ComputePath::Grid && dim != 2) ? ComputePath::Exact32 : path;
  const double pairs = double(rows) * double(sources);
  if (dim == 2 && pairs >= kAutoGridPairs) return ComputePath::Grid;
  if (pairs >= kAutoExact32Pairs) return ComputePath::Exact32;
  return ComputePath::Exact64;
}

std::string computePathNote(ComputePath path, int dim) {
  if (path != ComputePath::Grid || dim == 2) return "";
  return "path grid: the grid covers 2-D data only; this " + std::to_string(dim) +
         "-D run uses the exact (float32) path";
}

bool gridPathCovers(double extent, double h) { return kde::gridCell(extent, h) > 0.0; }

}  // namespace driftlab
