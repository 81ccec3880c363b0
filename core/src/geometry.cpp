// Euclidean geometry: tangent projection is the identity and move is x + dx (MATH.md §3.7
// step 7). The sphere S^2 (MATH.md §4.1) will be a second implementation behind the same
// interface. Stateless; any thread.
#include "driftlab/geometry.hpp"

#include <string>

#include "driftlab/error.hpp"
#include "driftlab/thread_pool.hpp"

namespace driftlab {

namespace {

class EuclideanGeometry final : public Geometry {
 public:
  // R^d: every vector is tangent
  void projectTangent(const Points& x, Points& v) const override {
    DRIFTLAB_CHECK(x.rows() == v.rows() && x.cols() == v.cols(),
                   "geometry: velocity shape " + std::to_string(v.rows()) + "x" + std::to_string(v.cols()) +
                       " does not match positions " + std::to_string(x.rows()) + "x" + std::to_string(x.cols()));
  }

  // x_i <- x_i + dx_i
  void move(Points& x, const Points& displacement) const override {
    DRIFTLAB_CHECK(x.rows() == displacement.rows() && x.cols() == displacement.cols(),
                   "geometry: displacement shape " + std::to_string(displacement.rows()) + "x" +
                       std::to_string(displacement.cols()) + " does not match positions " +
                       std::to_string(x.rows()) + "x" + std::to_string(x.cols()));
    // split over the pool: at a million particles a serial pass is a few ms of an otherwise
    // parallel step
    const long n = x.size();
    double* xp = x.data();
    const double* dp = displacement.data();
    currentThreadPool().parallelFor(0, n, [&](long lo, long hi, int) {
      for (long i = lo; i < hi; ++i) xp[i] += dp[i];
    }, 1 << 15);
  }
};

}  // namespace

std::unique_ptr<Geometry> makeGeometry(GeometryKind kind) {
  switch (kind) {
    case GeometryKind::Euclidean: return std::make_unique<EuclideanGeometry>();
  }
  detail::throwInvalidArgument("geometry: unknown kind " + std::to_string(static_cast<int>(kind)));
}

}  // namespace driftlab
