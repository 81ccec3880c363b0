// Generator model files (JSON): format name and version, the architecture, the generator
// scenario it was trained with, the training step, the weights (float32 printed with 9
// significant digits, so every weight round-trips bit for bit) and a checksum of the weights'
// bit patterns. Loading is all-or-nothing: a truncated, corrupt, wrong-version or mismatched
// file throws InvalidArgument with one line naming the file and the problem. Any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "driftlab/generator/generator.hpp"
#include "driftlab/generator/mlp.hpp"

namespace driftlab {

inline constexpr const char* kModelFormat = "driftlab-generator-model";
inline constexpr int kModelVersion = 2;  // 2: the checksum covers the scenario and step too

struct GeneratorModel {
  GeneratorScenario scenario;  // scenario.params.arch == network.architecture()
  Mlp network;
  long step = 0;               // training steps done
};

// FNV-1a 64 over the little-endian bytes of every parameter's float32 bit pattern, in
// parameters() order; written as 16 lower-case hex digits.
std::string weightsChecksum(const Mlp& net);

// throws InvalidArgument when the network has non-finite weights or does not match the scenario
std::string modelToJson(const GeneratorModel& m);
GeneratorModel modelFromJson(std::string_view text, const std::string& source_name);
void saveModel(const std::string& path, const GeneratorModel& m);  // atomic: temp file + rename
// Model files are refused above this size before parsing: the toy networks driftlab trains are
// under a megabyte; a 4 x 1024-wide network is about 40 MB of text.
inline constexpr std::size_t kMaxModelBytes = std::size_t(512) << 20;
GeneratorModel loadModel(const std::string& path);

// the model of an engine's current state (scenario = base with the engine's live params)
GeneratorModel modelFromEngine(const GeneratorEngine& engine, const GeneratorScenario& base);

}  // namespace driftlab
