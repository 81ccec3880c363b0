// NumPy .npy input and output of point sets (npy.hpp). Any thread.
// The format: the magic string "\x93NUMPY", a major and minor version byte, the header length
// (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3), the header (a Python dict
// literal with the keys descr, fortran_order and shape, padded with spaces and a newline), then
// the raw values in C order.
#include "driftlab/io/npy.hpp"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <system_error>

#include "driftlab/base/error.hpp"
#include "driftlab/io/output_file.hpp"

namespace driftlab {
namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::size_t kMagicSize = 6;
// np.save writes headers of about 128 bytes; NumPy itself refuses headers over 10 000 bytes by
// default. A larger length is a corrupt file, refused before anything that size is allocated.
constexpr std::size_t kMaxHeaderBytes = std::size_t(1) << 20;
constexpr std::size_t kChunkBytes = std::size_t(1) << 20;

[[noreturn]] void fail(const std::string& name, const std::string& what) {
  detail::throwInvalidArgument(name + ": " + what);
}

// a header fragment for an error message: at most 40 characters, control bytes shown as '?'
std::string shown(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < 40; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    out += (c < 0x20 || c == 0x7f) ? '?' : static_cast<char>(c);
  }
  return "'" + out + (s.size() > 40 ? "...'" : "'");
}

// the element type: a kind ('f' float, 'i' signed, 'u' unsigned), its size in bytes and its byte
// order
struct Dtype {
  char kind = 'f';
  int size = 8;
  bool big_endian = false;
  std::string text;  // as written in the header, for messages
};

struct Header {
  Dtype dtype;
  std::vector<unsigned long long> shape;
};

// The header dict, e.g. {'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }
class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& name) : t_(text), name_(name) {}

  Header parse() {
    Header h;
    std::string descr;
    bool fortran = false;
    std::set<std::string> seen;
    skipSpace();
    expect('{');
    for (;;) {
      skipSpace();
      if (peek() == '}') break;
      const std::string key = parseString("a key");
      if (!seen.insert(key).second) bad("key " + shown(key) + " appears twice");
      skipSpace();
      expect(':');
      skipSpace();
      if (key == "descr") {
        if (peek() != '\'' && peek() != '"') bad("descr is not a simple dtype string (structured arrays are not supported)");
        descr = parseString("the descr string");
      } else if (key == "fortran_order") {
        fortran = parseBool();
      } else if (key == "shape") {
        h.shape = parseShape();
      } else {
        bad("unknown key " + shown(key) + " (expected descr, fortran_order, shape)");
      }
      skipSpace();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != '}') bad("expected ',' or '}' at " + shown(t_.substr(pos_)));
    }
    ++pos_;  // the closing brace
    skipSpace();
    if (pos_ != t_.size()) bad("text after the dict: " + shown(t_.substr(pos_)));
    for (const char* key : {"descr", "fortran_order", "shape"})
      if (!seen.count(key)) bad("missing key '" + std::string(key) + "'");
    if (fortran)
      fail(name_, "fortran_order True is not supported (save a C-order array: np.save(path, np.ascontiguousarray(a)))");
    h.dtype = parseDtype(descr);
    return h;
  }

 private:
  [[noreturn]] void bad(const std::string& what) { fail(name_, ".npy header: " + what); }

  char peek() const { return pos_ < t_.size() ? t_[pos_] : '\0'; }
  void skipSpace() {
    while (pos_ < t_.size() && (t_[pos_] == ' ' || t_[pos_] == '\t' || t_[pos_] == '\n' || t_[pos_] == '\r')) ++pos_;
  }
  void expect(char c) {
    if (peek() != c) {
      bad(std::string("expected '") + c + "' at " + (pos_ < t_.size() ? shown(t_.substr(pos_)) : "the end"));
    }
    ++pos_;
  }

  // a Python string literal without escapes (NumPy never writes any in these three keys)
  std::string parseString(const char* what) {
    const char q = peek();
    if (q != '\'' && q != '"') bad(std::string("expected ") + what + " at " + shown(t_.substr(pos_)));
    const std::size_t end = t_.find(q, pos_ + 1);
    if (end == std::string_view::npos) bad("unterminated string " + shown(t_.substr(pos_)));
    std::string s(t_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    return s;
  }

  bool parseBool() {
    if (t_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (t_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    bad("fortran_order must be True or False (got " + shown(t_.substr(pos_)) + ")");
  }

  // (n, d), (n,) or (): non-negative integers, an optional trailing comma
  std::vector<unsigned long long> parseShape() {
    std::vector<unsigned long long> shape;
    expect('(');
    for (;;) {
      skipSpace();
      if (peek() == ')') break;
      if (peek() < '0' || peek() > '9') bad("shape: expected a non-negative integer at " + shown(t_.substr(pos_)));
      unsigned long long v = 0;
      while (peek() >= '0' && peek() <= '9') {
        const unsigned digit = static_cast<unsigned>(peek() - '0');
        if (v > (std::numeric_limits<unsigned long long>::max() - digit) / 10) bad("shape: a dimension is too large");
        v = v * 10 + digit;
        ++pos_;
      }
      shape.push_back(v);
      skipSpace();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != ')') bad("shape: expected ',' or ')' at " + shown(t_.substr(pos_)));
    }
    ++pos_;
    return shape;
  }

  // '<f8', '>f4', '|u1', '<i8', ... ('=' is this machine's order)
  Dtype parseDtype(const std::string& descr) {
    Dtype dt;
    dt.text = descr;
    const auto unsupported = [&](const std::string& why) {
      fail(name_, "unsupported dtype " + shown(descr) + " (" + why + ")");
    };
    if (descr.size() < 2) unsupported("expected a float64, float32 or integer type");
    const char order = descr[0];
    if (order != '<' && order != '>' && order != '|' && order != '=') unsupported("no byte order");
    dt.big_endian = order == '>' || (order == '=' && std::endian::native == std::endian::big);
    dt.kind = descr[1];
    const std::string size_text = descr.substr(2);
    if (size_text.empty() || size_text.size() > 2 || !std::all_of(size_text.begin(), size_text.end(), [](char c) {
          return c >= '0' && c <= '9';
        })) {
      unsupported(dt.kind == 'O' ? "object arrays cannot be read" : "expected a float64, float32 or integer type");
    }
    dt.size = std::stoi(size_text);
    if (dt.kind == 'f') {
      if (dt.size == 2) unsupported("float16 is not supported; save as float32 or float64");
      if (dt.size != 4 && dt.size != 8) unsupported("expected a float64, float32 or integer type");
    } else if (dt.kind == 'i' || dt.kind == 'u') {
      if (dt.size != 1 && dt.size != 2 && dt.size != 4 && dt.size != 8) unsupported("expected a 1, 2, 4 or 8-byte integer");
    } else if (dt.kind == 'O') {
      unsupported("object arrays cannot be read");
    } else {
      unsupported("expected a float64, float32 or integer type");
    }
    if (order == '|' && dt.size != 1) unsupported("byte order '|' on a multi-byte type");
    return dt;
  }

  std::string_view t_;
  const std::string& name_;
  std::size_t pos_ = 0;
};

// where the bytes come from: a file or memory; read() returns how many bytes it gave (0 at the end)
using ReadFn = std::function<std::size_t(char*, std::size_t)>;

// fills buf[0, n) completely or returns how many bytes there were
std::size_t readFully(const ReadFn& read, char* buf, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const std::size_t r = read(buf + got, n - got);
    if (r == 0) break;
    got += r;
  }
  return got;
}

