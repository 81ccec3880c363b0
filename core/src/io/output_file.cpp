// Result files written completely or not at all (output_file.hpp). Any thread.
#include "driftlab/io/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "driftlab/base/error.hpp"

namespace driftlab {

namespace {

enum class Destination { Replace, Direct, Stdout, Stderr };

struct Resolved {
  Destination destination = Destination::Replace;
  std::string target;   // the file actually replaced (a symlink's target) or opened
  bool exists = false;  // a regular file is already there (its permissions are kept)
  mode_t mode = 0666;
};

std::string reasonOf(int err) { return err != 0 ? std::strerror(err) : "I/O error"; }

// the process's own streams are written through the already open stream: reopening
// /dev/stdout would truncate a redirected file under what was printed before
Destination ownStream(const std::string& path) {
  if (path == "/dev/stdout" || path == "/dev/fd/1" || path == "/proc/self/fd/1") return Destination::Stdout;
  if (path == "/dev/stderr" || path == "/dev/fd/2" || path == "/proc/self/fd/2") return Destination::Stderr;
  return Destination::Replace;
}

std::string folderOf(const std::string& path) {
  const std::string folder = std::filesystem::path(path).parent_path().string();
  return folder.empty() ? "." : folder;
}

// Where and how `path` is written; on a path that cannot be written, *problem <- why (one
// phrase that names the path or its folder) and the result is meaningless.
Resolved resolve(const std::string& path, std::string* problem) {
  Resolved r;
  r.target = path;
  r.destination = ownStream(path);
  if (r.destination != Destination::Replace) return r;
  if (path.empty()) {
    *problem = "no file name given";
    return r;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      *problem = "'" + path + "' is a directory";
      return r;
    }
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) {
      r.destination = Destination::Direct;
      return r;
    }
    if (!S_ISREG(st.st_mode)) {
      *problem = "'" + path + "' is not a regular file, character device or FIFO";
      return r;
    }
    r.exists = true;
    r.mode = st.st_mode & 07777;
    // a symlink to a file: replace the file it points to, not the link
    std::error_code ec;
    const auto real = std::filesystem::canonical(path, ec);
    if (!ec) r.target = real.string();
  } else if (errno != ENOENT) {
    *problem = "'" + path + "': " + reasonOf(errno);
    return r;
  }
  const std::string folder = folderOf(r.target);
  struct stat folder_st {};
  if (::stat(folder.c_str(), &folder_st) != 0 || !S_ISDIR(folder_st.st_mode)) {
    *problem = "directory '" + folder + "' does not exist";
  } else if (::access(folder.c_str(), W_OK) != 0) {
    *problem = "directory '" + folder + "' is not writable (" + reasonOf(errno) + ")";
  }
  return r;
}

std::string temporaryName(const std::string& target) {
  static std::atomic<unsigned long> counter{0};
  return target + "." + std::to_string(static_cast<long>(::getpid())) + "." + std::to_string(++counter) + ".tmp";
}

// Temporary files of this writer left by a process that died before its rename (kill -9 during a
// long run's final write): "<target>.<pid>.<n>.tmp" whose pid no longer runs. Removed before the
// next write of the same target, so they do not pile up; a live writer's temporary is left alone.
void removeStaleTemporaries(const std::string& target) {
  namespace fs = std::filesystem;
  const fs::path t(target);
  const fs::path folder = t.has_parent_path() ? t.parent_path() : fs::path(".");
  const std::string prefix = t.filename().string() + ".";
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() + 4 || name.compare(0, prefix.size(), prefix) != 0 ||
        name.compare(name.size() - 4, 4, ".tmp") != 0)
      continue;
    // <pid>.<n> between the prefix and ".tmp", digits only
    const std::string middle = name.substr(prefix.size(), name.size() - prefix.size() - 4);
    const auto dot = middle.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == middle.size() ||
        middle.find_first_not_of("0123456789.") != std::string::npos || middle.find('.', dot + 1) != std::string::npos)
      continue;
    const long pid = std::strtol(middle.substr(0, dot).c_str(), nullptr, 10);
    if (pid <= 0 || pid == static_cast<long>(::getpid())) continue;
    if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    std::error_code rm;
    fs::remove(it->path(), rm);
  }
}

}  // namespace

void checkOutputPath(const std::string& path, const std::string& option) {
  std::string problem;
  (void)resolve(path, &problem);
  if (!problem.empty()) throw InvalidArgument(option + ": " + problem);
}

OutputFile::OutputFile(std::string path, std::string what) : path_(std::move(path)), what_(std::move(what)) {
  std::string problem;
  const Resolved r = resolve(path_, &problem);
  if (!problem.empty()) throw InvalidArgument(path_ + ": cannot write " + what_ + " (" + problem + ")");
  switch (r.destination) {
    case Destination::Stdout:
    case Destination::Stderr:
      file_ = r.destination == Destination::Stdout ? stdout : stderr;
      owns_file_ = false;
      if (std::fflush(file_) != 0) fail(reasonOf(errno));
      return;
    case Destination::Direct:
      file_ = std::fopen(path_.c_str(), "wb");
      if (file_ == nullptr) fail(reasonOf(errno));
      return;
    case Destination::Replace:
      break;
  }
  target_path_ = r.target;
  removeStaleTemporaries(r.target);
  temp_path_ = temporaryName(r.target);
  const int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    const int err = errno;
    temp_path_.clear();  // not created: nothing to remove
    fail(reasonOf(err));
  }
  // a replaced file keeps its permissions
  if (r.exists) (void)::fchmod(fd, r.mode);
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    const int err = errno;
    ::close(fd);
    fail(reasonOf(err));
  }
}

OutputFile::~OutputFile() {
  if (!committed_) discard();
}

void OutputFile::write(std::string_view text) {
  if (committed_ || file_ == nullptr) fail("already closed");
  if (text.empty()) return;
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail(reasonOf(errno));
}

void OutputFile::commit() {
  if (committed_ || file_ == nullptr) fail("already closed");
  errno = 0;
  if (std::fflush(file_) != 0 || std::ferror(file_)) fail(reasonOf(errno));
  if (owns_file_) {
    std::FILE* f = std::exchange(file_, nullptr);
    if (std::fclose(f) != 0) fail(reasonOf(errno));
  } else {
    file_ = nullptr;
  }
  if (!temp_path_.empty() && std::rename(temp_path_.c_str(), target_path_.c_str()) != 0) fail(reasonOf(errno));
  committed_ = true;
}

void OutputFile::fail(const std::string& reason) {
  discard();
  throw InvalidArgument(path_ + ": cannot write " + what_ + " (" + reason + ")");
}

void OutputFile::discard() noexcept {
  if (file_ != nullptr && owns_file_) std::fclose(file_);
  file_ = nullptr;
  if (!temp_path_.empty()) {
    std::remove(temp_path_.c_str());
    temp_path_.clear();
  }
}

void writeFileAtomically(const std::string& path, std::string_view text, const std::string& what) {
  OutputFile out(path, what);
  out.write(text);
  out.commit();
}

}  // namespace driftlab
