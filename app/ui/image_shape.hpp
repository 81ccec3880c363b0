// The shape of image-like data for the Images window: points of dimension d = W x H read as
// row-major W x H grayscale images. GUI-free, any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "../view_options.hpp"

namespace driftlab::app {

struct ImageShape {
  int width = 0, height = 0;
  int pixels() const { return width * height; }
  bool operator==(const ImageShape&) const = default;
};

// "8x8" -> {8, 8}; W and H in [1, 4096]; anything else gives nothing
std::optional<ImageShape> parseImageShape(std::string_view text);

// The shape the window uses: the explicit one (--image WxH) when set, else the dataset's own
// (digits and digits_sphere: 8x8), else nothing (not image-like). The caller compares
// pixels() with d: a shape that does not fit the data is reported, never drawn.
std::optional<ImageShape> imageShapeFor(const ImageViewOptions& options, const std::string& dataset);

}  // namespace driftlab::app
