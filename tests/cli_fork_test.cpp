// driftlab-cli run --fork-at / --set-b end to end: B's final particles equal an in-process engine
// that made the same change at the fork step, the metrics CSV's "run" column, B's output names,
// and the bad-input contract (exit 2, one line on stderr naming the problem, nothing on stdout).
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "test_files.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/io/csv.hpp"

using namespace driftlab;

namespace {

std::string dir() { return testing::processTmpDir("cli_fork_test"); }
std::string path(const std::string& name) { return dir() + "/" + name; }
testing::CliResult runCli(const std::string& args) { return testing::runCliIn(dir(), args); }

const char* kSmall = "run --preset default --set particles=150 --set samples=120 --steps 12 --every 5 --quiet ";

bool bitIdentical(const Points& a, const Points& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() && (a.array() == b.array()).all();
}

}  // namespace

TEST_CASE("cli fork: B equals an engine that made the same change at the fork step") {
  const std::string metrics = path("m.csv"), final_a = path("f.csv");
  const testing::CliResult r = runCli(std::string(kSmall) + "--fork-at 4 --set-b kernel=laplacian --set-b step=0.02 "
                                      "--metrics '" + metrics + "' --final '" + final_a + "'");
  REQUIRE(r.code == 0);
  CHECK(r.out.empty());

  Scenario s = presetScenario("default");
  applySetting(s, "particles=150");
  applySetting(s, "samples=120");
  Scenario sb = s;
  applySetting(sb, "kernel=laplacian");
  applySetting(sb, "step=0.02");
  FlowEngine a(s.params);
  for (int k = 0; k < 4; ++k) a.step();
  FlowEngine b(a.capture());
  b.setParams(sb.params);
  for (int k = 4; k < 12; ++k) {
    a.step();
    b.step();
  }
  // the CSV keeps 17 significant digits: the values read back are the engine's, bit for bit
  CHECK(bitIdentical(readCsvPoints(final_a), a.particles()));
  CHECK(bitIdentical(readCsvPoints(path("f.b.csv")), b.particles()));

  // the metrics: a "run" column, A's rows 0 5 10 12, then B's from the fork step
  std::istringstream lines(testing::readFile(metrics));
  std::string header;
  std::getline(lines, header);
  CHECK(header.rfind("run,step,time,", 0) == 0);
  std::vector<std::string> keys;
  for (std::string line; std::getline(lines, line);) keys.push_back(line.substr(0, line.find(',', 2)));
  CHECK(keys == std::vector<std::string>{"A,0", "A,5", "A,10", "A,12", "B,4", "B,5", "B,10", "B,12"});
}

TEST_CASE("cli fork: without a change A and B end identical, and the tables are labelled") {
  const std::string final_a = path("same.npy");  // B: same.b.npy, still .npy
  const testing::CliResult r =
      runCli("run --preset default --set particles=150 --set samples=120 --steps 12 --every 5 --fork-at 0 "
             "--final '" + final_a + "'");
  REQUIRE(r.code == 0);
  CHECK(testing::readFile(final_a) == testing::readFile(path("same.b.npy")));
  CHECK(r.out.find("A done: 12 steps") != std::string::npos);
  CHECK(r.out.find("B from A's state at step 0 with no change") != std::string::npos);
  CHECK(r.out.find("B done: 12 steps") != std::string::npos);
  // no extension: ".b" is appended
  REQUIRE(runCli(std::string(kSmall) + "--fork-at 12 --final '" + path("plain") + "'").code == 0);
  CHECK(testing::readFile(path("plain")) == testing::readFile(path("plain.b")));
}

TEST_CASE("cli fork: bad --fork-at and --set-b input exits 2 with one line naming the problem") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--fork-at -1", "--fork-at"},
      {"--fork-at 13", "--fork-at"},
      {"--fork-at 2x", "--fork-at"},
      {"--fork-at 3 --set-b nosuch=1", "--set-b"},
      {"--fork-at 3 --set-b kernel=nosuch", "--set-b"},
      {"--fork-at 3 --set-b steps=20", "--set-b: steps"},
      {"--set-b kernel=laplacian", "--set-b: needs --fork-at"},
      {"--fork-at 3 --final -", "--final"},
  };
  for (const auto& [extra, part] : cases) {
    const testing::CliResult r = runCli(std::string(kSmall) + extra);
    CAPTURE(extra);
    CAPTURE(r.err);
    CHECK(r.code == 2);
    CHECK(r.err.rfind("driftlab-cli: error: ", 0) == 0);
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(part) != std::string::npos);
    CHECK(r.out.empty());
  }
}

TEST_CASE("cli fork: B on a data set with another number of modes leaves out the mode columns") {
  const std::string metrics = path("modes.csv");
  const testing::CliResult r =
      runCli(std::string(kSmall) + "--fork-at 6 --set-b dataset=two_moons --metrics '" + metrics + "'");
  REQUIRE(r.code == 0);
  std::istringstream lines(testing::readFile(metrics));
  std::string header;
  std::getline(lines, header);
  CHECK(header.rfind("run,step,", 0) == 0);
  CHECK(header.find("mode_share") == std::string::npos);
  std::size_t rows = 0;
  for (std::string line; std::getline(lines, line); ++rows)
    CHECK(std::count(line.begin(), line.end(), ',') == std::count(header.begin(), header.end(), ','));
  CHECK(rows == 4 + 3);  // A: 0 5 10 12; B: 6 10 12
}
