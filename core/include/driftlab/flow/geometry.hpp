// Where particles live. The step is always x <- move(x, eta * v) with v first projected onto
// the tangent space: the plane, or the unit sphere S^{d-1} (THEORY.md §10).
// Any thread; implementations are stateless.
#pragma once

#include <memory>
#include <string>

#include "driftlab/flow/flow_params.hpp"
#include "driftlab/base/types.hpp"

namespace driftlab {

class Geometry {
 public:
  virtual ~Geometry() = default;
  // project velocities (d x N) onto the tangent space at x, in place
  virtual void projectTangent(const Points& x, Points& v) const = 0;
  // x <- move(x, displacement), column by column (Euclidean: x + dx; sphere: Exp_x(dx))
  virtual void move(Points& x, const Points& displacement) const = 0;
  // x_new = move(x, eta v) with every column of eta v longer than clip_length shortened to it
  // (clip_length <= 0: no clip); false when a coordinate of x_new is not finite (x_new is then
  // unspecified). max_speed (optional) <- max_i |v_i|, NaN when an entry of v is not finite or
  // |v_i|^2 overflows. The engine's step in one call: the base class composes move(); a geometry
  // may fuse it into one pass (Euclidean: at a million particles the separate passes were ~15 %
  // of a grid step).
  virtual bool advance(const Points& x, const Points& v, double eta, double clip_length, Points& x_new,
                       double* max_speed = nullptr) const;
};

std::unique_ptr<Geometry> makeGeometry(GeometryKind kind);

// The columns of `points` scaled to unit length, for a run on the sphere. Throws InvalidArgument
// naming `what` for fewer than 3 coordinates or a zero / non-finite point; *renormalized (optional)
// <- how many points were further than `tolerance` from unit length (a caller warns about them).
Points normalizedToSphere(const Points& points, const std::string& what, double tolerance = 1e-6,
                          int* renormalized = nullptr);

}  // namespace driftlab
