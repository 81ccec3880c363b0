// The 8 x 8 handwritten digits of UCI / scikit-learn (1797 images, 64 pixel values 0..16 and a
// class 0..9 each), read from the gzipped CSV that Debian's python3-sklearn ships. The file is not
// copied into driftlab: it is found at kDefaultDigitsPath, or wherever DRIFTLAB_DIGITS_CSV_GZ
// points. Any thread.
#pragma once

#include <string>
#include <vector>

#include "driftlab/base/types.hpp"

namespace driftlab {

inline constexpr const char* kDefaultDigitsPath =
    "/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz";
inline constexpr int kDigitsDimension = 64;
inline constexpr int kDigitsClasses = 10;

struct Digits {
  Points pixels;            // 64 x n, one image per column (row-major 8 x 8), values 0..16
  std::vector<int> labels;  // n classes 0..9
};

// $DRIFTLAB_DIGITS_CSV_GZ when set and not empty, else kDefaultDigitsPath
std::string digitsPath();

// Reads the file (gzipped or plain CSV, no header, 65 integers a line: 64 pixels then the class).
// Throws InvalidArgument with one line: a missing file names the Debian package that provides it
// ("... install python3-sklearn, or set DRIFTLAB_DIGITS_CSV_GZ"), a bad line names file:line.
Digits loadDigits(const std::string& path = digitsPath());

}  // namespace driftlab
