// When the canvas shows the 3-D sphere view instead of the 2-D projection: a snapshot whose flow
// lives on the unit sphere (geometry=sphere or sphere_retraction) in d = 3, i.e. on S^2 (THEORY.md
// §10). Header-only and GL-free so the panels can ask too; any thread that holds the snapshot.
#pragma once

#include "driftlab/run/snapshot.hpp"

namespace driftlab::app::render {

inline bool sphereView(const Snapshot& s) {
  const long d = static_cast<long>(s.data.cols() > 0 ? s.data.rows() : s.particles.rows());
  return s.params.geometry != GeometryKind::Euclidean && d == 3;
}

}  // namespace driftlab::app::render
