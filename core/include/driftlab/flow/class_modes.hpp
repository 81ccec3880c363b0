// Modes from class labels: the class means of labelled points, weighted by the class
// frequencies, so that modes covered and mode shares are those of the nearest-class-mean
// classifier (THEORY.md §8.3). The digits datasets use it with their ten classes, a points file
// with a labels file (data.labels) with its own. Pure functions; any thread.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "driftlab/base/types.hpp"

namespace driftlab {

// at most this many distinct labels: mode shares and colours are per class
inline constexpr int kMaxClasses = 1000;

struct ClassModes {
  Points centres;               // d x K class means, classes in ascending label order
  std::vector<double> weights;  // K class frequencies, summing to 1
  std::vector<int> classes;     // the K label values
};

// labels[i] is the class of column i of points; `what` names the labels in errors. With
// `directions` (points on the sphere) each centre is its class mean's direction, so the nearest
// centre is the one of largest cosine (a zero mean stays zero). Throws InvalidArgument when the
// counts differ, or there are no points or more than kMaxClasses classes.
ClassModes classModes(const Points& points, std::span<const int> labels, const std::string& what,
                      bool directions = false);

// The class labels of a file: an integer .npy of shape (n,) or (n, 1) (npy.hpp), or a text/CSV
// file of one integer per line (an optional header line, blank lines skipped). Throws
// InvalidArgument with one line naming the file (and line) otherwise.
std::vector<int> readLabels(const std::string& path);

}  // namespace driftlab
