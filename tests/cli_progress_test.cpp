// The progress line of long commands: its text, rate, ETA and redraw throttle
// (driftlab/base/progress_text.hpp, pure), the progress callbacks of generateSamples and
// writeCsvPoints, and the real driftlab-cli with --progress / --no-progress (ctest has no
// terminal, so the line is off unless forced): it goes to stderr only, never to stdout or a file.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "test_files.hpp"
#include "driftlab/base/progress_text.hpp"
#include "driftlab/generator/generator.hpp"
#include "driftlab/generator/model_file.hpp"
#include "driftlab/io/csv.hpp"

using namespace driftlab;

namespace {

using testing::readFile;

std::string tmpDir() { return testing::processTmpDir("cli_progress"); }

using Result = testing::CliResult;
Result runCli(const std::string& args) { return testing::runCliIn(tmpDir(), args); }

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("progress text: ETA as seconds, minutes and hours, '?' when unknown") {
  CHECK(formatEta(0) == "0s");
  CHECK(formatEta(41.2) == "42s");
  CHECK(formatEta(59.5) == "1m00s");
  CHECK(formatEta(117) == "1m57s");
  CHECK(formatEta(3600) == "1h00m");
  CHECK(formatEta(2 * 3600 + 3 * 60 + 10) == "2h03m");
  CHECK(formatEta(1000.0 * 3600) == ">999h");
  CHECK(formatEta(-1) == "?");
  CHECK(formatEta(std::numeric_limits<double>::quiet_NaN()) == "?");
  CHECK(formatEta(std::numeric_limits<double>::infinity()) == "?");
}

TEST_CASE("progress text: rates in at most four significant characters") {
  CHECK(formatRate(0.52) == "0.52");
  CHECK(formatRate(42.4) == "42");
  CHECK(formatRate(840.2) == "840");
  CHECK(formatRate(9999) == "9999");
  CHECK(formatRate(12345) == "12.3k");
  CHECK(formatRate(2.1e6) == "2.1M");
  CHECK(formatRate(3e9) == "3G");
  CHECK(formatRate(-1) == "?");
}

TEST_CASE("progress text: rate and ETA from done, total and elapsed time") {
  CHECK(progressRate(0, 1.0) == 0.0);
  CHECK(progressRate(100, 0.0) == 0.0);
  CHECK(progressRate(840, 1.0) == doctest::Approx(840.0));
  CHECK(std::isnan(progressEta(10, 100, 0.0)));
  CHECK(progressEta(100, 100, 5.0) == 0.0);
  CHECK(progressEta(1200, 100000, 840.0) == doctest::Approx(98800.0 / 840.0));
  CHECK(progressLine("run", "step", 0, 100000, 0.0) == "run: step 0/100000");
  CHECK(progressLine("run", "step", 1200, 100000, 1200 / 840.0) == "run: step 1200/100000  840 steps/s  ETA 1m58s");
  CHECK(progressLine("generate", "sample", 50000000, 50000000, 25.0) ==
        "generate: sample 50000000/50000000  2M samples/s  ETA 0s");
}

TEST_CASE("progress text: redraws at most ~5 times a second, and the first call draws") {
  CHECK(progressRedrawDue(0.0, -1.0));
  CHECK_FALSE(progressRedrawDue(0.1, 0.0));
  CHECK(progressRedrawDue(kProgressRedrawSeconds, 0.0));
  // a loop updating every millisecond for two seconds draws at most 2 / 0.2 + 1 times
  double last = -1.0;
  int draws = 0;
  for (int ms = 0; ms <= 2000; ++ms) {
    const double t = ms * 1e-3;
    if (progressRedrawDue(t, last)) {
      last = t;
      ++draws;
    }
  }
  CHECK(draws >= 10);
  CHECK(draws <= 11);
}

TEST_CASE("progress text: a shorter line overwrites the rest of the old one, an empty line clears") {
  std::size_t shown = 0;
  CHECK(progressOverwrite("abc", shown) == "\rabc");
  CHECK(shown == 3);
  CHECK(progressOverwrite("a", shown) == "\ra  ");
  CHECK(shown == 1);
  CHECK(progressOverwrite("", shown) == "\r \r");
  CHECK(shown == 0);
}

TEST_CASE("progress text: shown on a terminal unless quiet, --progress / --no-progress force it") {
  CHECK(progressWanted(0, false, true));
  CHECK_FALSE(progressWanted(0, true, true));
  CHECK_FALSE(progressWanted(0, false, false));
  CHECK(progressWanted(1, true, false));
  CHECK_FALSE(progressWanted(-1, false, true));
}

TEST_CASE("progress callbacks: generateSamples reports each block, writeCsvPoints each chunk, results unchanged") {
  GeneratorScenario s = generatorPreset("gen_checkerboard");
  const GeneratorEngine engine(s.params);
  const int n = 150000;  // 3 blocks of 65536
  std::vector<long long> seen;
  const Points x = generateSamples(engine.network(), n, 9, [&](long long done, long long total) {
    CHECK(total == n);
    seen.push_back(done);
  });
  CHECK(seen == std::vector<long long>{65536, 131072, 150000});
  CHECK((x.array() == generateSamples(engine.network(), n, 9).array()).all());

  const std::string file = tmpDir() + "/chunks.csv";
  std::vector<long long> rows;
  writeCsvPoints(file, x, coordinateNames(2), "file", [&](long long done, long long total) {
    CHECK(total == n);
    rows.push_back(done);
  });
  CHECK(rows.size() >= 3);  // ~5 MB of text in chunks of ~1 MB
  CHECK(std::is_sorted(rows.begin(), rows.end()));
  CHECK(rows.back() == n);
  CHECK(readFile(file) == formatCsvPoints(x, coordinateNames(2)));
}

TEST_CASE("cli progress: --progress draws on stderr only, without it (no terminal) nothing is drawn") {
  const std::string metrics = tmpDir() + "/m.csv";
  const std::string args = "run --preset default --set particles=200 --set samples=200 --steps 300 --metrics '" + metrics + "'";
  const Result on = runCli(args + " --progress");
  REQUIRE(on.code == 0);
  CHECK(contains(on.err, "\rrun: step "));
  CHECK(contains(on.err, "/300"));
  CHECK(on.err.back() == '\r');  // cleared at the end
  CHECK_FALSE(contains(on.out, "\r"));
  CHECK_FALSE(contains(readFile(metrics), "\r"));
  const std::string plain_metrics = readFile(metrics);

  const Result off = runCli(args);
  REQUIRE(off.code == 0);
  CHECK(off.err.empty());
  CHECK(readFile(metrics) == plain_metrics);  // the same run, the same file
  const Result forced_off = runCli(args + " --no-progress");
  CHECK(forced_off.code == 0);
  CHECK(forced_off.err.empty());
  const Result both = runCli(args + " --progress --no-progress");
  CHECK(both.code == 2);
}

TEST_CASE("cli progress: generate shows samples then rows on stderr, its CSV is the same as without") {
  GeneratorScenario s = generatorPreset("gen_checkerboard");
  const std::string model = tmpDir() + "/model.json";
  saveModel(model, modelFromEngine(GeneratorEngine(s.params), s));
  const std::string out = tmpDir() + "/g.csv";
  const Result r = runCli("generate --model '" + model + "' --n 200000 --seed 4 --out '" + out + "' --progress");
  REQUIRE(r.code == 0);
  CHECK(contains(r.err, "generate: sample "));
  CHECK(contains(r.err, "generate: row "));
  CHECK(r.out.empty());
  const GeneratorModel m = loadModel(model);
  CHECK(readFile(out) == formatCsvPoints(generateSamples(m.network, 200000, 4), coordinateNames(2)));
  // on stdout: the same text, and the line stays on stderr
  const Result piped = runCli("generate --model '" + model + "' --n 1000 --seed 4 --progress");
  REQUIRE(piped.code == 0);
  CHECK(piped.out == formatCsvPoints(generateSamples(m.network, 1000, 4), coordinateNames(2)));
  CHECK(contains(piped.err, "generate: "));
}
