// Frame-exact recording: raw RGBA frames rendered into a fixed-size FBO are piped to ffmpeg
// (MP4: libx264 veryfast yuv420p; GIF: single-pass palette) or written as a numbered PNG
// sequence. Field Play's lesson (UX.md lesson 16): never screen-capture, feed every frame.
// Render thread only.
#pragma once

#include <cstdio>
#include <string>

namespace driftlab::app::capture {

class Recorder {
 public:
  enum class Format { Mp4, Gif, PngSequence };
  ~Recorder();

  // Format from the extension (.mp4, .gif) or PngSequence when `path` is a directory target.
  // Returns "" or one error line (ffmpeg missing, cannot start, bad extension). fps: frame rate tag.
  std::string start(const std::string& path, Format format, int width, int height, int fps = 30);
  // rgba: width*height*4 bytes, bottom row first. Returns "" or an error line (then recording stops).
  std::string addFrame(const std::string& rgba);
  // closes the pipe; returns a summary line "recorded 90 frames to out.mp4" or an error line.
  // A recording with zero frames is reported as an error, never silently.
  std::string stop(bool* ok = nullptr);

  bool active() const { return active_; }
  const std::string& path() const { return path_; }
  int frames() const { return frames_; }
  int width() const { return width_; }
  int height() const { return height_; }
  static Format formatForPath(const std::string& path, bool* known = nullptr);
  static bool ffmpegAvailable();

 private:
  bool active_ = false;
  Format format_ = Format::Mp4;
  std::string path_;
  int width_ = 0, height_ = 0, frames_ = 0;
  FILE* pipe_ = nullptr;
  std::string error_;
};

}  // namespace driftlab::app::capture
