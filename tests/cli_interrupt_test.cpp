// Ctrl-C and SIGTERM during `driftlab-cli run` / `train`: the real binary is started, signalled once
// its first table row is on stdout (by then the handler is installed), and must stop between
// steps, write the metrics gathered so far as complete CSV, leave --final / --save unwritten, say
// so on stderr in one line and exit with 128 + the signal. Nothing here waits a fixed time: it
// polls for each condition with a long timeout.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_files.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/generator/generator.hpp"

extern char** environ;

using namespace driftlab;

namespace {

using testing::readFile;

std::string tmpDir() { return testing::processTmpDir("cli_interrupt"); }

// driftlab-cli with `args`, stdout and stderr into files; SIGINT and SIGTERM at their defaults and
// unblocked in the child (a test run from a script in the background inherits SIGINT ignored)
pid_t spawnCli(const std::vector<std::string>& args, const std::string& out, const std::string& err) {
  std::vector<std::string> all{DRIFTLAB_CLI_PATH};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&files, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults, none;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  sigemptyset(&none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, DRIFTLAB_CLI_PATH, &files, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attr);
  REQUIRE(rc == 0);
  return pid;
}

// polls `ready` every 10 ms for up to 60 s
bool waitFor(const std::function<bool()>& ready) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return ready();
}

// the exit status of pid, waited for at most 60 s (then killed: -1)
int waitExit(pid_t pid) {
  int status = 0;
  if (!waitFor([&] { return ::waitpid(pid, &status, WNOHANG) == pid; })) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return -1;
  }
  return status;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::size_t fields(const std::string& line) { return static_cast<std::size_t>(std::count(line.begin(), line.end(), ',')) + 1; }

// a complete metrics CSV: the header, then rows of as many fields ending in a newline; returns the rows' steps
std::vector<long> checkMetricsCsv(const std::string& text, const std::vector<std::string>& columns) {
  REQUIRE(!text.empty());
  CHECK(text.back() == '\n');
  const std::vector<std::string> rows = lines(text);
  std::string header;
  for (const auto& c : columns) header += (header.empty() ? "" : ",") + c;
  REQUIRE(rows.size() >= 2);
  CHECK(rows[0] == header);
  std::vector<long> steps;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    CHECK(fields(rows[i]) == columns.size());
    steps.push_back(std::stol(rows[i].substr(0, rows[i].find(','))));
  }
  return steps;
}

}  // namespace

TEST_CASE("cli interrupt: Ctrl-C during run writes the metrics so far, not --final, and exits 130") {
  const std::string dir = tmpDir();
  const std::string out = dir + "/run.out", err = dir + "/run.err", metrics = dir + "/m.csv", final = dir + "/final.csv";
  const pid_t pid = spawnCli({"run", "--preset", "default", "--set", "particles=200", "--set", "samples=200", "--steps",
                              "1000000", "--metrics", metrics, "--final", final},
                             out, err);
  // title, header and the step-0 row: the handler is in place from before that row
  const bool started = waitFor([&] { return lines(readFile(out)).size() >= 3; });
  ::kill(pid, SIGINT);
  const int status = waitExit(pid);
  REQUIRE(started);
  CAPTURE(readFile(err));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK_FALSE(std::filesystem::exists(final));
  std::vector<std::string> columns = metricsColumns();
  for (const auto& c : modeMassColumns(8)) columns.push_back(c);  // the default preset's eight modes
  const std::vector<long> steps = checkMetricsCsv(readFile(metrics), columns);
  CHECK(steps.front() == 0);
  const long stopped = steps.back();
  CHECK(stopped < 1000000);
  CHECK(readFile(err) == "run: interrupted at step " + std::to_string(stopped) + " of 1000000; metrics written to " + metrics +
                             "; --final not written\n");
  // the table's last line is the step it stopped at, then the summary
  const std::vector<std::string> table = lines(readFile(out));
  REQUIRE(table.size() >= 2);
  CHECK(table.back().rfind("interrupted: " + std::to_string(stopped) + " steps", 0) == 0);
  CHECK(table[table.size() - 2].find(" " + std::to_string(stopped) + " ") != std::string::npos);
  // no temporary file left beside the outputs
  for (const auto& e : std::filesystem::directory_iterator(dir)) CHECK(e.path().extension() != ".tmp");
}

TEST_CASE("cli interrupt: SIGTERM during train writes the metrics so far, not the model, and exits 143") {
  const std::string dir = tmpDir();
  const std::string out = dir + "/train.out", err = dir + "/train.err", metrics = dir + "/tm.csv", model = dir + "/m.json";
  const pid_t pid = spawnCli({"train", "--preset", "gen_checkerboard", "--set", "batch=128", "--set", "data_batch=128",
                              "--steps", "1000000", "--every", "5", "--metrics", metrics, "--save", model},
                             out, err);
  const bool started = waitFor([&] { return lines(readFile(out)).size() >= 3; });
  ::kill(pid, SIGTERM);
  const int status = waitExit(pid);
  REQUIRE(started);
  CAPTURE(readFile(err));
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 128 + SIGTERM);
  CHECK_FALSE(std::filesystem::exists(model));
  std::vector<std::string> columns = generatorMetricsColumns();
  for (const auto& c : modeMassColumns(0)) columns.push_back(c);  // checkerboard: no modes, mode_tv only
  const std::vector<long> steps = checkMetricsCsv(readFile(metrics), columns);
  CHECK(readFile(err) == "train: interrupted at step " + std::to_string(steps.back()) + " of 1000000; metrics written to " +
                             metrics + "; --save not written\n");
}
