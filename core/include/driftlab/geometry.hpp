// Where particles live. The step is always x <- move(x, eta * v) with v first projected onto
// the tangent space, so the sphere S^2 can be added behind this interface (MATH.md §4.1).
// Any thread; implementations are stateless.
#pragma once

#include <memory>

#include "driftlab/flow_params.hpp"
#include "driftlab/types.hpp"

namespace driftlab {

class Geometry {
 public:
  virtual ~Geometry() = default;
  // project velocities (d x N) onto the tangent space at x, in place
  virtual void projectTangent(const Points& x, Points& v) const = 0;
  // x <- move(x, displacement), column by column (Euclidean: x + dx; sphere: Exp_x(dx))
  virtual void move(Points& x, const Points& displacement) const = 0;
};

std::unique_ptr<Geometry> makeGeometry(GeometryKind kind);

}  // namespace driftlab
