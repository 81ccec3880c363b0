// Where particles live (THEORY.md §6.3, §10): the plane R^d (tangent projection is the identity,
// move is x + dx) and the unit sphere S^{d-1} (projection I - x x^T, move along great circles).
// Stateless; any thread.
#include "driftlab/flow/geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "driftlab/base/error.hpp"
#include "driftlab/base/thread_pool.hpp"
#include "kde/column_norm.hpp"

namespace driftlab {

namespace {

// dx = eta v, columns longer than clip_length (> 0) shortened to it
Points cappedDisplacement(const Points& v, double eta, double clip_length) {
  Points dx(v.rows(), v.cols());
  currentThreadPool().parallelFor(0, v.cols(), [&](long lo, long hi, int) {
    const long d = v.rows();
    for (long i = lo; i < hi; ++i) {
      const double* vi = v.data() + i * d;
      double* di = dx.data() + i * d;
      double len2 = 0.0, norm2 = 0.0;
      for (long a = 0; a < d; ++a) {
        di[a] = eta * vi[a];
        len2 += di[a] * di[a];
        norm2 += vi[a] * vi[a];
      }
      if (clip_length > 0.0 && len2 > clip_length * clip_length) {
        if (std::isinf(len2) && std::isfinite(norm2)) {
          // |eta v|^2 overflowed (a step of 1e160): clip from |v| alone, or nothing would move
          const double unit = clip_length / std::sqrt(norm2);
          for (long a = 0; a < d; ++a) di[a] = vi[a] * unit;
        } else {
          const double shrink = clip_length / std::sqrt(len2);
          for (long a = 0; a < d; ++a) di[a] *= shrink;
        }
      }
    }
  }, 8192);
  return dx;
}

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

  // x + eta v, clipped per column, the finite check and the max speed, in one pass over x and v
  bool advance(const Points& x, const Points& v, double eta, double clip_length, Points& x_new,
               double* max_speed) const override {
    checkShape(x, v, "velocity");
    x_new.resize(x.rows(), x.cols());
    const long d = x.rows();
    ThreadPool& pool = currentThreadPool();
    struct Part {
      bool finite = true, speed_finite = true;
      double max_norm2 = 0.0;
    };
    std::vector<Part> parts(static_cast<std::size_t>(pool.size()));
    pool.parallelFor(0, x.cols(), [&](long lo, long hi, int t) {
      int bad = 0, bad_speed = 0;  // branch-free, so the loop vectorises
      double max_norm2 = 0.0;
      for (long i = lo; i < hi; ++i) {
        const double* xi = x.data() + i * d;
        const double* vi = v.data() + i * d;
        double* out = x_new.data() + i * d;
        double norm2 = 0.0, len2 = 0.0;  // |v_i|^2, and |eta v_i|^2 summed as cappedDisplacement does
        for (long a = 0; a < d; ++a) {
          norm2 += vi[a] * vi[a];
          len2 += (eta * vi[a]) * (eta * vi[a]);
        }
        bad_speed |= !std::isfinite(norm2);  // (std::max below drops a NaN)
        max_norm2 = std::max(max_norm2, norm2);
        const bool clip = clip_length > 0.0 && len2 > clip_length * clip_length;
        if (clip && std::isinf(len2) && std::isfinite(norm2)) {
          // |eta v|^2 overflowed (a step of 1e160): clip from |v| alone, or the shrink would be 0
          // and the flow would freeze without a word (as cappedDisplacement)
          const double unit = clip_length / std::sqrt(norm2);
          for (long a = 0; a < d; ++a) {
            out[a] = xi[a] + vi[a] * unit;
            bad |= !std::isfinite(out[a]);
          }
          continue;
        }
        const double shrink = clip ? clip_length / std::sqrt(len2) : 1.0;
        for (long a = 0; a < d; ++a) {
          out[a] = xi[a] + (eta * vi[a]) * shrink;
          bad |= !std::isfinite(out[a]);
        }
      }
      Part& part = parts[std::size_t(t)];
      part.finite = part.finite && !bad;
      part.speed_finite = part.speed_finite && !bad_speed;
      part.max_norm2 = std::max(part.max_norm2, max_norm2);
    }, 8192);
    bool finite = true, speed_finite = true;
    double max_norm2 = 0.0;
    for (const Part& part : parts) {
      finite = finite && part.finite;
      speed_finite = speed_finite && part.speed_finite;
      max_norm2 = std::max(max_norm2, part.max_norm2);
    }
    if (max_speed) *max_speed = speed_finite ? std::sqrt(max_norm2) : std::numeric_limits<double>::quiet_NaN();
    return finite;
  }

