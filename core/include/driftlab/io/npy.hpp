// NumPy .npy files of point sets: the binary format NumPy writes with np.save, so that embeddings
// and image sets made in Python reach the engine without a text round trip. Any thread.
//
// Read: format versions 1.0, 2.0 and 3.0 (3.0 only differs by a UTF-8 header), C order, dtypes
// float64 and float32 in either byte order and the integer dtypes i1 i2 i4 i8 u1 u2 u4 u8 (each
// value converted to the nearest double; 64-bit integers above 2^53 are rounded). A shape (n, d)
// is n points of dimension d (a row per point, as CSV); a shape (n,) is n points of dimension 1.
// Refused, with one line naming the file and the problem: a bad magic string or version, a header
// that is cut short, not a Python dict literal, lacks or repeats a key or has an unknown one,
// fortran_order True, any other dtype (float16, complex, strings, objects, structured arrays),
// another number of axes, zero points or dimensions, d > kMaxDimension, n > kMaxPoints, data
// shorter than the shape says, any byte after the data (a sign that shape or dtype is wrong),
// and non-finite values (as the CSV reader).
//
// Write: version 1.0, little-endian, C order, shape (n, d), float64 (bit-exact) or float32.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "driftlab/base/types.hpp"

namespace driftlab {

enum class NpyDtype { Float64, Float32 };

// d x n points from an .npy file (see above for what is read and refused).
Points readNpyPoints(const std::string& path);
// The same from the bytes of a file already in memory (name is used in messages).
Points parseNpyPoints(std::string_view bytes, const std::string& name);

// Class labels: a 1-D (or (n, 1)) integer .npy; each value must fit an int.
std::vector<int> readNpyLabels(const std::string& path);

// Writes pts (d x n) as shape (n, d), completely or not at all (output_file.hpp), in chunks of
// about 1 MB; `what` names the content in errors; `progress`, if set, is called on the calling
// thread after each chunk with the points written so far and the total.
// Throws InvalidArgument if the file cannot be written.
void writeNpyPoints(const std::string& path, const Points& pts, NpyDtype dtype = NpyDtype::Float64,
                    const std::string& what = "file",
                    const std::function<void(long long done, long long total)>& progress = {});

// The whole file writeNpyPoints would write, in memory (tests, small outputs).
std::string formatNpyPoints(const Points& pts, NpyDtype dtype = NpyDtype::Float64);

}  // namespace driftlab
