// Internal: the 2-D grid fields a Snapshot carries (quiver velocity with its breakdown, log
// densities, speed), evaluated on a view rectangle. Used by the modes' Runs. Any thread (pure).
#pragma once

#include <functional>
#include <vector>

#include "driftlab/run/commands.hpp"
#include "driftlab/run/snapshot.hpp"
#include "driftlab/field/dfm_drift.hpp"
#include "driftlab/field/velocity.hpp"

namespace driftlab::detail {

// the rectangle and resolutions of the grid fields (cmd::SetView)
struct GridView {
  float x0 = -1.5f, y0 = -1.5f, x1 = 1.5f, y1 = 1.5f;
  int quiver_n = 32;   // quiver_n x quiver_n nodes for velocity / attraction / repulsion / per_term
  int density_n = 64;  // density_n x density_n nodes for log_p / log_q / speed
};

struct GridFields {
  GridField velocity, attraction, repulsion;
  std::vector<Divergence> terms;
  std::vector<GridField> per_term;
  GridField log_p, log_q, speed;
};

// the data's bounding box with each side pushed out by 25% of the box size (a degenerate box
// gets a unit extent), keeping the resolutions of `resolution`
GridView paddedDataView(const Points& data, const GridView& resolution);

// throws InvalidArgument naming the bad value ("view: quiver_n must be in [2, 256] (got 0)")
void validateGridView(const GridView& view);

// a SetView command as a validated view (throws as validateGridView)
GridView gridViewFrom(const cmd::SetView& c);

// copies the fields into the snapshot; without a breakdown (d != 2, and on S^2) the active terms
// come from the divergence weights
void putGridFields(Snapshot& s, const GridFields& fields, const DivergenceWeights& weights);

// node positions of an n_x x n_y grid over the rectangle: cell centres
// (x0 + (ix + 1/2) (x1 - x0) / nx, ...), row-major (iy * nx + ix), 2 x (nx ny)
Points gridNodes(const GridView& view, int nx, int ny);

// The fields of a flow on S^2 (3-D unit vectors) over the sphere's longitude x latitude
// rectangle [-pi, pi] x [-pi/2, pi/2] (x = longitude, y = latitude, z = sin(latitude)): log p_hat,
// log q_hat normalized over the sphere and the speed |P_x v| of the tangent velocity, on
// density_n x density_n / 2 cell centres (cells of equal angle, so 2 x 1 rectangle), and the
// tangent velocity P_x v itself (3 components) on quiver_n x quiver_n / 2 centres; no
// attraction / repulsion split. Empty fields for points of another dimension.
GridFields computeSphereGridFields(const Points& particles, const Points& data, const VelocityOptions& opt,
                                   const GridView& view);

// a drift field's arrows on the view's quiver grid (2-D): drift maps 2 x E nodes to 2 x E vectors
GridField quiverGridOf(const GridView& view, const std::function<Points(const Points&)>& drift);

// mode dfm on the plane (THEORY.md §12.2): the drift b(t, .) in force on the quiver grid, the
// bridge's marginal log p_t and |b| on the density grid, the particles' log q_hat (opt's KDE);
// no attraction / repulsion split. Empty fields off the plane.
GridFields computeDfmGridFields(const Points& particles, const Points& data, const VelocityOptions& opt,
                                const GridView& view, const std::function<Points(const Points&)>& drift,
                                const DfmBridge& bridge, double t);

// every grid field for 2-D particles and data (velocity options already resolved);
// multi-scale RMS norms are computed once and shared by both grids
GridFields computeGridFields(const Points& particles, const Points& data, const VelocityOptions& opt,
                             const GridView& view);

}  // namespace driftlab::detail
