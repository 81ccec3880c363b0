// Where interactive captures go when the user names no file: F12 screenshots (and a script's
// bare `screenshot`) in $XDG_PICTURES_DIR/driftlab or ~/Pictures/driftlab, F9 recordings in
// $XDG_VIDEOS_DIR/driftlab or ~/Videos/driftlab. Paths given on the command line are used as they
// are. GUI-free; any thread (reads the environment, may create folders).
#pragma once

#include <string>

namespace driftlab::app::capture {

enum class CaptureKind { Picture, Video };

struct CapturesFolder {
  std::string path;   // the folder (empty when neither the XDG variable nor HOME is set)
  std::string error;  // "" when the folder exists (or was created); else why not, naming the folder
};

// The folder for `kind` from the given environment values (null or "" = unset); pure, no I/O
std::string capturesFolderFor(CaptureKind kind, const char* xdg_dir, const char* home);

// The folder for `kind` from the process environment, created on demand (with its parents)
CapturesFolder ensureCapturesFolder(CaptureKind kind);

}  // namespace driftlab::app::capture
