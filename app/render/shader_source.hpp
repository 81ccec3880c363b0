// Access to the shaders/*.glsl files embedded at build time (shaders/embed.cmake, STYLE.md L10).
// Any thread (read-only static data).
#pragma once

#include <optional>
#include <string_view>

namespace driftlab::app::gl {

// the text of an embedded shader file ("points.vert.glsl"), or nullopt
std::optional<std::string_view> shaderSource(std::string_view file_name);

}  // namespace driftlab::app::gl
