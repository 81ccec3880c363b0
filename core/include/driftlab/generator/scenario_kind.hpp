// What a JSON file driftlab was asked to load is, decided from its structure (never from words
// in its text, so a flow scenario named "generator demo" stays a flow scenario):
//   Model     - a generator model file: "format": "driftlab-generator-model" (model_file.hpp)
//   Generator - a generator scenario: "kind": "generator" or a "generator" object (generator.hpp)
//   Flow      - any other JSON object: a particle-flow scenario (scenario.hpp), whose own reader
//               reports its unknown or bad fields
// Any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "driftlab/io/json_text.hpp"  // kMaxScenarioBytes

namespace driftlab {

enum class ScenarioKind { Flow, Generator, Model };

// "flow scenario", "generator scenario", "generator model file"
const char* scenarioKindName(ScenarioKind kind);

// Throws InvalidArgument with one line naming source_name for text that is not a JSON object
// (malformed JSON, nesting too deep, a duplicate key, an array at the top) and for a "kind" that
// is not "generator" or a "format" that is not the model format.
ScenarioKind scenarioKindFromJson(std::string_view json_text, const std::string& source_name);
// the same for a file; a missing or unreadable file, or one over max_bytes, throws naming the path
ScenarioKind scenarioKindOfFile(const std::string& path, std::size_t max_bytes = kMaxScenarioBytes);

// Throws InvalidArgument when the file at path is not of the expected kind, naming what it is
// and the driftlab-cli command that reads it:
//   "g.json: this is a generator scenario, not a flow scenario (driftlab-cli train --scenario reads it)"
void requireScenarioKind(const std::string& path, ScenarioKind expected);

}  // namespace driftlab
