// Internal: the one JSON field reader of core. Scenario files, generator scenarios, `--set`
// values and model files read their fields through these functions, so a wrong type or an
// unknown key gives the same one-line message everywhere: "<field>: expected a number (got "x")".
// Not a public header: core links nlohmann-json privately. Any thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>


namespace driftlab::detail {

using Json = nlohmann::ordered_json;

// throws InvalidArgument "<field>: <what>"
[[noreturn]] void failField(const std::string& field, const std::string& what);

// a JSON value as the user wrote it, shortened for a one-line message
std::string shortJson(const Json& v);
inline std::string shortDump(const Json& v) { return shortJson(v); }
// nlohmann parse of text after checkJsonText (nesting limit, duplicate keys); a parse error becomes
// "<source_name>: invalid JSON: <where>", or "<source_name>: <what_is_wrong>: <where>" when given
Json parseJsonText(std::string_view text, const std::string& source_name);
Json parseJsonText(std::string_view text, const std::string& source_name, const std::string& what_is_wrong);

// One JSON object at `path` ("" = top level). The constructor rejects a non-object and any key not
// in `allowed` (with a "did you mean" hint); get() is nullptr for an absent key.
class Fields {
 public:
  Fields(const Json& obj, std::string path, const std::vector<std::string>& allowed);
  const Json* get(std::string_view key) const;
  std::string name(std::string_view key) const;

 private:
  const Json& obj_;
  std::string path_;
};

// `obj` must be an object whose keys are all in `allowed`; otherwise throws
// "<path>: expected an object {...}" or "unknown field '<path>.<key>' (did you mean ...); allowed here: ..."
void checkObjectFields(const Json& obj, const std::string& path, const std::vector<std::string>& allowed);
// obj[key] or nullptr
const Json* findMember(const Json& obj, std::string_view key);

// typed readers: each throws "<field>: expected ... (got <value>)"
double readNumber(const Json& v, const std::string& field);
bool readBool(const Json& v, const std::string& field);
std::string readString(const Json& v, const std::string& field);
// an integer in [lo, hi]; an integral float such as 1e3 is accepted
long long readInteger(const Json& v, const std::string& field, long long lo, long long hi);
std::uint64_t readSeed(const Json& v, const std::string& field);
// an array of numbers; non_empty: "expected a non-empty array of numbers"
std::vector<double> readNumberList(const Json& v, const std::string& field, bool non_empty);
std::vector<int> readIntegerList(const Json& v, const std::string& field, long long lo, long long hi);

}  // namespace driftlab::detail
