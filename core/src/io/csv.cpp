// CSV input and output of point sets (header row, one point per line). Any thread.
// Parsing uses std::from_chars, which ignores the C locale, so "0.5" parses the same everywhere.
#include "driftlab/io/csv.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string_view>
#include <system_error>

#include "driftlab/base/error.hpp"
#include "driftlab/base/text.hpp"
#include "driftlab/io/output_file.hpp"

namespace driftlab {
namespace {

std::string_view trim(std::string_view s) { return trimmedBlanks(s); }

// the offending text for an error message: at most 40 characters, control bytes shown as '?',
// so a binary file cannot put garbage on the terminal
std::string quoteField(std::string_view s) {
  constexpr std::size_t kMax = 40;
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < kMax; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  if (s.size() > kMax) out += "...";
  return "'" + out + "'";
}

enum class ParseStatus { Ok, NotANumber, NonFinite };

ParseStatus parseNumber(std::string_view field, double& value) {
  std::string_view s = field;
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) return ParseStatus::NotANumber;
  }
  if (s.empty()) return ParseStatus::NotANumber;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ptr != s.data() + s.size()) return ParseStatus::NotANumber;
  if (ec == std::errc::result_out_of_range) {
    // from_chars leaves value untouched for both overflow (1e999, non-finite) and underflow
    // (1e-999, a legitimate 0): strtod tells them apart (the text is already known to be a
    // valid number, so its locale-dependent decimal point cannot matter here beyond that)
    const std::string copy(s);
    const double v = std::strtod(copy.c_str(), nullptr);
    if (std::isinf(v)) return ParseStatus::NonFinite;
    value = v;
    return ParseStatus::Ok;
  }
  if (ec != std::errc()) return ParseStatus::NotANumber;
  if (!std::isfinite(value)) return ParseStatus::NonFinite;
  return ParseStatus::Ok;
}

std::size_t countFields(std::string_view line) {
  std::size_t n = 1;
  for (char c : line) n += (c == ',');
  return n;
}

std::string lineTag(const std::string& name, long long line) { return name + ":" + std::to_string(line); }

}  // namespace

Points parseCsvPoints(const std::string& text, const std::string& name) {
  std::vector<double> values;
  std::size_t d = 0;            // columns, from the header
  bool have_header = false;
  long long rows = 0;
  long long line_no = 0;
  const std::string_view all(text);
  // a UTF-8 byte order mark (spreadsheet exports) is not part of the first field: read as text it
  // would turn a headerless first row of numbers into a "header" and lose that point
  std::size_t pos = all.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  while (pos < all.size()) {
    // lines end in \n, \r\n or a lone \r (old spreadsheet exports)
    std::size_t end = all.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = all.size();
    const std::string_view line = trim(all.substr(pos, end - pos));
    pos = end + (end + 1 < all.size() && all[end] == '\r' && all[end + 1] == '\n' ? 2 : 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;

    if (!have_header) {
      // names are ignored; only the column count matters. A first line made only of numbers
      // means the header is missing: refuse rather than silently drop the first point.
      d = countFields(line);
      if (static_cast<long long>(d) > kMaxDimension) {
        detail::throwInvalidArgument(lineTag(name, line_no) + ": " + std::to_string(d) +
                                     " columns; points may have at most " + std::to_string(kMaxDimension) +
                                     " dimensions");
      }
      bool all_numeric = true;
      std::size_t start = 0;
      for (std::size_t c = 0; c < d; ++c) {
        std::size_t comma = line.find(',', start);
        if (comma == std::string_view::npos) comma = line.size();
        double v = 0.0;
        if (parseNumber(trim(line.substr(start, comma - start)), v) != ParseStatus::Ok) all_numeric = false;
        start = comma + 1;
      }
      if (all_numeric) {
        detail::throwInvalidArgument(lineTag(name, line_no) + ": expected a header row (e.g. x,y), found numbers " +
                                     quoteField(line));
      }
      have_header = true;
      continue;
    }

    const std::size_t found = countFields(line);
    if (found != d) {
      detail::throwInvalidArgument(lineTag(name, line_no) + ": expected " + std::to_string(d) + " columns, found " +
                                   std::to_string(found));
    }
    if (rows >= kMaxPoints) {
      detail::throwInvalidArgument(name + ": too many rows (more than " + std::to_string(kMaxPoints) + ")");
    }
    std::size_t start = 0;
    for (std::size_t c = 0; c < d; ++c) {
      std::size_t comma = line.find(',', start);
      if (comma == std::string_view::npos) comma = line.size();
      const std::string_view field = trim(line.substr(start, comma - start));
      start = comma + 1;
      double v = 0.0;
      switch (parseNumber(field, v)) {
        case ParseStatus::Ok:
          values.push_back(v);
          break;
        case ParseStatus::NotANumber:
          detail::throwInvalidArgument(lineTag(name, line_no) + ":" + std::to_string(c + 1) +
                                       ": not a number: " + quoteField(field));
        case ParseStatus::NonFinite:
          detail::throwInvalidArgument(lineTag(name, line_no) + ":" + std::to_string(c + 1) +
                                       ": non-finite value: " + quoteField(field));
      }
    }
    ++rows;
  }
  if (!have_header) detail::throwInvalidArgument(name + ": empty file (no header row)");
  if (rows == 0) detail::throwInvalidArgument(name + ": no data rows (only a header)");
  // the values are stored row by row, which is exactly the column-major layout of d x rows
  return Eigen::Map<const Points>(values.data(), static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(rows));
}

Points readCsvPoints(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) detail::throwInvalidArgument(path + ": is a directory, not a CSV file");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    detail::throwInvalidArgument(path + ": cannot open file (" + std::strerror(err) + ")");
  }
  // read straight into one string of the file's size (a stringstream would hold two copies)
  std::string text;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size > 0) {
    text.resize(static_cast<std::size_t>(size));
    in.read(text.data(), size);
    if (in.gcount() != size) detail::throwInvalidArgument(path + ": cannot read file");
  } else if (size < 0 || !std::filesystem::is_regular_file(path, ec)) {
    // a pipe (not seekable) or a device (size 0): read in chunks, and stop at the first NUL byte,
    // which no CSV holds: /dev/zero would otherwise be read forever or called "empty"
    in.clear();
    in.seekg(0, std::ios::beg);
    in.clear();
    char chunk[1 << 16];
    while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
      const std::size_t got = static_cast<std::size_t>(in.gcount());
      if (const void* nul = std::memchr(chunk, '\0', got))
        detail::throwInvalidArgument(path + ": not a text file (a NUL byte at offset " +
                                     std::to_string(text.size() + static_cast<std::size_t>(static_cast<const char*>(nul) - chunk)) + ")");
      text.append(chunk, got);
      if (got < sizeof chunk) break;
    }
  }
  if (in.bad()) detail::throwInvalidArgument(path + ": cannot read file");
  return parseCsvPoints(text, path);
}

