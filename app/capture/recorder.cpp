#include "capture/recorder.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "capture/screenshot.hpp"

namespace driftlab::app::capture {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// single-quoted for /bin/sh
std::string shellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

Recorder::~Recorder() {
  if (active_) stop();
}

Recorder::Format Recorder::formatForPath(const std::string& path, bool* known) {
  std::string ext = lower(std::filesystem::path(path).extension().string());
  if (known) *known = ext == ".mp4" || ext == ".gif";
  return ext == ".gif" ? Format::Gif : Format::Mp4;
}

bool Recorder::ffmpegAvailable() {
  return std::system("command -v ffmpeg >/dev/null 2>&1") == 0;
}

std::string Recorder::start(const std::string& path, Format format, int width, int height, int fps) {
  if (active_) return "already recording to " + path_;
  if (width <= 0 || height <= 0 || width % 2 || height % 2)
    return "record " + path + ": frame size must be even and positive (got " + std::to_string(width) + "x" +
           std::to_string(height) + ")";
  format_ = format;
  path_ = path;
  width_ = width;
  height_ = height;
  frames_ = 0;
  error_.clear();
  std::error_code ec;
  if (format == Format::PngSequence) {
    std::filesystem::create_directories(path, ec);
    if (ec) return "png-dir " + path + ": cannot create the directory (" + ec.message() + ")";
    active_ = true;
    return {};
  }
  if (!ffmpegAvailable())
    return "record " + path + ": ffmpeg not found on PATH (apt-get install ffmpeg); nothing recorded";
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  // raw RGBA on stdin; GL rows are bottom-up, so flip in the filter (TOOLCHAIN.md §6)
  std::string size = std::to_string(width) + "x" + std::to_string(height);
  std::string cmd = "ffmpeg -hide_banner -loglevel error -y -f rawvideo -pix_fmt rgba -s " + size + " -r " +
                    std::to_string(fps) + " -i - ";
  if (format == Format::Mp4)
    cmd += "-vf vflip -c:v libx264 -preset veryfast -pix_fmt yuv420p ";
  else
    cmd += "-vf \"vflip,fps=15,scale='min(640,iw)':-2:flags=lanczos,split[a][b];[a]palettegen[p];[b][p]paletteuse\" "
           "-loop 0 ";
  cmd += shellQuote(path);
  // a dying ffmpeg must not kill the app with SIGPIPE; write errors are reported instead
  std::signal(SIGPIPE, SIG_IGN);
  pipe_ = popen(cmd.c_str(), "w");
  if (!pipe_) return "record " + path + ": cannot start ffmpeg";
  active_ = true;
  return {};
}

std::string Recorder::addFrame(const std::string& rgba) {
  if (!active_) return {};
  std::size_t bytes = static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_) * 4;
  if (rgba.size() < bytes) return "record: frame has the wrong size";
  if (format_ == Format::PngSequence) {
    char name[32];
    std::snprintf(name, sizeof name, "frame_%05d.png", frames_);
    auto err = writePng((std::filesystem::path(path_) / name).string(), width_, height_, rgba);
    if (!err.empty()) {
      error_ = err;
      return err;
    }
  } else if (std::fwrite(rgba.data(), 1, bytes, pipe_) != bytes) {
    error_ = "record " + path_ + ": ffmpeg stopped accepting frames";
    return error_;
  }
  ++frames_;
  return {};
}

std::string Recorder::stop(bool* ok) {
  if (ok) *ok = false;
  if (!active_) return "not recording";
  active_ = false;
  int status = 0;
  if (pipe_) {
    status = pclose(pipe_);
    pipe_ = nullptr;
  }
  if (!error_.empty()) return error_;
  if (frames_ == 0) return "recording " + path_ + " is empty: no frame was rendered";
  if (status != 0) return "record " + path_ + ": ffmpeg failed (exit status " + std::to_string(status) + ")";
  std::error_code ec;
  if (format_ != Format::PngSequence && std::filesystem::file_size(path_, ec) == 0)
    return "record " + path_ + ": ffmpeg wrote an empty file";
  if (ok) *ok = true;
  return "recorded " + std::to_string(frames_) + " frames (" + std::to_string(width_) + "x" + std::to_string(height_) +
         ") to " + path_;
}

}  // namespace driftlab::app::capture
