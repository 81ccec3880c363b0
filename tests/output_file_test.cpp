// OutputFile / writeFileAtomically / checkOutputPath (driftlab/io/output_file.hpp): files appear
// complete or not at all, no temporary file is left behind, devices and FIFOs are written in place.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_files.hpp"
#include "error_of.hpp"
#include "driftlab/base/error.hpp"
#include "driftlab/io/output_file.hpp"

using namespace driftlab;
using driftlab::testing::errorOf;

namespace {

using testing::readFile;

// a fresh, empty folder per test case
std::string freshDir(const std::string& name) {
  const std::string dir = std::string(DRIFTLAB_TEST_TMP) + "/output_file_" + std::to_string(::getpid()) + "/" + name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::vector<std::string> entries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("output file: written in full, replacing the old file, nothing else left in the folder") {
  const std::string dir = freshDir("replace");
  const std::string path = dir + "/out.csv";
  writeFileAtomically(path, "first\n", "file");
  CHECK(readFile(path) == "first\n");
  ::chmod(path.c_str(), 0640);
  const std::string big(3 << 20, 'x');  // several stdio buffers
  writeFileAtomically(path, big, "file");
  CHECK(readFile(path) == big);
  CHECK(entries(dir) == std::vector<std::string>{"out.csv"});
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);  // a replaced file keeps its permissions
}

TEST_CASE("output file: a failure before commit leaves the old contents and no temporary file") {
  const std::string dir = freshDir("abandon");
  const std::string path = dir + "/model.json";
  writeFileAtomically(path, "old", "model file");
  {
    OutputFile out(path, "model file");
    out.write("half of the new");
    CHECK(std::filesystem::exists(out.temporaryPath()));
    CHECK(out.temporaryPath().rfind(path + ".", 0) == 0);
  }  // destroyed without commit, e.g. by an exception
  CHECK(readFile(path) == "old");
  CHECK(entries(dir) == std::vector<std::string>{"model.json"});

  // the rename fails (the destination became a folder): the temporary file is removed
  const std::string blocked = dir + "/blocked.json";
  OutputFile out(blocked, "scenario file");
  out.write("text");
  std::filesystem::create_directories(blocked + "/inside");
  const std::string msg = errorOf([&] { out.commit(); });
  CHECK(msg.rfind(blocked + ": cannot write scenario file (", 0) == 0);
  CHECK(entries(dir) == std::vector<std::string>{"blocked.json", "model.json"});
}

TEST_CASE("output file: two writers of one path get their own temporary files") {
  const std::string dir = freshDir("two");
  const std::string path = dir + "/same.txt";
  OutputFile a(path, "file"), b(path, "file");
  CHECK(a.temporaryPath() != b.temporaryPath());
  a.write("from a");
  b.write("from b");
  a.commit();
  b.commit();
  CHECK(readFile(path) == "from b");
  CHECK(entries(dir) == std::vector<std::string>{"same.txt"});
}

TEST_CASE("output file: a symlink keeps pointing at the file it names") {
  const std::string dir = freshDir("link");
  writeFileAtomically(dir + "/real.txt", "old", "file");
  std::filesystem::create_symlink("real.txt", dir + "/link.txt");
  writeFileAtomically(dir + "/link.txt", "new", "file");
  CHECK(std::filesystem::is_symlink(dir + "/link.txt"));
  CHECK(readFile(dir + "/real.txt") == "new");
}

TEST_CASE("output file: devices and FIFOs are written in place, every write checked") {
  // /dev/null stays a device (a rename would have replaced it by a regular file)
  writeFileAtomically("/dev/null", "discarded", "file");
  CHECK(std::filesystem::is_character_file("/dev/null"));
  // /dev/full fails on the flush: an error, not a silent success
  const std::string full = errorOf([] { writeFileAtomically("/dev/full", std::string(100000, 'x'), "file"); });
  CHECK(full.rfind("/dev/full: cannot write file (", 0) == 0);
  CHECK(contains(full, "No space left on device"));

  const std::string dir = freshDir("fifo");
  const std::string fifo = dir + "/pipe";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string received;
  std::thread reader([&] { received = readFile(fifo); });
  writeFileAtomically(fifo, "through the pipe\n", "file");
  reader.join();
  CHECK(received == "through the pipe\n");
  CHECK(std::filesystem::is_fifo(fifo));
  CHECK(entries(dir) == std::vector<std::string>{"pipe"});
}

TEST_CASE("output path check: folders, missing folders and devices, named by the option") {
  const std::string dir = freshDir("check");
  CHECK(errorOf([&] { checkOutputPath(dir, "--out"); }) == "--out: '" + dir + "' is a directory");
  CHECK(errorOf([&] { checkOutputPath(dir + "/no_such/x.csv", "--metrics"); }) ==
        "--metrics: directory '" + dir + "/no_such' does not exist");
  CHECK(errorOf([&] { checkOutputPath(dir + "/new.csv", "--out"); }) == "<no exception>");
  CHECK(errorOf([&] { checkOutputPath("/dev/null", "--out"); }) == "<no exception>");
  CHECK(errorOf([&] { checkOutputPath("/dev/stdout", "--out"); }) == "<no exception>");
  // the same problem reported by the writer names the path and what it holds
  CHECK(errorOf([&] { writeFileAtomically(dir + "/no_such/s.json", "{}", "scenario file"); }) ==
        dir + "/no_such/s.json: cannot write scenario file (directory '" + dir + "/no_such' does not exist)");
  if (::geteuid() != 0) {
    const std::string locked = freshDir("locked");
    ::chmod(locked.c_str(), 0500);
    CHECK(contains(errorOf([&] { checkOutputPath(locked + "/x.csv", "--out"); }), "is not writable"));
    ::chmod(locked.c_str(), 0700);
  } else {
    MESSAGE("running as root: a folder without write permission is still writable, not checked");
  }
}

TEST_CASE("output file: temporaries of a killed writer are removed by the next write, a live one's stay") {
  // kill -9 during a run's final write left 56-75 MB "*.tmp<pid>" files that nothing removed
  const std::string dir = freshDir("stale");
  const std::string path = dir + "/final.csv";
  // pid 4194305 is above Linux's largest pid (2^22): no such process
  const std::string dead = "final.csv.4194305.1.tmp", live = "final.csv." + std::to_string(::getpid()) + ".9.tmp";
  const std::string other = "other.csv.4194305.1.tmp", unrelated = "final.csv.backup.tmp";
  for (const auto& name : {dead, live, other, unrelated}) std::ofstream(dir + "/" + name) << "partial";
  writeFileAtomically(path, "x,y\n1,2\n", "final particles");
  CHECK(entries(dir) == std::vector<std::string>{"final.csv", live, unrelated, other});
}