namespace {

void checkNames(const Points& pts, const std::vector<std::string>& names) {
  DRIFTLAB_CHECK(static_cast<Eigen::Index>(names.size()) == pts.rows(),
                 "csv: " + std::to_string(names.size()) + " column names for " + std::to_string(pts.rows()) +
                     "-dimensional points");
}

std::string headerLine(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) s += ',';
    s += names[i];
  }
  s += '\n';
  return s;
}

// one point as "%.17g,%.17g,...\n" (17 significant digits round-trip every double exactly)
void appendRow(std::string& out, const Points& pts, Eigen::Index col) {
  char buf[40];
  for (Eigen::Index r = 0; r < pts.rows(); ++r) {
    if (r > 0) out += ',';
    const int len = std::snprintf(buf, sizeof buf, "%.17g", pts(r, col));
    out.append(buf, static_cast<std::size_t>(len));
  }
  out += '\n';
}

}  // namespace

std::string formatCsvPoints(const Points& pts, const std::vector<std::string>& names) {
  checkNames(pts, names);
  std::string out = headerLine(names);
  out.reserve(out.size() + static_cast<std::size_t>(pts.size()) * 24);
  for (Eigen::Index c = 0; c < pts.cols(); ++c) appendRow(out, pts, c);
  return out;
}

void writeCsvPoints(const std::string& path, const Points& pts, const std::vector<std::string>& names,
                    const std::string& what, const std::function<void(long long, long long)>& progress) {
  checkNames(pts, names);
  OutputFile file(path, what);
  // written in chunks so that a large point set never needs one huge string
  std::string chunk = headerLine(names);
  const long long total = pts.cols();
  for (Eigen::Index c = 0; c < pts.cols(); ++c) {
    appendRow(chunk, pts, c);
    if (chunk.size() > (1u << 20)) {
      file.write(chunk);
      chunk.clear();
      if (progress) progress(c + 1, total);
    }
  }
  file.write(chunk);
  file.commit();
  if (progress) progress(total, total);
}

std::vector<std::string> coordinateNames(int d, const std::string& prefix) {
  DRIFTLAB_CHECK(d >= 1, "coordinateNames: dimension must be >= 1 (got " + std::to_string(d) + ")");
  static const char* const kXyz[] = {"x", "y", "z"};
  std::vector<std::string> names;
  for (int i = 0; i < d; ++i) {
    names.push_back(d <= 3 && d >= 2 ? prefix + kXyz[i] : prefix + "x" + std::to_string(i));
  }
  return names;
}

}  // namespace driftlab