std::string shapeText(const std::vector<unsigned long long>& shape) {
  std::string s = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

Header readHeader(const ReadFn& read, const std::string& name, std::size_t& consumed) {
  char pre[12];
  const std::size_t got = readFully(read, pre, 8);
  if (got < kMagicSize || std::memcmp(pre, kMagic, kMagicSize) != 0) {
    fail(name, "not a .npy file (it does not start with the magic string \\x93NUMPY)");
  }
  if (got < 8) fail(name, ".npy header: cut short after the magic string");
  const int major = static_cast<unsigned char>(pre[6]), minor = static_cast<unsigned char>(pre[7]);
  if (major < 1 || major > 3 || minor != 0) {
    fail(name, "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor) +
                   " (expected 1.0, 2.0 or 3.0)");
  }
  const std::size_t len_bytes = major == 1 ? 2 : 4;
  if (readFully(read, pre + 8, len_bytes) < len_bytes) fail(name, ".npy header: cut short before the header length");
  std::size_t header_len = 0;
  for (std::size_t i = len_bytes; i-- > 0;) header_len = header_len << 8 | static_cast<unsigned char>(pre[8 + i]);
  if (header_len > kMaxHeaderBytes) {
    fail(name, ".npy header: length " + std::to_string(header_len) + " bytes is over the 1 MiB limit (a corrupt file)");
  }
  std::string text(header_len, '\0');
  const std::size_t header_got = readFully(read, text.data(), header_len);
  if (header_got < header_len) {
    fail(name, ".npy header: the file ends inside the header (" + std::to_string(header_got) + " of " +
                   std::to_string(header_len) + " bytes)");
  }
  consumed = 8 + len_bytes + header_len;
  return HeaderParser(text, name).parse();
}

// the value of one element stored in `size` bytes at p
double decode(const unsigned char* p, const Dtype& dt) {
  std::uint64_t u = 0;
  if (dt.big_endian) {
    for (int i = 0; i < dt.size; ++i) u = u << 8 | p[i];
  } else {
    for (int i = dt.size; i-- > 0;) u = u << 8 | p[i];
  }
  if (dt.kind == 'f') {
    return dt.size == 8 ? std::bit_cast<double>(u) : static_cast<double>(std::bit_cast<float>(static_cast<std::uint32_t>(u)));
  }
  if (dt.kind == 'u') return static_cast<double>(u);
  const int shift = 64 - 8 * dt.size;  // sign-extend the low size bytes
  return static_cast<double>(static_cast<std::int64_t>(u << shift) >> shift);
}

struct Array {
  Header header;
  unsigned long long n = 0, d = 1;  // rows and columns of the C-order array ((n,) -> d = 1)
  std::vector<double> values;       // n * d, row after row
};

// `total_size`: the size of the whole file when known (a regular file, memory), else -1
Array readArray(const ReadFn& read, const std::string& name, long long total_size) {
  Array a;
  std::size_t consumed = 0;
  a.header = readHeader(read, name, consumed);
  const auto& shape = a.header.shape;
  const std::string shape_s = shapeText(shape);
  if (shape.empty()) fail(name, "a scalar (shape ()) is not a set of points; expected shape (n, d) or (n,)");
  if (shape.size() > 2) {
    fail(name, "shape " + shape_s + " has " + std::to_string(shape.size()) + " axes; expected (n, d) or (n,)");
  }
  a.n = shape[0];
  a.d = shape.size() == 2 ? shape[1] : 1;
  if (a.n == 0) fail(name, "no points (shape " + shape_s + ")");
  if (a.d == 0) fail(name, "points of dimension 0 (shape " + shape_s + ")");
  if (a.d > static_cast<unsigned long long>(kMaxDimension)) {
    fail(name, "shape " + shape_s + ": " + std::to_string(a.d) + " columns; points may have at most " +
                   std::to_string(kMaxDimension) + " dimensions");
  }
  if (a.n > static_cast<unsigned long long>(kMaxPoints)) {
    fail(name, "shape " + shape_s + ": too many rows (more than " + std::to_string(kMaxPoints) + ")");
  }
  // both factors are bounded above, so the byte count (at most 6.6e12) cannot overflow
  const unsigned long long count = a.n * a.d;
  const unsigned long long bytes = count * static_cast<unsigned long long>(a.header.dtype.size);
  const std::string needs = "the shape " + shape_s + " of " + shown(a.header.dtype.text) + " needs " +
                            std::to_string(bytes) + " bytes of data";
  if (total_size >= 0) {
    const unsigned long long have = static_cast<unsigned long long>(total_size) - consumed;
    if (have < bytes) fail(name, "data cut short: " + needs + ", the file has " + std::to_string(have));
    if (have > bytes) fail(name, "data longer than the shape says: " + needs + ", the file has " + std::to_string(have));
    a.values.reserve(count);
  }
  // read and convert in chunks, so that a short stream never makes us allocate what it claims
  std::vector<unsigned char> chunk(kChunkBytes - kChunkBytes % 8);
  unsigned long long done = 0;
  while (done < bytes) {
    const std::size_t want = static_cast<std::size_t>(std::min<unsigned long long>(chunk.size(), bytes - done));
    const std::size_t got = readFully(read, reinterpret_cast<char*>(chunk.data()), want);
    if (got < want) {
      fail(name, "data cut short: " + needs + ", the file has " + std::to_string(done + got));
    }
    for (std::size_t off = 0; off < got; off += static_cast<std::size_t>(a.header.dtype.size)) {
      const double v = decode(chunk.data() + off, a.header.dtype);
      if (!std::isfinite(v)) {
        const unsigned long long k = a.values.size();
        fail(name, "non-finite value at index [" + std::to_string(k / a.d) + ", " + std::to_string(k % a.d) +
                       "] (row, column from 0)");
      }
      a.values.push_back(v);
    }
    done += got;
  }
  char extra = 0;
  if (total_size < 0 && readFully(read, &extra, 1) == 1) {
    fail(name, "data longer than the shape says: " + needs + ", and the file goes on");
  }
  return a;
}

// reads the whole array from a file, with its size known when it is a regular file
Array readArrayFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(path, "is a directory, not a .npy file");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    fail(path, std::string("cannot open file (") + std::strerror(err) + ")");
  }
  long long size = -1;
  if (std::filesystem::is_regular_file(path, ec)) {
    const auto s = std::filesystem::file_size(path, ec);
    if (!ec) size = static_cast<long long>(s);
  }
  const ReadFn read = [&in](char* buf, std::size_t n) -> std::size_t {
    in.read(buf, static_cast<std::streamsize>(n));
    return static_cast<std::size_t>(in.gcount());
  };
  Array a = readArray(read, path, size);
  if (in.bad()) fail(path, "cannot read file");
  return a;
}

