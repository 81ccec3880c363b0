// Geometry (THEORY.md §6.3): the Euclidean move and the engine's one-pass advance, which must
// equal the composition the base class defines (copy, clipped displacement, move, finite check).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/flow/geometry.hpp"

using namespace driftlab;

namespace {

// the base class's advance (no override): the reference the fused Euclidean one must match
class ComposedEuclidean final : public Geometry {
 public:
  void projectTangent(const Points&, Points&) const override {}
  void move(Points& x, const Points& displacement) const override { x += displacement; }
};

}  // namespace

TEST_CASE("geometry: the one-pass Euclidean advance equals the composed move, with max speed and clip") {
  const std::unique_ptr<Geometry> euclid = makeGeometry(GeometryKind::Euclidean);
  const ComposedEuclidean composed;
  Points x(2, 5), v(2, 5);
  x << 0.0, 1.0, -2.0, 0.5, 3.0,  //
      0.0, -1.0, 0.25, 2.0, -3.0;
  v << 1.0, 0.0, 30.0, -4.0, 0.1,  //
      0.0, 2.0, 40.0, 3.0, -0.2;
  for (const double clip : {0.0, 1.0}) {
    CAPTURE(clip);
    Points fused, reference;
    double speed = -1.0, reference_speed = -1.0;
    REQUIRE(euclid->advance(x, v, 0.5, clip, fused, &speed));
    REQUIRE(composed.advance(x, v, 0.5, clip, reference, &reference_speed));
    CHECK(fused == reference);  // bit-identical
    CHECK(speed == 50.0);       // |(30, 40)|
    CHECK(reference_speed == 50.0);
    // column 2 moves eta |v| = 25 unclipped, exactly 1 clipped; column 0 (0.5) is under the clip
    CHECK((fused.col(2) - x.col(2)).norm() == doctest::Approx(clip > 0.0 ? 1.0 : 25.0).epsilon(1e-15));
    CHECK(fused(0, 0) == 0.5);
  }
  SUBCASE("a NaN velocity reports a NaN speed and a non-finite result") {
    Points bad = v;
    bad(1, 3) = std::numeric_limits<double>::quiet_NaN();
    Points out;
    double speed = 0.0;
    CHECK_FALSE(euclid->advance(x, bad, 0.5, 0.0, out, &speed));
    CHECK(std::isnan(speed));
  }
  SUBCASE("a finite velocity can still overflow the position") {
    Points out;
    double speed = 0.0;
    CHECK_FALSE(euclid->advance(x, v, 1e307, 0.0, out, &speed));
    CHECK(speed == 50.0);
  }
}

TEST_CASE("geometry: a step so large that |eta v|^2 overflows still moves each particle by the clip") {
  // with eta = 1e160, |eta v|^2 = inf made the shrink factor 0: the particles stayed put, flow time
  // grew to 1e161 and nothing said why
  const std::unique_ptr<Geometry> euclid = makeGeometry(GeometryKind::Euclidean);
  const ComposedEuclidean composed;
  Points x(2, 3), v(2, 3);
  x << 0.0, 1.0, -2.0,  //
      0.0, -1.0, 0.5;
  v << 3.0, 0.0, -1e-3,  //
      4.0, 2.0, 0.0;
  for (const Geometry* g : {static_cast<const Geometry*>(euclid.get()), static_cast<const Geometry*>(&composed)}) {
    Points out;
    double speed = 0.0;
    REQUIRE(g->advance(x, v, 1e160, 0.5, out, &speed));
    CHECK(speed == 5.0);
    CHECK(out(0, 0) == doctest::Approx(0.3));   // 0.5 along (3, 4) / 5
    CHECK(out(1, 0) == doctest::Approx(0.4));
    CHECK(out(1, 1) == doctest::Approx(-0.5));  // 0.5 along (0, 1)
    CHECK(out(0, 2) == doctest::Approx(-2.5));  // 0.5 along (-1, 0)
  }
}

TEST_CASE("sphere: projected velocities are tangent, Exp and the retraction stay on the sphere (THEORY 13.19)") {
  for (const GeometryKind kind : {GeometryKind::Sphere, GeometryKind::SphereRetraction}) {
    CAPTURE(static_cast<int>(kind));
    const std::unique_ptr<Geometry> sphere = makeGeometry(kind);
    Points x(3, 4), v(3, 4);
    x << 1.0, 0.0, 0.6, 0.0,  //
        0.0, 1.0, 0.8, 0.6,   //
        0.0, 0.0, 0.0, -0.8;
    v << 0.3, -2.0, 1.0, 5.0,  //
        0.5, 1.0, 1.0, -1.0,   //
        -1.0, 0.25, 0.0, 2.0;
    sphere->projectTangent(x, v);
    for (Eigen::Index i = 0; i < x.cols(); ++i) CHECK(std::abs(x.col(i).dot(v.col(i))) <= 1e-12);
    Points out;
    double speed = 0.0;
    REQUIRE(sphere->advance(x, v, 0.7, 0.0, out, &speed));
    for (Eigen::Index i = 0; i < x.cols(); ++i) CHECK(std::abs(out.col(i).norm() - 1.0) <= 1e-14);
  }
}

TEST_CASE("sphere: Exp moves along the great circle by the displacement's length, the retraction by its arctan") {
  const std::unique_ptr<Geometry> exp_map = makeGeometry(GeometryKind::Sphere);
  const std::unique_ptr<Geometry> retraction = makeGeometry(GeometryKind::SphereRetraction);
  Points x(3, 1), u(3, 1);
  x << 1.0, 0.0, 0.0;
  u << 0.0, 1.2, 0.0;  // tangent at e1, length 1.2
  Points a = x, b = x;
  exp_map->move(a, u);
  retraction->move(b, u);
  CHECK(a(0, 0) == doctest::Approx(std::cos(1.2)).epsilon(1e-14));
  CHECK(a(1, 0) == doctest::Approx(std::sin(1.2)).epsilon(1e-14));
  CHECK(std::acos(b(0, 0)) == doctest::Approx(std::atan(1.2)).epsilon(1e-14));  // geodesic angle of (1, 1.2)
  Points tiny = x, tiny_u = u * 1e-9;
  exp_map->move(tiny, tiny_u);
  CHECK(tiny(1, 0) == doctest::Approx(1.2e-9).epsilon(1e-12));  // no 0/0 at small steps
}

TEST_CASE("sphere: points are normalized with a count of those off by more than 1e-6, zero points are refused") {
  Points p(3, 3);
  p << 2.0, 0.0, 1.0,  //
      0.0, 1.0, 0.0,   //
      0.0, 0.0, 1e-7;
  int renormalized = -1;
  const Points q = normalizedToSphere(p, "data.csv", 1e-6, &renormalized);
  CHECK(renormalized == 1);  // (2, 0, 0); (1, 0, 1e-7) is within 1e-6
  CHECK(q(0, 0) == 1.0);
  CHECK(std::abs(q.col(2).norm() - 1.0) < 1e-15);
  p.col(1).setZero();
  try {
    normalizedToSphere(p, "data.csv");
    FAIL("a zero point was accepted");
  } catch (const InvalidArgument& e) {
    CHECK(std::string(e.what()) == "data.csv: point 2 is zero and has no direction on the sphere");
  }
  CHECK_THROWS_AS(normalizedToSphere(Points::Ones(2, 3), "flat"), InvalidArgument);
}
