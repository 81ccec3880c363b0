// PNG screenshots through stb_image_write (compiled into Debian's libstb; we do not define
// STB_IMAGE_WRITE_IMPLEMENTATION). Any thread; pure CPU.
#pragma once

#include <string>

namespace driftlab::app::capture {

// rgba: width*height*4 bytes, bottom row first (glReadPixels order). Returns "" on success,
// otherwise one line naming the file.
std::string writePng(const std::string& path, int width, int height, const std::string& rgba);

// "driftlab-20261122-171530-042.png"-style name in `dir` (created if missing) that does not exist yet
std::string timestampedPath(const std::string& dir, const std::string& prefix, const std::string& ext);

}  // namespace driftlab::app::capture