Points toPoints(const Array& a) {
  // the values are stored row by row, which is exactly the column-major layout of d x n
  return Eigen::Map<const Points>(a.values.data(), static_cast<Eigen::Index>(a.d), static_cast<Eigen::Index>(a.n));
}

}  // namespace

Points readNpyPoints(const std::string& path) { return toPoints(readArrayFile(path)); }

Points parseNpyPoints(std::string_view bytes, const std::string& name) {
  std::size_t pos = 0;
  const ReadFn read = [&](char* buf, std::size_t n) -> std::size_t {
    const std::size_t k = std::min(n, bytes.size() - pos);
    std::memcpy(buf, bytes.data() + pos, k);
    pos += k;
    return k;
  };
  return toPoints(readArray(read, name, static_cast<long long>(bytes.size())));
}

std::vector<int> readNpyLabels(const std::string& path) {
  const Array a = readArrayFile(path);
  if (a.header.dtype.kind == 'f') fail(path, "labels must have an integer dtype (got " + shown(a.header.dtype.text) + ")");
  if (a.d != 1) fail(path, "labels must have shape (n,) or (n, 1) (got " + shapeText(a.header.shape) + ")");
  std::vector<int> labels;
  labels.reserve(a.values.size());
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    const double v = a.values[i];
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max()) {
      fail(path, "label " + std::to_string(i) + " does not fit an int");
    }
    labels.push_back(static_cast<int>(v));
  }
  return labels;
}

