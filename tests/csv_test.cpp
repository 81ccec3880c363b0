// CSV input/output of point sets: exact round trip, the accepted syntax, and one test per
// error message of csv.hpp (each names the file and, where it applies, line and column).
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "error_of.hpp"
#include "driftlab/io/csv.hpp"
#include "driftlab/base/error.hpp"

using namespace driftlab;
using driftlab::testing::errorOf;

namespace {

std::string tmpDir() {
  const std::string dir = std::string(DRIFTLAB_TEST_TMP) + "/csv_test";
  std::filesystem::create_directories(dir);
  return dir;
}

bool sameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST_CASE("csv: format then parse round-trips every double bit for bit") {
  Points p(3, 7);
  p << 0.1, -0.0, 1e-300, 5e-324, std::numeric_limits<double>::max(), -123456789.123456789, 1.0 / 3.0,  //
      2.0 / 3.0, 1e300, -1e-10, 0.0, 42.0, std::nextafter(1.0, 2.0), -std::numeric_limits<double>::min(),  //
      3.141592653589793, 2.718281828459045, -7.5, 1e-5, 123.456, -0.3, 0.7;
  const std::string text = formatCsvPoints(p, {"a", "b", "c"});
  CHECK(text.rfind("a,b,c\n", 0) == 0);
  const Points q = parseCsvPoints(text, "mem.csv");
  REQUIRE(q.rows() == 3);
  REQUIRE(q.cols() == 7);
  for (Eigen::Index i = 0; i < p.size(); ++i) {
    CAPTURE(i);
    CHECK(sameBits(p(i), q(i)));
  }
}

TEST_CASE("csv: write then read a file round-trips exactly") {
  Points p = Points::Random(2, 500) * 3.7;
  const std::string path = tmpDir() + "/roundtrip.csv";
  writeCsvPoints(path, p, coordinateNames(2));
  const Points q = readCsvPoints(path);
  CHECK(q == p);
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  CHECK(header == "x,y");
}

TEST_CASE("csv: comments, spaces, CRLF, blank lines and a missing final newline are accepted") {
  const std::string text =
      "# produced by hand\r\n"
      " x , y \r\n"
      "1, 2\r\n"
      "\r\n"
      "  # a comment between rows\n"
      "-3.5 ,+4e-1\n"
      "\t5,6";
  const Points p = parseCsvPoints(text, "ok.csv");
  REQUIRE(p.rows() == 2);
  REQUIRE(p.cols() == 3);
  CHECK(p(0, 0) == 1.0);
  CHECK(p(1, 0) == 2.0);
  CHECK(p(0, 1) == -3.5);
  CHECK(p(1, 1) == 0.4);
  CHECK(p(0, 2) == 5.0);
  CHECK(p(1, 2) == 6.0);
  // one column is fine too (1-D points)
  const Points one = parseCsvPoints("x\n1\n2\n", "one.csv");
  CHECK(one.rows() == 1);
  CHECK(one.cols() == 2);
}

TEST_CASE("csv: a missing file names the path") {
  const std::string path = tmpDir() + "/does_not_exist.csv";
  const std::string msg = errorOf([&] { readCsvPoints(path); });
  CHECK(msg.find(path) == 0);
  CHECK(msg.find("cannot open") != std::string::npos);
  const std::string dir_msg = errorOf([&] { readCsvPoints(tmpDir()); });
  CHECK(dir_msg.find("directory") != std::string::npos);
}

TEST_CASE("csv: empty file and header-only file are refused") {
  CHECK(errorOf([] { parseCsvPoints("", "Y.csv"); }) == "Y.csv: empty file (no header row)");
  CHECK(errorOf([] { parseCsvPoints("# only a comment\n\n", "Y.csv"); }) == "Y.csv: empty file (no header row)");
  CHECK(errorOf([] { parseCsvPoints("x,y\n", "Y.csv"); }) == "Y.csv: no data rows (only a header)");
  CHECK(errorOf([] { parseCsvPoints("x,y\n# nothing\n", "Y.csv"); }) == "Y.csv: no data rows (only a header)");
  // the same through a real file
  const std::string path = tmpDir() + "/empty.csv";
  { std::ofstream(path) << ""; }
  CHECK(errorOf([&] { readCsvPoints(path); }) == path + ": empty file (no header row)");
}

TEST_CASE("csv: wrong column count names the line") {
  CHECK(errorOf([] { parseCsvPoints("x,y\n1,2\n3,4,5\n", "Y.csv"); }) == "Y.csv:3: expected 2 columns, found 3");
  CHECK(errorOf([] { parseCsvPoints("# c\nx,y\n1,2\n\n7\n", "Y.csv"); }) == "Y.csv:5: expected 2 columns, found 1");
}

TEST_CASE("csv: a non-number names line and column and quotes the text") {
  CHECK(errorOf([] { parseCsvPoints("x,y\n1,2\n3,4\n5,6\n6,7\n7,8\n8,abc\n", "Y.csv"); }) ==
        "Y.csv:7:2: not a number: 'abc'");
  CHECK(errorOf([] { parseCsvPoints("x,y\n1,\n", "Y.csv"); }) == "Y.csv:2:2: not a number: ''");
  CHECK(errorOf([] { parseCsvPoints("x,y\n1.5.2,3\n", "Y.csv"); }) == "Y.csv:2:1: not a number: '1.5.2'");
  CHECK(errorOf([] { parseCsvPoints("x,y\n0x10,3\n", "Y.csv"); }) == "Y.csv:2:1: not a number: '0x10'");
  CHECK(errorOf([] { parseCsvPoints("x,y\n+-1,3\n", "Y.csv"); }) == "Y.csv:2:1: not a number: '+-1'");
  // control bytes are not echoed to the terminal
  const std::string bin = errorOf([] { parseCsvPoints(std::string("x,y\n1,\x01\x02z\n"), "Y.csv"); });
  CHECK(bin == "Y.csv:2:2: not a number: '??z'");
}

TEST_CASE("csv: nan and inf values name line and column") {
  CHECK(errorOf([] { parseCsvPoints("x,y\n1,nan\n", "Y.csv"); }) == "Y.csv:2:2: non-finite value: 'nan'");
  CHECK(errorOf([] { parseCsvPoints("x,y\n1,2\n-inf,0\n", "Y.csv"); }) == "Y.csv:3:1: non-finite value: '-inf'");
  CHECK(errorOf([] { parseCsvPoints("x,y\n1e999,0\n", "Y.csv"); }) == "Y.csv:2:1: non-finite value: '1e999'");
  // underflow is a legitimate (denormal or zero) value, not an error
  const Points tiny = parseCsvPoints("x,y\n1e-400,0\n", "Y.csv");
  CHECK(tiny(0, 0) == 0.0);
}

TEST_CASE("csv: a numeric first line is reported as a missing header") {
  const std::string msg = errorOf([] { parseCsvPoints("1,2\n3,4\n", "Y.csv"); });
  CHECK(msg.rfind("Y.csv:1: expected a header row", 0) == 0);
}

TEST_CASE("csv: writing checks names against the dimension and reports unwritable paths") {
  const Points p = Points::Zero(2, 3);
  CHECK(errorOf([&] { formatCsvPoints(p, {"x"}); }).find("1 column names for 2-dimensional") != std::string::npos);
  const std::string bad = tmpDir() + "/no_such_dir/out.csv";
  const std::string msg = errorOf([&] { writeCsvPoints(bad, p, {"x", "y"}); });
  CHECK(msg.rfind(bad + ": cannot write file", 0) == 0);
}

TEST_CASE("csv: default coordinate names") {
  CHECK(coordinateNames(2) == std::vector<std::string>{"x", "y"});
  CHECK(coordinateNames(3) == std::vector<std::string>{"x", "y", "z"});
  CHECK(coordinateNames(2, "v") == std::vector<std::string>{"vx", "vy"});
  CHECK(coordinateNames(1) == std::vector<std::string>{"x0"});
  CHECK(coordinateNames(4, "v") == std::vector<std::string>{"vx0", "vx1", "vx2", "vx3"});
  CHECK_THROWS_AS(coordinateNames(0), InvalidArgument);
}

TEST_CASE("csv: a UTF-8 byte order mark is skipped, so a headerless file is still refused and no point is lost") {
  // with the mark read as text, "\xEF\xBB\xBF1,2" looked like a header and the first point vanished
  CHECK(errorOf([] { parseCsvPoints("\xEF\xBB\xBF" "1,2\n3,4\n", "bom.csv"); }) ==
        "bom.csv:1: expected a header row (e.g. x,y), found numbers '1,2'");
  const Points p = parseCsvPoints("\xEF\xBB\xBF" "x,y\n1,2\n3,4\n", "bom.csv");
  REQUIRE(p.cols() == 2);
  CHECK(p(0, 0) == 1.0);
  CHECK(p(1, 1) == 4.0);
}

TEST_CASE("csv: lines ending in a lone carriage return are lines") {
  const Points p = parseCsvPoints("x,y\r1,2\r3,4\r", "cr.csv");
  REQUIRE(p.cols() == 2);
  CHECK(p(0, 1) == 3.0);
  CHECK(errorOf([] { parseCsvPoints("x,y\r1,2\r3\r", "cr.csv"); }) == "cr.csv:3: expected 2 columns, found 1");
}

TEST_CASE("csv: a device of NUL bytes is refused at once as not text, not read forever or called empty") {
  CHECK(errorOf([] { readCsvPoints("/dev/zero"); }) == "/dev/zero: not a text file (a NUL byte at offset 0)");
  CHECK(errorOf([] { readCsvPoints("/dev/null"); }).find("/dev/null: empty file") == 0);
}
