// Tests of the Images window's GUI-free parts: image shapes (image_shape.cpp), the grey range, the
// nearest-neighbour search and the copy test (image_match.cpp).
#include <doctest/doctest.h>

#include <cmath>

#include "../image_match.hpp"
#include "../image_shape.hpp"

using namespace driftlab;
using namespace driftlab::app;

TEST_CASE("image shapes: WxH text, the digits datasets are 8x8, an explicit shape wins") {
  CHECK(parseImageShape("8x8") == ImageShape{8, 8});
  CHECK(parseImageShape("28x14") == ImageShape{28, 14});
  CHECK_FALSE(parseImageShape("8"));
  CHECK_FALSE(parseImageShape("0x8"));
  CHECK_FALSE(parseImageShape("8x"));
  CHECK_FALSE(parseImageShape("8x8x8"));
  CHECK_FALSE(parseImageShape("-8x8"));
  ImageViewOptions opt;
  CHECK(imageShapeFor(opt, "digits") == ImageShape{8, 8});
  CHECK(imageShapeFor(opt, "digits_sphere") == ImageShape{8, 8});
  CHECK_FALSE(imageShapeFor(opt, "eight_gaussians"));
  opt.width = 4;
  opt.height = 16;
  CHECK(imageShapeFor(opt, "digits") == ImageShape{4, 16});
}

TEST_CASE("the grey range is min..max, symmetric about 0 for centred data") {
  PointsF a(2, 2);
  a << 0.f, 1.f, 0.5f, 0.25f;
  CHECK(greyRange(a).lo == 0.f);
  CHECK(greyRange(a).hi == 1.f);
  a << -0.2f, 1.f, 0.5f, 0.25f;
  CHECK(greyRange(a).lo == -1.f);
  CHECK(greyRange(a).hi == 1.f);
  CHECK(greyRange(PointsF::Constant(3, 3, 2.f)).hi > greyRange(PointsF::Constant(3, 3, 2.f)).lo);
}

TEST_CASE("nearest columns: exact copies at distance 0, identical references skipped on request") {
  PointsF data(2, 4);
  data << 0.f, 1.f, 2.f, 3.f,  //
      0.f, 0.f, 0.f, 0.f;
  PointsF q(2, 2);
  q << 2.f, 0.9f, 0.f, 0.f;
  const NearestMatch m = nearestColumns(q, 2, data, false);
  CHECK(m.index == std::vector<int>{2, 1});
  CHECK(m.distance[0] == 0.f);
  CHECK(m.distance[1] == doctest::Approx(0.1f));
  const NearestMatch s = nearestColumns(q, 1, data, true);  // column 2 itself does not count
  CHECK((s.index[0] == 1 || s.index[0] == 3));
  CHECK(s.distance[0] == doctest::Approx(1.f));
}

TEST_CASE("the median data NN distance ignores duplicates; copies are nearer than 0.1 x it") {
  PointsF data(1, 6);
  data << 0.f, 1.f, 2.f, 3.f, 4.f, 4.f;  // spacing 1, one duplicate
  CHECK(medianNearestDataDistance(data) == doctest::Approx(1.f));
  ImageMatcher m;
  CHECK(m.setData(data));
  CHECK_FALSE(m.setData(data));  // unchanged data: nothing recomputed
  PointsF particles(1, 4);
  particles << 1.f, 2.05f, 2.5f, 9.f;
  PointsF centres(1, 2);
  centres << 0.f, 4.f;
  m.match(particles, 4, centres, true);
  CHECK(m.matched() == 4);
  CHECK(m.copies() == 2);  // 1.0 (distance 0) and 2.05 (0.05 < 0.1)
  CHECK(m.isCopy(0));
  CHECK(m.isCopy(1));
  CHECK_FALSE(m.isCopy(2));
  CHECK(m.nearestData()[3] == 4);
  CHECK(m.nearestClass() == std::vector<int>{0, 1, 1, 1});  // 2.05 is nearer to 4 than to 0
  m.match(particles, 4, PointsF(3, 2), false);  // centres of another dimension: no classes
  CHECK(m.nearestClass().empty());
  CHECK(m.copies() == 0);
}
