// Internal: the generator-only half of the parameter table, with the code that reads and writes
// each setting in the "generator" object of a generator scenario (generator_param_table.cpp).
// Not a public header. Any thread.
#pragma once

#include <string>
#include <vector>

#include "driftlab/generator/generator.hpp"
#include "flow/param_spec.hpp"

namespace driftlab::detail {

using GeneratorParamSpec = ParamSpec<GeneratorParams>;

// json_path of every entry is "generator.<key>"
const std::vector<GeneratorParamSpec>& generatorParamSpecs();
// by key ("lr") or path ("generator.lr"); null when unknown
const GeneratorParamSpec* findGeneratorParamSpec(const std::string& key_or_path);

}  // namespace driftlab::detail
