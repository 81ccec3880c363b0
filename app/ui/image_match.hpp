// The numbers behind the Images window (image_grid_panel.cpp): the grey range of the data, each
// shown particle's nearest data image and nearest class centre, and the "copy" test -- a sample
// is a copy of a data image when it lies much closer to it than data images lie to each other
// (nearest distance < kCopyFraction x the median data-to-nearest-other-data distance).
// GUI-free. An ImageMatcher is used by one thread only (the render thread in the app); the free
// functions may run on any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "driftlab/base/types.hpp"

namespace driftlab::app {

inline constexpr float kCopyFraction = 0.1f;
// multiply-adds one nearest-neighbour search may cost (about 256 samples x 1797 digits x 64
// pixels); larger data are searched at a stride so a frame never stalls
inline constexpr double kMaxNearestWork = 3.2e7;

// the grey ramp's value range: min..max over all values, widened to be symmetric about 0 when the
// values straddle 0 (centred data such as digits_sphere: 0 is mid grey, the sign stays visible)
struct GreyRange {
  float lo = 0.f, hi = 1.f;
};
GreyRange greyRange(const PointsF& data);

// For the first n columns of `queries`: the nearest column of `refs` (index into refs) and its
// Euclidean distance. skip_identical: a reference equal to the query (a data point and itself, or
// its duplicate) does not count. Index -1 and distance +inf when no reference qualifies.
struct NearestMatch {
  std::vector<int> index;
  std::vector<float> distance;
};
NearestMatch nearestColumns(const PointsF& queries, int n, const PointsF& refs, bool skip_identical);

// the median over (at most kMedianQueries evenly spaced) data columns of the distance to the
// nearest other, non-identical data column; 0 when there are fewer than two distinct columns
inline constexpr int kMedianQueries = 512;
float medianNearestDataDistance(const PointsF& data);

// nearest column of `centres` for each of the first n columns of `queries`; empty when the
// centres do not have the queries' dimension
std::vector<int> nearestCentre(const PointsF& queries, int n, const PointsF& centres);

// Caches the per-data-set numbers (range, median) and the per-snapshot matches of the shown
// particles; the caller decides when to call match() (once per snapshot, not every frame).
class ImageMatcher {
 public:
  // adopt the data; the range and the median are recomputed only when the data differ from the
  // last call's. True when they changed.
  bool setData(const PointsF& data);
  GreyRange range() const { return range_; }
  float medianDistance() const { return median_; }

  // the first n particles: nearest class centre always; nearest data image, distance and the copy
  // count when with_nearest (data searched at dataStride() so the cost stays under kMaxNearestWork)
  void match(const PointsF& particles, int n, const PointsF& centres, bool with_nearest);
  int matched() const { return matched_; }
  bool withNearest() const { return with_nearest_; }
  const std::vector<int>& nearestData() const { return nearest_.index; }   // data column, -1 = none
  const std::vector<float>& distance() const { return nearest_.distance; }
  const std::vector<int>& nearestClass() const { return classes_; }        // empty without centres
  bool isCopy(int i) const;
  int copies() const { return copies_; }
  int dataStride() const { return stride_; }
  double lastSeconds() const { return last_seconds_; }  // cost of the last match()

 private:
  PointsF data_;
  GreyRange range_;
  float median_ = 0.f;
  NearestMatch nearest_;
  std::vector<int> classes_;
  int matched_ = 0, copies_ = 0, stride_ = 1;
  bool with_nearest_ = false;
  double last_seconds_ = 0;
};

}  // namespace driftlab::app
