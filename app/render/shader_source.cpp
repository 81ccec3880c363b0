#include "render/shader_source.hpp"

namespace driftlab::app::render {
struct EmbeddedShader {
  std::string_view name;
  std::string_view text;
};
extern const EmbeddedShader kEmbeddedShaders[];
extern const int kEmbeddedShaderCount;
}  // namespace driftlab::app::render

namespace driftlab::app::gl {

std::optional<std::string_view> shaderSource(std::string_view file_name) {
  for (int i = 0; i < render::kEmbeddedShaderCount; ++i)
    if (render::kEmbeddedShaders[i].name == file_name) return render::kEmbeddedShaders[i].text;
  return std::nullopt;
}

}  // namespace driftlab::app::gl