namespace {

std::string headerBytes(const Points& pts, NpyDtype dtype) {
  std::string dict = std::string("{'descr': '") + (dtype == NpyDtype::Float64 ? "<f8" : "<f4") +
                     "', 'fortran_order': False, 'shape': (" + std::to_string(pts.cols()) + ", " +
                     std::to_string(pts.rows()) + "), }";
  // padded with spaces and a final newline so that the data starts at a multiple of 64 bytes, as
  // NumPy writes it (aligned for memory mapping)
  const std::size_t unpadded = kMagicSize + 4 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  std::string out(kMagic, kMagicSize);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(dict.size() & 0xff);
  out += static_cast<char>(dict.size() >> 8);
  return out + dict;
}

// the values of columns [begin, end) of pts (points), little-endian, appended to out
void appendValues(std::string& out, const Points& pts, Eigen::Index begin, Eigen::Index end, NpyDtype dtype,
                  const std::string& path) {
  const double* v = pts.data() + begin * pts.rows();
  const std::size_t count = static_cast<std::size_t>((end - begin) * pts.rows());
  const std::size_t size = dtype == NpyDtype::Float64 ? 8 : 4;
  const std::size_t at = out.size();
  out.resize(at + count * size);
  char* dst = out.data() + at;
  for (std::size_t k = 0; k < count; ++k) {
    std::uint64_t u = 0;
    if (dtype == NpyDtype::Float64) {
      u = std::bit_cast<std::uint64_t>(v[k]);
    } else {
      const float f = static_cast<float>(v[k]);
      if (std::isinf(f) && std::isfinite(v[k])) {
        fail(path, "cannot write as float32: value " + std::to_string(v[k]) + " is out of float32 range");
      }
      u = std::bit_cast<std::uint32_t>(f);
    }
    for (std::size_t b = 0; b < size; ++b) dst[k * size + b] = static_cast<char>((u >> (8 * b)) & 0xff);
  }
}

}  // namespace

std::string formatNpyPoints(const Points& pts, NpyDtype dtype) {
  std::string out = headerBytes(pts, dtype);
  appendValues(out, pts, 0, pts.cols(), dtype, "npy");
  return out;
}

void writeNpyPoints(const std::string& path, const Points& pts, NpyDtype dtype, const std::string& what,
                    const std::function<void(long long, long long)>& progress) {
  OutputFile file(path, what);
  file.write(headerBytes(pts, dtype));
  const long long total = pts.cols();
  const Eigen::Index per_chunk =
      std::max<Eigen::Index>(1, static_cast<Eigen::Index>(kChunkBytes / 8) / std::max<Eigen::Index>(1, pts.rows()));
  std::string chunk;
  for (Eigen::Index c = 0; c < pts.cols(); c += per_chunk) {
    const Eigen::Index end = std::min(pts.cols(), c + per_chunk);
    chunk.clear();
    appendValues(chunk, pts, c, end, dtype, path);
    file.write(chunk);
    if (progress && end < total) progress(end, total);
  }
  file.commit();
  if (progress) progress(total, total);
}

}  // namespace driftlab
