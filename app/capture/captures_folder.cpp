#include "capture/captures_folder.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace driftlab::app::capture {

std::string capturesFolderFor(CaptureKind kind, const char* xdg_dir, const char* home) {
  if (xdg_dir && *xdg_dir) return (std::filesystem::path(xdg_dir) / "driftlab").string();
  if (!home || !*home) return {};
  const char* sub = kind == CaptureKind::Picture ? "Pictures" : "Videos";
  return (std::filesystem::path(home) / sub / "driftlab").string();
}

CapturesFolder ensureCapturesFolder(CaptureKind kind) {
  const char* xdg = std::getenv(kind == CaptureKind::Picture ? "XDG_PICTURES_DIR" : "XDG_VIDEOS_DIR");
  CapturesFolder f;
  f.path = capturesFolderFor(kind, xdg, std::getenv("HOME"));
  if (f.path.empty()) {
    f.error = kind == CaptureKind::Picture ? "no captures folder: neither XDG_PICTURES_DIR nor HOME is set"
                                           : "no captures folder: neither XDG_VIDEOS_DIR nor HOME is set";
    return f;
  }
  std::error_code ec;
  std::filesystem::create_directories(f.path, ec);
  if (ec) {
    f.error = "cannot create the captures folder " + f.path + ": " + ec.message();
  } else if (!std::filesystem::is_directory(f.path, ec)) {
    f.error = "cannot use the captures folder " + f.path + ": not a directory";
  }
  return f;
}

}  // namespace driftlab::app::capture
