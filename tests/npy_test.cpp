// NumPy .npy files (io/npy.hpp, io/points_file.hpp): bit-exact round trips, files as NumPy writes
// them in every supported version, byte order and dtype (built byte by byte here), the refusal of
// each malformed header with one line naming the problem, and the CLI reading and writing .npy.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "driftlab/base/error.hpp"
#include "driftlab/io/csv.hpp"
#include "driftlab/io/npy.hpp"
#include "driftlab/io/points_file.hpp"
#include "error_of.hpp"
#include "test_files.hpp"

using namespace driftlab;
using driftlab::testing::errorOf;

namespace {

std::string tmpDir() { return driftlab::testing::processTmpDir("npy_test"); }
std::string path(const std::string& name) { return tmpDir() + "/" + name; }

void writeFile(const std::string& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary);
  out << bytes;
}

// a whole .npy file: magic, version major.0, the header length (2 bytes in version 1, else 4,
// little-endian), the dict padded to a multiple of 64 with spaces and a newline, then `data`
std::string npyFile(int major, const std::string& dict, const std::string& data) {
  const std::size_t len_bytes = major == 1 ? 2 : 4;
  std::string header = dict;
  const std::size_t unpadded = 8 + len_bytes + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  for (std::size_t b = 0; b < len_bytes; ++b) out += static_cast<char>((header.size() >> (8 * b)) & 0xff);
  return out + header + data;
}

std::string dictFor(const std::string& descr, const std::string& shape) {
  return "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
}

// the bytes of each value in the given byte order
template <class T>
std::string valueBytes(const std::vector<T>& values, bool big_endian) {
  std::string out;
  for (T v : values) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    if (big_endian == (std::endian::native == std::endian::little)) std::reverse(b, b + sizeof(T));
    out.append(b, sizeof(T));
  }
  return out;
}

// bit-exact equality of two point sets (so -0.0 and 0.0 differ, and NaN payloads would count)
bool sameBits(const Points& a, const Points& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), static_cast<std::size_t>(a.size()) * sizeof(double)) == 0;
}

// 3 points of dimension 2 with values that a text format or a float32 would change
Points awkwardPoints() {
  Points p(2, 3);
  p << 1.0 / 3.0, -0.0, 1e308, 4.9e-324, -2.5e-310, std::nextafter(1.0, 2.0);
  return p;
}

}  // namespace

TEST_CASE("npy: float64 written then read back is bit-exact, with the header NumPy writes") {
  const Points p = awkwardPoints();
  const std::string bytes = formatNpyPoints(p);
  CHECK(bytes.substr(0, 8) == std::string("\x93NUMPY\x01\x00", 8));
  const std::size_t header_len = static_cast<unsigned char>(bytes[8]) | static_cast<unsigned char>(bytes[9]) << 8;
  CHECK((10 + header_len) % 64 == 0);
  CHECK(bytes.size() == 10 + header_len + 6 * 8);
  CHECK(bytes.substr(10, header_len).rfind("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }", 0) == 0);
  CHECK(bytes[10 + header_len - 1] == '\n');
  // C order (n, d): the first point's coordinates come first, little-endian
  CHECK(bytes.substr(10 + header_len, 8) == valueBytes<double>({1.0 / 3.0}, false));
  CHECK(sameBits(parseNpyPoints(bytes, "mem.npy"), p));

  const std::string file = path("p.npy");
  writeNpyPoints(file, p);
  CHECK(driftlab::testing::readFile(file) == bytes);
  CHECK(sameBits(readNpyPoints(file), p));
  CHECK(sameBits(readPoints(file), p));
}

