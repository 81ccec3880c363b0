// Internal: a parameter table entry with the code that reads and writes it. The description
// (ParamInfo, param_table.hpp) is the public half; write/read are the JSON half, used by the
// scenario formats and by --set (which patches a scenario's JSON form and reads it back).
// Not a public header. Any thread.
#pragma once

#include <string>
#include <vector>

#include "driftlab/flow/param_table.hpp"
#include "driftlab/flow/scenario.hpp"
#include "flow/json_fields.hpp"

namespace driftlab::detail {

// the range a number must be in; checked by validate() with the field's path in the message
enum class Range { Any, Finite, Positive, NonNegative, Between };

template <typename Target>
struct ParamSpec {
  const char* key;
  const char* json_path;   // "section.leaf" or "leaf"
  const char* type;        // as ParamInfo::type; choices are filled in from `choices`
  const char* unit;
  const char* label;
  const char* help;
  bool live;
  ParamMode mode;
  Range range;
  double lo, hi;           // Between: [lo, hi]
  Json (*write)(const Target&);  // null Json: not written (an empty optional path)
  void (*read)(Target&, const Json& value, const std::string& field);
  std::vector<std::string> (*choices)();  // null unless the type is a choice
};

using FlowParamSpec = ParamSpec<Scenario>;

// The code half of a table row for member `m` of the row's target T (Scenario, GeneratorParams):
// writer, reader and choice list, in ParamSpec's field order. Both tables spell their rows with
// these, so a kind of value is read and written one way for every mode.
#define DL_ROW_WRITE(T, m) [](const T& t) -> Json { return t.m; }
#define DL_ROW_READ(T, m, expr) [](T& t, const Json& v, const std::string& f) { t.m = expr; }
#define DL_ROW(T, m, expr) DL_ROW_WRITE(T, m), DL_ROW_READ(T, m, expr), nullptr
#define DL_ROW_TEXT(T, m) DL_ROW(T, m, readString(v, f))
#define DL_ROW_NUMBER(T, m) DL_ROW(T, m, readNumber(v, f))
#define DL_ROW_BOOL(T, m) DL_ROW(T, m, readBool(v, f))
#define DL_ROW_SEED(T, m) DL_ROW(T, m, readSeed(v, f))
#define DL_ROW_INT(T, m, lo, hi) DL_ROW(T, m, static_cast<decltype(t.m)>(readInteger(v, f, lo, hi)))
#define DL_ROW_NUMBERS(T, m, positive) DL_ROW(T, m, readNumberList(v, f, positive))
#define DL_ROW_CHOICE(T, m, Enum, Count, NameOf)                                               \
  [](const T& t) -> Json { return NameOf(t.m); }, DL_ROW_READ(T, m, (readChoice<Enum, Count, NameOf>(v, f))), \
      &choiceNames<Enum, Count, NameOf>

// every setting of a particle-flow scenario in file order (param_table.cpp)
const std::vector<FlowParamSpec>& flowParamSpecs();
const FlowParamSpec* findFlowParamSpec(const std::string& key_or_path);

// the range check of one value, "<field>: must be > 0 and finite (got -1)"
template <typename Target>
void checkRange(const ParamSpec<Target>& spec, double v);
// "> 0", "8 .. 1024", ""
template <typename Target>
std::string rangeText(const ParamSpec<Target>& spec);
// the short, rounded text of a value on a change marker ("0.05", "laplacian", "reverse_kl=1,chi2=0.5")
std::string markerText(const Json& v);

// builds the public description of a table entry
template <typename Target>
ParamInfo describeParam(const ParamSpec<Target>& spec, const Target& defaults);

}  // namespace driftlab::detail

#include "flow/param_spec_impl.hpp"
