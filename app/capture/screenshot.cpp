#include "capture/screenshot.hpp"

#include <stb_image_write.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <system_error>

namespace driftlab::app::capture {

std::string writePng(const std::string& path, int width, int height, const std::string& rgba) {
  if (width <= 0 || height <= 0 || rgba.size() < static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4)
    return "screenshot " + path + ": no pixels to write";
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  // GL rows are bottom-up (TOOLCHAIN.md §3)
  stbi_flip_vertically_on_write(1);
  int ok = stbi_write_png(path.c_str(), width, height, 4, rgba.data(), width * 4);
  stbi_flip_vertically_on_write(0);
  if (!ok) return "screenshot " + path + ": cannot write the file";
  return {};
}

std::string timestampedPath(const std::string& dir, const std::string& prefix, const std::string& ext) {
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  for (int i = 0; i < 1000; ++i) {
    char name[96];
    std::snprintf(name, sizeof name, "%s-%s-%03d.%s", prefix.c_str(), stamp, i, ext.c_str());
    auto p = dir.empty() ? std::filesystem::path(name) : std::filesystem::path(dir) / name;
    if (!std::filesystem::exists(p, ec)) return p.string();
  }
  return (std::filesystem::path(dir) / (prefix + "." + ext)).string();
}

}  // namespace driftlab::app::capture