 private:
  static void checkShape(const Points& x, const Points& v, const char* what) {
    DRIFTLAB_CHECK(x.rows() == v.rows() && x.cols() == v.cols(),
                   std::string("geometry: ") + what + " shape " + std::to_string(v.rows()) + "x" +
                       std::to_string(v.cols()) + " does not match positions " + std::to_string(x.rows()) + "x" +
                       std::to_string(x.cols()));
  }
};

// The unit sphere S^{d-1} in R^d (THEORY.md §10): velocities are projected onto the tangent plane
// P_x = I - x x^T, and a displacement moves along the great circle, Exp_x(u) = cos|u| x +
// sin|u| u/|u|, or by the retraction R_x(u) = (x + u)/|x + u|. Both keep |x| = 1; each result is
// renormalized so rounding does not drift off the sphere over millions of steps. With the
// Gaussian kernel the projected Euclidean field is exactly the Riemannian field of the von
// Mises-Fisher kernel exp(kappa (x.y - 1)), kappa = 1/h^2 (THEORY.md §10).
class SphereGeometry final : public Geometry {
 public:
  explicit SphereGeometry(bool retraction) : retraction_(retraction) {}

  void projectTangent(const Points& x, Points& v) const override {
    checkSameShape(x, v, "velocity");
    currentThreadPool().parallelFor(0, x.cols(), [&](long lo, long hi, int) {
      for (long i = lo; i < hi; ++i) v.col(i) -= x.col(i).dot(v.col(i)) * x.col(i);
    }, 4096);
  }

  void move(Points& x, const Points& displacement) const override {
    checkSameShape(x, displacement, "displacement");
    currentThreadPool().parallelFor(0, x.cols(), [&](long lo, long hi, int) {
      for (long i = lo; i < hi; ++i) {
        const auto u = displacement.col(i);
        Vec y;
        if (retraction_) {
          y = x.col(i) + u;
        } else {
          const double t = u.norm();
          // sin(t)/t without 0/0: its series 1 - t^2/6 below 1e-4 (error < 1e-17)
          const double sinc = t < 1e-4 ? 1.0 - t * t / 6.0 : std::sin(t) / t;
          y = std::cos(t) * x.col(i) + sinc * u;
        }
        const double n = y.norm();
        // a zero result (the retraction of u = -x) becomes NaN, which the finite check reports
        x.col(i) = n > 0.0 ? Vec(y / n) : Vec::Constant(x.rows(), std::numeric_limits<double>::quiet_NaN());
      }
    }, 4096);
  }

 private:
  bool retraction_;

  static void checkSameShape(const Points& x, const Points& v, const char* what) {
    DRIFTLAB_CHECK(x.rows() == v.rows() && x.cols() == v.cols(),
                   std::string("geometry: ") + what + " shape " + std::to_string(v.rows()) + "x" +
                       std::to_string(v.cols()) + " does not match positions " + std::to_string(x.rows()) + "x" +
                       std::to_string(x.cols()));
  }
};

}  // namespace

Points normalizedToSphere(const Points& points, const std::string& what, double tolerance, int* renormalized) {
  DRIFTLAB_CHECK(points.rows() >= 3, what + ": points on the sphere need at least 3 coordinates (got " +
                                         std::to_string(points.rows()) + ")");
  Points out = points;
  int changed = 0;
  for (Eigen::Index i = 0; i < out.cols(); ++i) {
    const double n = out.col(i).norm();
    DRIFTLAB_CHECK(n > 0.0 && std::isfinite(n),
                   what + ": point " + std::to_string(i + 1) +
                       (n > 0.0 ? " has a non-finite length" : " is zero and has no direction on the sphere"));
    if (std::abs(n - 1.0) > tolerance) ++changed;
    out.col(i) /= n;
  }
  if (renormalized) *renormalized = changed;
  return out;
}

bool Geometry::advance(const Points& x, const Points& v, double eta, double clip_length, Points& x_new,
                       double* max_speed) const {
  if (max_speed) *max_speed = maxColumnNorm(v);
  x_new = x;
  move(x_new, cappedDisplacement(v, eta, clip_length));
  return x_new.allFinite();
}

std::unique_ptr<Geometry> makeGeometry(GeometryKind kind) {
  switch (kind) {
    case GeometryKind::Euclidean: return std::make_unique<EuclideanGeometry>();
    case GeometryKind::Sphere: return std::make_unique<SphereGeometry>(false);
    case GeometryKind::SphereRetraction: return std::make_unique<SphereGeometry>(true);
  }
  detail::throwInvalidArgument("geometry: unknown kind " + std::to_string(static_cast<int>(kind)));
}

}  // namespace driftlab