TEST_CASE("npy: float32 output holds each value rounded to float, read back exactly") {
  Points p(3, 2);
  p << 0.1, -7.25, 1e-3, 3.0e38, 2.0 / 3.0, -1e-40;
  const std::string file = path("p32.npy");
  writeNpyPoints(file, p, NpyDtype::Float32);
  const std::string bytes = driftlab::testing::readFile(file);
  CHECK(bytes.find("'descr': '<f4'") != std::string::npos);
  CHECK(bytes.find("'shape': (2, 3)") != std::string::npos);
  const Points q = readNpyPoints(file);
  REQUIRE(q.rows() == 3);
  REQUIRE(q.cols() == 2);
  for (Eigen::Index i = 0; i < p.size(); ++i) CHECK(q.data()[i] == static_cast<double>(static_cast<float>(p.data()[i])));
  CHECK(q(0, 0) != 0.1);  // really float precision
  // a value beyond float range is refused rather than written as infinity
  Points big(1, 1);
  big << 1e39;
  CHECK(errorOf([&] { writeNpyPoints(path("big32.npy"), big, NpyDtype::Float32); }).find("out of float32 range") !=
        std::string::npos);
}

TEST_CASE("npy: versions 1.0, 2.0, 3.0 in both byte orders, float64 and float32, read bit-exact") {
  const std::vector<double> v64 = {1.0 / 3.0, -0.0, 1e308, 4.9e-324, -2.5e-310, 12345.678};
  const std::vector<float> v32 = {1.0f / 3.0f, -0.0f, 3.0e38f, 1e-45f, -2.5f, 0.1f};
  Points expected64(2, 3), expected32(2, 3);
  for (int k = 0; k < 6; ++k) {
    expected64.data()[k] = v64[static_cast<std::size_t>(k)];
    expected32.data()[k] = v32[static_cast<std::size_t>(k)];
  }
  for (int major : {1, 2, 3}) {
    for (bool big : {false, true}) {
      CAPTURE(major);
      CAPTURE(big);
      const std::string order = big ? ">" : "<";
      const std::string f64 = npyFile(major, dictFor(order + "f8", "(3, 2)"), valueBytes(v64, big));
      const std::string f32 = npyFile(major, dictFor(order + "f4", "(3, 2)"), valueBytes(v32, big));
      CHECK(sameBits(parseNpyPoints(f64, "a.npy"), expected64));
      CHECK(sameBits(parseNpyPoints(f32, "b.npy"), expected32));
      // the same through a file and the dispatch by extension (upper case too)
      const std::string file = path("v" + std::to_string(major) + (big ? "be" : "le") + ".NPY");
      writeFile(file, f64);
      CHECK(sameBits(readPoints(file), expected64));
    }
  }
  // version 3.0 exists for UTF-8 headers; the keys and values NumPy writes are ASCII, and the
  // header may use double quotes and no trailing comma
  const std::string v3 = npyFile(3, "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (3, 2)}", valueBytes(v64, false));
  CHECK(sameBits(parseNpyPoints(v3, "c.npy"), expected64));
}

TEST_CASE("npy: every integer dtype in both byte orders is read as doubles") {
  const auto check = [](const std::string& descr, const std::string& data, const std::vector<double>& expected) {
    CAPTURE(descr);
    const Points p = parseNpyPoints(npyFile(1, dictFor(descr, "(" + std::to_string(expected.size()) + ",)"), data), "i.npy");
    REQUIRE(p.rows() == 1);
    REQUIRE(p.cols() == static_cast<Eigen::Index>(expected.size()));
    for (std::size_t k = 0; k < expected.size(); ++k) CHECK(p(0, static_cast<Eigen::Index>(k)) == expected[k]);
  };
  check("|i1", valueBytes<std::int8_t>({-128, 127, 0}, false), {-128, 127, 0});
  check("|u1", valueBytes<std::uint8_t>({255, 0, 16}, false), {255, 0, 16});
  for (bool big : {false, true}) {
    const std::string o = big ? ">" : "<";
    check(o + "i2", valueBytes<std::int16_t>({-32768, 32767, -2}, big), {-32768, 32767, -2});
    check(o + "u2", valueBytes<std::uint16_t>({65535, 1}, big), {65535, 1});
    check(o + "i4", valueBytes<std::int32_t>({-2147483647 - 1, 2147483647, -5}, big), {-2147483648.0, 2147483647, -5});
    check(o + "u4", valueBytes<std::uint32_t>({4294967295u, 7}, big), {4294967295.0, 7});
    check(o + "i8", valueBytes<std::int64_t>({-(std::int64_t(1) << 40), 9007199254740992}, big),
          {-1099511627776.0, 9007199254740992.0});
    check(o + "u8", valueBytes<std::uint64_t>({std::uint64_t(1) << 63, 3}, big), {9223372036854775808.0, 3});
  }
  // shape (n, d) of integers keeps the layout: row i is point i
  const Points p = parseNpyPoints(npyFile(1, dictFor("<i4", "(2, 3)"), valueBytes<std::int32_t>({1, 2, 3, 4, 5, 6}, false)), "m.npy");
  REQUIRE(p.rows() == 3);
  REQUIRE(p.cols() == 2);
  CHECK(p(0, 0) == 1);
  CHECK(p(2, 0) == 3);
  CHECK(p(0, 1) == 4);
  CHECK(p(2, 1) == 6);
}

