// Files for the tests: a folder of this test process (ctest runs several test processes at once,
// so each writes under its own pid) and a whole file read back. Test code only.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace driftlab::testing {

// DRIFTLAB_TEST_TMP/<prefix>_<pid>, created if missing
inline std::string processTmpDir(const std::string& prefix) {
  const std::string dir = std::string(DRIFTLAB_TEST_TMP) + "/" + prefix + "_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  return dir;
}

// the file's bytes; "" when it cannot be opened
inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct CliResult {
  int code = -1;  // exit status; -1 when killed by a signal
  std::string out, err;
};

// runs driftlab-cli with shell-quoted arguments (args is pasted into a /bin/sh command line);
// its stdout and stderr go through files in `dir`
inline CliResult runCliIn(const std::string& dir, const std::string& args) {
  static int counter = 0;
  const std::string base = dir + "/call" + std::to_string(counter++);
  const std::string cmd = std::string("'") + DRIFTLAB_CLI_PATH + "' " + args + " >'" + base + ".out' 2>'" + base + ".err'";
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = readFile(base + ".out");
  r.err = readFile(base + ".err");
  return r;
}

}  // namespace driftlab::testing
