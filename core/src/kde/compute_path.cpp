#include "driftlab/kde/compute_path.hpp"

#include <string>

#include "driftlab/base/error.hpp"
#include "kde/grid_kde.hpp"

namespace driftlab {

const char* computePathName(ComputePath path) {
  switch (path) {
    case ComputePath::Exact64: return "exact64";
    case ComputePath::Exact32: return "exact";
    case ComputePath::Grid: return "grid";
    case ComputePath::Auto: return "auto";
  }
  return "?";
}

ComputePath parseComputePath(std::string_view name) {
  for (ComputePath p : {ComputePath::Exact64, ComputePath::Exact32, ComputePath::Grid, ComputePath::Auto})
    if (name == computePathName(p)) return p;
  DRIFTLAB_CHECK(false, "path: unknown compute path '" + std::string(name) + "' (expected exact64, exact, grid or auto)");
  return ComputePath::Auto;
}

ComputePath resolveComputePath(ComputePath path, int dim, long rows, long sources) {
  if (path != ComputePath::Auto) return (path == ComputePath::Grid && dim != 2) ? ComputePath::Exact32 : path;
  const double pairs = double(rows) * double(sources);
  if (dim == 2 && pairs >= kAutoGridPairs) return ComputePath::Grid;
  if (pairs >= kAutoExact32Pairs) return ComputePath::Exact32;
  return ComputePath::Exact64;
}

bool gridPathCovers(double extent, double h) { return kde::gridCell(extent, h) > 0.0; }

namespace {
thread_local ComputePath t_current_path = ComputePath::Exact64;
}  // namespace

ComputePath currentComputePath() { return t_current_path; }

ComputePathScope::ComputePathScope(ComputePath path) : previous_(t_current_path) { t_current_path = path; }
ComputePathScope::~ComputePathScope() { t_current_path = previous_; }

}  // namespace driftlab