TEST_CASE("npy: integer labels are read from a 1-D array, other arrays refused") {
  const std::string file = path("labels.npy");
  writeFile(file, npyFile(1, dictFor("<i8", "(5,)"), valueBytes<std::int64_t>({3, 0, 9, 9, 1}, false)));
  CHECK(readNpyLabels(file) == std::vector<int>{3, 0, 9, 9, 1});
  const std::string floats = path("labels_f.npy");
  writeFile(floats, npyFile(1, dictFor("<f8", "(2,)"), valueBytes<double>({1, 2}, false)));
  CHECK(errorOf([&] { readNpyLabels(floats); }) == floats + ": labels must have an integer dtype (got '<f8')");
  const std::string wide = path("labels_2d.npy");
  writeFile(wide, npyFile(1, dictFor("|u1", "(1, 2)"), valueBytes<std::uint8_t>({1, 2}, false)));
  CHECK(errorOf([&] { readNpyLabels(wide); }) == wide + ": labels must have shape (n,) or (n, 1) (got (1, 2))");
}

TEST_CASE("npy: malformed files are refused with one line naming the file and the problem") {
  const std::string two = valueBytes<double>({1, 2, 3, 4}, false);
  const std::string good = dictFor("<f8", "(2, 2)");
  struct Case {
    std::string bytes, part;
  };
  std::string bad_magic = npyFile(1, good, two);
  bad_magic[5] = 'X';
  std::string v4 = npyFile(1, good, two);
  v4[6] = 4;
  std::string minor1 = npyFile(1, good, two);
  minor1[7] = 1;
  std::string cut_header = npyFile(1, good, "");
  cut_header.resize(40);
  std::string nan_data = valueBytes<double>({1, std::numeric_limits<double>::quiet_NaN(), 3, 4}, false);
  const std::vector<Case> cases = {
      {"", "not a .npy file"},
      {"hello", "not a .npy file"},
      {bad_magic, "not a .npy file"},
      {std::string("\x93NUMPY\x01", 7), "cut short after the magic string"},
      {std::string("\x93NUMPY\x02\x00\x10", 9), "cut short before the header length"},
      {v4, "unsupported .npy format version 4.0"},
      {minor1, "unsupported .npy format version 1.1"},
      {std::string("\x93NUMPY\x02\x00\xff\xff\xff\x7f", 12), "over the 1 MiB limit"},
      {cut_header, "the file ends inside the header (30 of 118 bytes)"},
      {npyFile(1, "{'descr' '<f8', 'fortran_order': False, 'shape': (2, 2), }", two), "expected ':'"},
      {npyFile(1, "['descr', '<f8']", two), "expected '{'"},
      {npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), } x", two), "text after the dict"},
      {npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2)", two), "expected ',' or '}'"},
      {npyFile(1, "{'descr': '<f8, 'fortran_order': False}", two), "expected ',' or '}' at 'fortran_order"},
      {npyFile(1, "{'descr': '<f8', 'shape': (2, 2), }", two), "missing key 'fortran_order'"},
      {npyFile(1, "{'descr': '<f8', 'fortran_order': False, }", two), "missing key 'shape'"},
      {npyFile(1, "{'fortran_order': False, 'shape': (2, 2), }", two), "missing key 'descr'"},
      {npyFile(1, "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", two),
       "key 'descr' appears twice"},
      {npyFile(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), 'x': 1}", two), "unknown key 'x'"},
      {npyFile(1, "{'descr': '<f8', 'fortran_order': 0, 'shape': (2, 2), }", two), "fortran_order must be True or False"},
      {npyFile(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", two), "fortran_order True is not supported"},
      {npyFile(1, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,), }", two), "structured arrays"},
      {npyFile(1, dictFor("|O", "(2, 2)"), two), "unsupported dtype '|O' (object arrays cannot be read)"},
      {npyFile(1, dictFor("<c16", "(2, 2)"), two), "unsupported dtype '<c16'"},
      {npyFile(1, dictFor("<U5", "(2, 2)"), two), "unsupported dtype '<U5'"},
      {npyFile(1, dictFor("|b1", "(2, 2)"), two), "unsupported dtype '|b1'"},
      {npyFile(1, dictFor("<f2", "(2, 2)"), two), "float16 is not supported"},
      {npyFile(1, dictFor("<i3", "(2, 2)"), two), "expected a 1, 2, 4 or 8-byte integer"},
      {npyFile(1, dictFor("f8", "(2, 2)"), two), "unsupported dtype 'f8' (no byte order)"},
      {npyFile(1, dictFor("<f8", "(2, -2)"), two), "shape: expected a non-negative integer"},
      {npyFile(1, dictFor("<f8", "(99999999999999999999999, 2)"), two), "shape: a dimension is too large"},
      {npyFile(1, dictFor("<f8", "()"), two), "a scalar (shape ()) is not a set of points"},
      {npyFile(1, dictFor("<f8", "(1, 2, 2)"), two), "shape (1, 2, 2) has 3 axes"},
      {npyFile(1, dictFor("<f8", "(0, 2)"), ""), "no points (shape (0, 2))"},
      {npyFile(1, dictFor("<f8", "(4, 0)"), ""), "points of dimension 0 (shape (4, 0))"},
      {npyFile(1, dictFor("<f8", "(1, 16385)"), two), "16385 columns; points may have at most 16384 dimensions"},
      {npyFile(1, dictFor("<f8", "(50000001, 1)"), two), "too many rows (more than 50000000)"},
      // the largest shape the bounds allow: its 6.6 TB are refused by the file's size, not allocated
      {npyFile(1, dictFor("<f8", "(50000000, 16384)"), two), "needs 6553600000000 bytes of data, the file has 32"},
      {npyFile(1, dictFor("<f8", "(3, 2)"), two), "data cut short: the shape (3, 2) of '<f8' needs 48 bytes of data, the file has 32"},
      {npyFile(1, dictFor("<f8", "(2, 2)"), two + "x"), "data longer than the shape says"},
      {npyFile(1, dictFor("<f8", "(2, 2)"), nan_data), "non-finite value at index [0, 1] (row, column from 0)"},
      {npyFile(2, dictFor(">f4", "(4,)"), valueBytes<float>({1, 2, 3, std::numeric_limits<float>::infinity()}, true)),
       "non-finite value at index [3, 0]"},
  };
  int k = 0;
  for (const Case& c : cases) {
    const std::string name = "bad" + std::to_string(k++) + ".npy";
    const std::string msg = errorOf([&] { parseNpyPoints(c.bytes, name); });
    CAPTURE(msg);
    CHECK(msg.rfind(name + ": ", 0) == 0);
    CHECK(msg.find(c.part) != std::string::npos);
    CHECK(msg.find('\n') == std::string::npos);
  }
  // the same checks through a file (its size known up front) and a missing file or a folder
  const std::string file = path("short.npy");
  writeFile(file, npyFile(1, dictFor("<f8", "(3, 2)"), two));
  CHECK(errorOf([&] { readNpyPoints(file); }) ==
        file + ": data cut short: the shape (3, 2) of '<f8' needs 48 bytes of data, the file has 32");
  CHECK(errorOf([&] { readPoints(path("missing.npy")); }) ==
        path("missing.npy") + ": cannot open file (No such file or directory)");
  CHECK(errorOf([&] { readPoints(tmpDir() + "/"); }).find("is a directory") != std::string::npos);
}

TEST_CASE("npy: a large file is written and read in chunks; streams of unknown size and devices are read safely") {
  // 2.4 MB: more than one 1 MiB chunk each way, with the progress callback after each
  Points big(3, 100000);
  for (Eigen::Index i = 0; i < big.size(); ++i) big.data()[i] = std::sin(0.001 * static_cast<double>(i)) * 1e3 + 1.0 / 7.0;
  const std::string file = path("big.npy");
  std::vector<long long> done;
  writeNpyPoints(file, big, NpyDtype::Float64, "file", [&](long long d, long long total) {
    CHECK(total == 100000);
    done.push_back(d);
  });
  REQUIRE(done.size() >= 3);
  CHECK(done.back() == 100000);
  CHECK(std::is_sorted(done.begin(), done.end()));
  CHECK(sameBits(readNpyPoints(file), big));

  // a FIFO has no size: the data is read until the shape is filled, and one more byte is refused
  // (each stream is smaller than a pipe's buffer, so the writer never waits for a reader that
  // refused early)
  int k = 0;
  const auto throughFifo = [&](const std::string& bytes) {
    const std::string fifo = path("stream" + std::to_string(k++) + ".npy");
    ::unlink(fifo.c_str());
    REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    std::thread writer([&] {
      std::ofstream out(fifo, std::ios::binary);
      out << bytes;
    });
    std::string msg;
    Points p;
    try {
      p = readPoints(fifo);
    } catch (const InvalidArgument& e) {
      msg = e.what();
    }
    writer.join();
    ::unlink(fifo.c_str());
    return std::make_pair(p, msg);
  };
  const std::string four = valueBytes<double>({1.5, -2, 3, 4e-300}, false);
  const auto [ok, ok_msg] = throughFifo(npyFile(1, dictFor("<f8", "(2, 2)"), four));
  CHECK(ok_msg.empty());
  REQUIRE(ok.cols() == 2);
  CHECK(ok(1, 1) == 4e-300);
  CHECK(throughFifo(npyFile(1, dictFor("<f8", "(3, 2)"), four)).second.find(
            "data cut short: the shape (3, 2) of '<f8' needs 48 bytes of data, the file has 32") != std::string::npos);
  CHECK(throughFifo(npyFile(1, dictFor("<f8", "(2, 2)"), four + "z")).second.find(
            "data longer than the shape says: the shape (2, 2) of '<f8' needs 32 bytes of data, and the file goes on") !=
        std::string::npos);
  // the largest allowed shape on a stream is refused when the stream ends, not allocated up front
  CHECK(throughFifo(npyFile(1, dictFor("<f8", "(50000000, 16384)"), four)).second.find("the file has 32") !=
        std::string::npos);
  CHECK(errorOf([] { readNpyPoints("/dev/zero"); }) ==
        "/dev/zero: not a .npy file (it does not start with the magic string \\x93NUMPY)");
  CHECK(errorOf([] { readNpyPoints("/dev/null"); }).rfind("/dev/null: not a .npy file", 0) == 0);
}

TEST_CASE("points files: the extension picks .npy (any case), anything else is CSV") {
  CHECK(isNpyPath("a.npy"));
  CHECK(isNpyPath("/x/Y.NPY"));
  CHECK(isNpyPath(".Npy"));
  CHECK_FALSE(isNpyPath("a.npy.csv"));
  CHECK_FALSE(isNpyPath("npy"));
  CHECK_FALSE(isNpyPath("a.npz"));
  const Points p = awkwardPoints();
  writePoints(path("w.csv"), p, coordinateNames(2));
  writePoints(path("w.Npy"), p, coordinateNames(2));
  CHECK(driftlab::testing::readFile(path("w.csv")).rfind("x,y\n", 0) == 0);
  CHECK(driftlab::testing::readFile(path("w.Npy")).rfind("\x93NUMPY", 0) == 0);
  CHECK(sameBits(readPoints(path("w.csv")), p));  // %.17g round-trips too
  CHECK(sameBits(readPoints(path("w.Npy")), p));
}

TEST_CASE("cli: field and run read and write .npy by the extension; a malformed .npy exits 2 with one line") {
  const std::string dir = tmpDir();
  Points y(2, 4), x(2, 3);
  y << 0.0, 0.1, 0.5, -0.2, 0.3, 0.4, -0.6, 0.2;
  x << 0.05, 0.0, -0.3, 0.25, 0.4, -0.1;
  writePoints(dir + "/y.npy", y, coordinateNames(2));
  writePoints(dir + "/y.csv", y, coordinateNames(2));
  writePoints(dir + "/x.npy", x, coordinateNames(2));
  writePoints(dir + "/x.csv", x, coordinateNames(2));
  const auto cli = [&](const std::string& args) { return driftlab::testing::runCliIn(dir, args); };
  const auto r_npy = cli("field --data '" + dir + "/y.npy' --particles '" + dir + "/x.npy' --bandwidth 0.3 --out '" +
                         dir + "/v.npy'");
  REQUIRE(r_npy.code == 0);
  const auto r_csv = cli("field --data '" + dir + "/y.csv' --particles '" + dir + "/x.csv' --bandwidth 0.3 --out '" +
                         dir + "/v.csv'");
  REQUIRE(r_csv.code == 0);
  const Points v = readPoints(dir + "/v.npy");
  CHECK(v.rows() == 2);
  CHECK(v.cols() == 3);
  CHECK(v.cwiseAbs().maxCoeff() > 0.0);
  CHECK(sameBits(v, readPoints(dir + "/v.csv")));

  writeFile(dir + "/bad.npy", npyFile(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (4, 2), }", std::string(64, '\0')));
  const auto bad = cli("field --data '" + dir + "/bad.npy' --particles '" + dir + "/x.npy' --bandwidth 0.3");
  CHECK(bad.code == 2);
  CHECK(bad.out.empty());
  CHECK(bad.err == "driftlab-cli: error: " + dir + "/bad.npy: fortran_order True is not supported (save a C-order "
                   "array: np.save(path, np.ascontiguousarray(a)))\n");

  // run --final: the .npy holds exactly the particles the CSV holds
  const std::string run = "run --preset default --set particles=60 --set samples=50 --steps 3 --quiet --final '";
  REQUIRE(cli(run + dir + "/f.npy'").code == 0);
  REQUIRE(cli(run + dir + "/f.csv'").code == 0);
  const Points f = readPoints(dir + "/f.npy");
  CHECK(f.rows() == 2);
  CHECK(f.cols() == 60);
  CHECK(sameBits(f, readPoints(dir + "/f.csv")));
  // and the .npy goes back in as the initial particles of another run
  REQUIRE(cli("run --preset default --set samples=50 --set init_csv='" + dir +
              "/f.npy' --steps 0 --quiet --final '" + dir + "/g.npy'").code == 0);
  CHECK(sameBits(readPoints(dir + "/g.npy"), f));
  // a path ending in .npy selects the file dataset in one setting, as .csv does
  const auto by_path = cli("run --preset default --set particles=20 --set dataset='" + dir +
                           "/y.NPY' --steps 0 --quiet");
  CHECK(by_path.code == 2);  // y.NPY does not exist (the name is kept as given)
  CHECK(by_path.err.find("y.NPY") != std::string::npos);
  REQUIRE(cli("run --preset default --set particles=20 --set dataset='" + dir + "/y.npy' --steps 0 --quiet").code == 0);
}
