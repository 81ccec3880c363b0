// Reading the scikit-learn digits file (digits.hpp) through zlib. Any thread: each call opens its
// own gzFile.
#include "driftlab/io/digits.hpp"

#include <zlib.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "driftlab/base/error.hpp"

namespace driftlab {
namespace {

// the file holds about 260 KB of text; more than this is not the digits file
constexpr std::size_t kMaxDigitsTextBytes = std::size_t(16) << 20;

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  detail::throwInvalidArgument(path + ": " + what);
}

std::string readGzipText(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    fail(path, "digits dataset not found (install python3-sklearn, or set DRIFTLAB_DIGITS_CSV_GZ to its digits.csv.gz)");
  }
  if (std::filesystem::is_directory(path, ec)) fail(path, "is a directory, not the digits file");
  // gzopen reads a file that is not gzipped as it is, so a plain CSV works too
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) fail(path, std::string("cannot open the digits file (") + std::strerror(errno) + ")");
  std::string text;
  char buf[1 << 16];
  int got = 0;
  while ((got = gzread(file, buf, sizeof buf)) > 0) {
    text.append(buf, static_cast<std::size_t>(got));
    if (text.size() > kMaxDigitsTextBytes) {
      gzclose(file);
      fail(path, "larger than the 16 MiB a digits file can be");
    }
  }
  int err = Z_OK;
  const std::string reason = got < 0 ? gzerror(file, &err) : "";
  gzclose(file);
  if (got < 0) fail(path, "cannot decompress the digits file (" + reason + ")");
  return text;
}

}  // namespace

std::string digitsPath() {
  const char* env = std::getenv("DRIFTLAB_DIGITS_CSV_GZ");
  return env != nullptr && *env != '\0' ? env : kDefaultDigitsPath;
}

Digits loadDigits(const std::string& path) {
  const std::string text = readGzipText(path);
  std::vector<double> values;
  Digits out;
  const std::string_view all(text);
  std::size_t pos = 0;
  long long line_no = 0;
  while (pos < all.size()) {
    std::size_t end = all.find('\n', pos);
    if (end == std::string_view::npos) end = all.size();
    std::string_view line = all.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const std::string where = ":" + std::to_string(line_no);
    int field = 0;
    std::size_t start = 0;
    for (;;) {
      std::size_t comma = line.find(',', start);
      if (comma == std::string_view::npos) comma = line.size();
      const std::string_view f = line.substr(start, comma - start);
      int v = 0;
      const auto [ptr, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
      if (f.empty() || ec != std::errc() || ptr != f.data() + f.size()) {
        fail(path + where, std::to_string(field + 1) + ": not an integer: '" + std::string(f.substr(0, 40)) + "'");
      }
      if (field < kDigitsDimension) {
        if (v < 0 || v > 16) fail(path + where, std::to_string(field + 1) + ": pixel value " + std::to_string(v) + " is not in 0..16");
        values.push_back(v);
      } else if (field == kDigitsDimension) {
        if (v < 0 || v >= kDigitsClasses) fail(path + where, "65: class " + std::to_string(v) + " is not in 0..9");
        out.labels.push_back(v);
      }
      ++field;
      if (comma == line.size()) break;
      start = comma + 1;
    }
    if (field != kDigitsDimension + 1) {
      fail(path + where, "expected 65 values (64 pixels and the class), found " + std::to_string(field));
    }
  }
  if (out.labels.empty()) fail(path, "no digits in the file");
  out.pixels = Eigen::Map<const Points>(values.data(), kDigitsDimension, static_cast<Eigen::Index>(out.labels.size()));
  return out;
}

}  // namespace driftlab
