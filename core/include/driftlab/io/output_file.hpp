// Writing result files so that a failure never leaves a truncated file behind, and refusing an
// unusable output path before any work starts.
//
// A regular file (or a path that does not exist yet) is written to a temporary file in the same
// folder, named after the destination plus the process id and a counter (two writers never share
// one), then flushed, checked and renamed over the destination; on any failure the temporary file
// is removed. A character device, a FIFO or the process's own streams (/dev/stdout, /dev/stderr,
// /dev/fd/N, /proc/self/fd/N) are written directly instead: a rename would replace /dev/null by a
// regular file, and a pipe has no folder to put a temporary file in. Every write and the final
// flush/close are checked, so a full disk or /dev/full is an error, not a silent success.
//
// Errors are InvalidArgument with one line naming the path: "<path>: cannot write <what> (<reason>)".
// Any thread; two threads must not write through the same OutputFile.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

namespace driftlab {

// Throws InvalidArgument "<option>: ..." unless `path` can be written: its folder exists and is
// writable, and the path itself is absent, a regular file, a character device, a FIFO or one of
// the process's own streams (not a folder, a socket or a block device). Meant to be called for
// every output path right after the options are parsed, before a long run.
void checkOutputPath(const std::string& path, const std::string& option);

// One file being written; commit() makes it appear at `path` in full, the destructor of an
// uncommitted OutputFile removes the temporary file (the destination keeps its old contents).
class OutputFile {
 public:
  // `what` names the content in error messages ("scenario file", "model file", ...)
  OutputFile(std::string path, std::string what);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::string_view text);  // throws on a failed write (the temporary file is removed)
  void commit();                      // flush, close, rename; throws on failure

  // the temporary file's name, empty when writing directly (tests look for leftovers with it)
  const std::string& temporaryPath() const { return temp_path_; }

 private:
  [[noreturn]] void fail(const std::string& reason);
  void discard() noexcept;

  std::string path_, what_;
  std::string target_path_, temp_path_;  // both empty when writing directly
  std::FILE* file_ = nullptr;
  bool owns_file_ = true;  // false for stdout / stderr, which stay open
  bool committed_ = false;
};

// The whole text through an OutputFile: written completely or not at all.
void writeFileAtomically(const std::string& path, std::string_view text, const std::string& what);

}  // namespace driftlab
