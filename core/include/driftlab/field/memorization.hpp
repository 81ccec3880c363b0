// Do samples copy their training points? The distance from each sample to its nearest training
// point, compared with the same distance for fresh draws of the data's law that the training set
// never held (THEORY.md §8.6). Pure functions; any thread (they use the calling thread's pool).
#pragma once

#include "driftlab/base/types.hpp"

namespace driftlab {

// for each column of x (d x E), the Euclidean distance to its nearest column of data (d x M)
Vec nearestDataDistances(const Points& x, const Points& data);

// the fraction of the columns of x within `radius` (Euclidean) of some data point: the share of
// samples that are copies of training points
double fractionNearData(const Points& x, const Points& data, double radius);

struct MemorizationRatio {
  double sample_median = 0.0;  // median distance of a sample to its nearest training point
  double fresh_median = 0.0;   // the same for fresh draws of the data's law
  double ratio = 0.0;          // sample_median / fresh_median: about 1 for new samples, near 0 for copies
};

// samples, training set and fresh draws in the same dimension; throws InvalidArgument when a set
// is empty or the dimensions differ
MemorizationRatio memorizationRatio(const Points& samples, const Points& train, const Points& fresh);

}  // namespace driftlab
