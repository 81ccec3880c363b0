#include "image_shape.hpp"

#include <charconv>

namespace driftlab::app {

std::optional<ImageShape> parseImageShape(std::string_view text) {
  const auto x = text.find('x');
  if (x == std::string_view::npos) return std::nullopt;
  auto number = [](std::string_view s, int& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && out >= 1 && out <= 4096;
  };
  ImageShape shape;
  if (!number(text.substr(0, x), shape.width) || !number(text.substr(x + 1), shape.height)) return std::nullopt;
  return shape;
}

std::optional<ImageShape> imageShapeFor(const ImageViewOptions& options, const std::string& dataset) {
  if (options.width > 0 && options.height > 0) return ImageShape{options.width, options.height};
  // the 8x8 handwritten digits (flow/digits_dataset.cpp), raw or centred on the unit sphere
  if (dataset == "digits" || dataset == "digits_sphere") return ImageShape{8, 8};
  return std::nullopt;
}

}  // namespace driftlab::app
