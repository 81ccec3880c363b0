// Internal: one "key=value" setting applied to a scenario's JSON form, shared by applySetting
// (settings.cpp) and applyGeneratorSetting (generator_scenario.cpp). The patched JSON is then read
// back through the scenario reader, so a setting gets exactly the checks of a scenario file.
// Any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "driftlab/flow/param_table.hpp"
#include "flow/json_fields.hpp"

namespace driftlab::detail {

struct KeyValue {
  std::string key;    // trimmed
  std::string value;  // as written
};
// "--set key=value" text -> key and value; `source` ("--set k=v") prefixes the errors; `keys`
// are listed when the '=' is missing. Refuses text that is not valid UTF-8.
KeyValue splitSetting(std::string_view text, const std::string& source, const std::vector<std::string>& keys);

// sets a dotted path to the text converted to the type of the value it replaces; false when a
// section on the way does not exist
bool setJsonPath(Json& root, const std::string& path, const std::string& text);

// applies a flow-table key (or a special key: bandwidth, divergence, weights.NAME, a scenario
// path) to j for a run of run_mode; false = unknown key. A key that mode does not use throws.
bool patchFlowSetting(Json& j, const std::string& key, const std::string& value, ParamMode run_mode);

// the flow setting keys a run of run_mode accepts, sorted
std::vector<std::string> flowSettingKeys(ParamMode run_mode);

}  // namespace driftlab::detail
