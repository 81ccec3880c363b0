// The one JSON field reader (json_fields.hpp). Any thread.
#include "flow/json_fields.hpp"

#include <algorithm>
#include <cmath>

#include "driftlab/base/error.hpp"
#include "driftlab/io/json_text.hpp"
#include "flow/param_text.hpp"

namespace driftlab::detail {

namespace {

[[noreturn]] void fail(const std::string& field, const std::string& what) { throwInvalidArgument(field + ": " + what); }

std::size_t editDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string joinPath(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

}  // namespace

std::string shortJson(const Json& v) {
  // JSON has no NaN or infinity (dump() writes null): a --set value "nan" is named as typed
  if (v.is_number_float() && !std::isfinite(v.get<double>())) {
    const double d = v.get<double>();
    return std::isnan(d) ? "nan" : d > 0 ? "inf" : "-inf";
  }
  std::string s = v.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (s.size() > 48) s = s.substr(0, 45) + "...";
  return s;
}

void failField(const std::string& field, const std::string& what) { throwInvalidArgument(field + ": " + what); }

Fields::Fields(const Json& obj, std::string path, const std::vector<std::string>& allowed)
    : obj_(obj), path_(std::move(path)) {
  checkObjectFields(obj_, path_, allowed);
}

const Json* Fields::get(std::string_view key) const { return findMember(obj_, key); }

std::string Fields::name(std::string_view key) const { return joinPath(path_, std::string(key)); }

Json parseJsonText(std::string_view text, const std::string& source_name) {
  return parseJsonText(text, source_name, "invalid JSON");
}

Json parseJsonText(std::string_view text, const std::string& source_name, const std::string& what_is_wrong) {
  checkJsonText(text, source_name);  // before the recursive parser sees it
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    // nlohmann's message names line and column; drop its "[json.exception.parse_error.101] " tag
    std::string what = e.what();
    if (const auto close = what.find("] "); what.rfind("[json.exception", 0) == 0 && close != std::string::npos) {
      what = what.substr(close + 2);
    }
    throwInvalidArgument(source_name + ": " + what_is_wrong + ": " + what);
  }
}

void checkObjectFields(const Json& obj, const std::string& path, const std::vector<std::string>& allowed) {
  if (!obj.is_object()) {
    fail(path.empty() ? std::string("scenario") : path, "expected an object {...} (got " + shortJson(obj) + ")");
  }
  for (const auto& item : obj.items()) {
    const std::string& key = item.key();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string best;
    std::size_t best_distance = 3;  // suggest only close matches
    for (const auto& a : allowed) {
      const std::size_t d = editDistance(key, a);
      if (d < best_distance) best_distance = d, best = a;
    }
    std::string msg = "unknown field '" + joinPath(path, key) + "'";
    if (!best.empty()) msg += " (did you mean '" + joinPath(path, best) + "'?)";
    throwInvalidArgument(msg + "; allowed here: " + joinNames(allowed));
  }
}

const Json* findMember(const Json& obj, std::string_view key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

double readNumber(const Json& v, const std::string& field) {
  if (!v.is_number()) fail(field, "expected a number (got " + shortJson(v) + ")");
  return v.get<double>();
}

bool readBool(const Json& v, const std::string& field) {
  if (!v.is_boolean()) fail(field, "expected true or false (got " + shortJson(v) + ")");
  return v.get<bool>();
}

std::string readString(const Json& v, const std::string& field) {
  if (!v.is_string()) fail(field, "expected a string (got " + shortJson(v) + ")");
  return v.get<std::string>();
}

long long readInteger(const Json& v, const std::string& field, long long lo, long long hi) {
  long double x = 0;
  if (v.is_number_unsigned()) {
    x = static_cast<long double>(v.get<std::uint64_t>());
  } else if (v.is_number_integer()) {
    x = static_cast<long double>(v.get<std::int64_t>());
  } else if (v.is_number_float() && std::isfinite(v.get<double>()) && std::floor(v.get<double>()) == v.get<double>()) {
    x = v.get<double>();
  } else {
    fail(field, "expected an integer (got " + shortJson(v) + ")");
  }
  if (x < static_cast<long double>(lo) || x > static_cast<long double>(hi)) {
    fail(field, "must be an integer between " + std::to_string(lo) + " and " + std::to_string(hi) + " (got " +
                    shortJson(v) + ")");
  }
  return static_cast<long long>(x);
}

std::uint64_t readSeed(const Json& v, const std::string& field) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_number_float() && v.get<double>() >= 0.0 && v.get<double>() < 18446744073709551616.0 &&
      std::floor(v.get<double>()) == v.get<double>()) {
    return static_cast<std::uint64_t>(v.get<double>());
  }
  fail(field, "expected an integer between 0 and 18446744073709551615 (got " + shortJson(v) + ")");
}

std::vector<double> readNumberList(const Json& v, const std::string& field, bool non_empty) {
  if (!v.is_array() || (non_empty && v.empty())) {
    fail(field, std::string("expected ") + (non_empty ? "a non-empty" : "an") + " array of numbers (got " +
                    shortJson(v) + ")");
  }
  std::vector<double> out;
  for (const Json& e : v) {
    if (!e.is_number()) fail(field, "expected numbers (got " + shortJson(e) + ")");
    out.push_back(e.get<double>());
  }
  return out;
}

std::vector<int> readIntegerList(const Json& v, const std::string& field, long long lo, long long hi) {
  if (!v.is_array()) fail(field, "expected an array of integers (got " + shortJson(v) + ")");
  std::vector<int> out;
  for (const Json& e : v) out.push_back(static_cast<int>(readInteger(e, field, lo, hi)));
  return out;
}

}  // namespace driftlab::detail
