// driftlab-cli end to end: runs the real binary (DRIFTLAB_CLI_PATH) and checks its output
// against the engine called in-process, and every bad-input path: exit code 2, exactly one line
// "driftlab-cli: error: ..." on stderr naming the problem, nothing on stdout, no output file.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "test_files.hpp"
#include "driftlab/io/csv.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/field/metrics.hpp"
#include "driftlab/flow/param_table.hpp"
#include "driftlab/flow/scenario.hpp"
#include "driftlab/generator/generator.hpp"
#include "driftlab/field/velocity.hpp"

using namespace driftlab;

namespace {

using testing::readFile;

std::string tmpDir() { return testing::processTmpDir("cli_test"); }

std::string path(const std::string& name) { return tmpDir() + "/" + name; }

void writeFile(const std::string& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

using Result = testing::CliResult;
Result runCli(const std::string& args) { return testing::runCliIn(tmpDir(), args); }

// the contract for bad input: exit 2, one line on stderr that contains `part`, nothing on stdout
void checkError(const std::string& args, const std::string& part) {
  const Result r = runCli(args);
  CAPTURE(args);
  CAPTURE(r.err);
  CHECK(r.code == 2);
  CHECK(r.err.rfind("driftlab-cli: error: ", 0) == 0);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.err.back() == '\n');
  CHECK(r.err.find(part) != std::string::npos);
  CHECK(r.out.empty());
}

// small data/particle CSVs shared by the field tests
struct FieldFixture {
  std::string data = path("y.csv"), particles = path("x.csv");
  Points y, x;
  FieldFixture() {
    y = sampleDataset("eight_gaussians", 300, 11).points;
    x = initialParticles("gaussian", 200, 12, y);
    writeCsvPoints(data, y, coordinateNames(2));
    writeCsvPoints(particles, x, coordinateNames(2));
  }
  std::string args() const { return "field --data '" + data + "' --particles '" + particles + "'"; }
};

double maxRelativeDifference(const Points& a, const Points& b) {
  REQUIRE(a.rows() == b.rows());
  REQUIRE(a.cols() == b.cols());
  double worst = 0.0;
  for (Eigen::Index i = 0; i < a.size(); ++i) {
    const double scale = std::max(1.0, std::abs(b.data()[i]));
    worst = std::max(worst, std::abs(a.data()[i] - b.data()[i]) / scale);
  }
  return worst;
}

Points inProcessField(const FieldFixture& f, const VelocityOptions& opt) {
  std::vector<int> self(static_cast<std::size_t>(f.x.cols()));
  std::iota(self.begin(), self.end(), 0);
  return evaluateField(f.x, self, f.x, f.y, opt).v;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// positive paths
// ---------------------------------------------------------------------------------------------

TEST_CASE("cli: sample prints the dataset exactly and is deterministic per seed") {
  const Result a = runCli("sample --dataset two_moons --n 50 --seed 5");
  const Result b = runCli("sample --dataset two_moons --n 50 --seed 5");
  const Result c = runCli("sample --dataset two_moons --n 50 --seed 6");
  REQUIRE(a.code == 0);
  CHECK(a.err.empty());
  CHECK(a.out.rfind("x,y\n", 0) == 0);
  CHECK(a.out == b.out);
  CHECK(a.out != c.out);
  const Points p = parseCsvPoints(a.out, "stdout");
  CHECK(p.cols() == 50);
  CHECK(maxRelativeDifference(p, sampleDataset("two_moons", 50, 5).points) == 0.0);  // %.17g round-trips
  // --out writes the same text
  const Result d = runCli("sample --dataset two_moons --n 50 --seed 5 --out '" + path("s.csv") + "'");
  CHECK(d.code == 0);
  CHECK(d.out.empty());
  CHECK(readFile(path("s.csv")) == a.out);
}

TEST_CASE("cli: field output equals evaluateField in-process (mixed, Gaussian)") {
  const FieldFixture f;
  const Result r = runCli(f.args() + " --bandwidth 0.3");
  REQUIRE(r.code == 0);
  CHECK(r.out.rfind("vx,vy\n", 0) == 0);
  VelocityOptions opt;
  opt.kernel.kind = KernelKind::Gaussian;
  opt.kernel.h = 0.3;
  opt.weights = DivergenceWeights::mixedDefault();
  CHECK(maxRelativeDifference(parseCsvPoints(r.out, "stdout"), inProcessField(f, opt)) <= 1e-15);
}

TEST_CASE("cli: field output equals evaluateField in-process (Laplacian forward KL, include-self)") {
  const FieldFixture f;
  const Result r = runCli(f.args() + " --kernel laplacian --bandwidth 0.2 --divergence forward_kl --include-self");
  REQUIRE(r.code == 0);
  VelocityOptions opt;
  opt.kernel.kind = KernelKind::Laplacian;
  opt.kernel.h = 0.2;
  opt.weights = DivergenceWeights::single(Divergence::ForwardKL);
  opt.leave_one_out = false;
  CHECK(maxRelativeDifference(parseCsvPoints(r.out, "stdout"), inProcessField(f, opt)) <= 1e-15);
}

TEST_CASE("cli: field output equals evaluateField in-process (weights list, Student-t, half chi2)") {
  const FieldFixture f;
  const std::string out = path("v.csv");
  const Result r = runCli(f.args() + " --kernel student_t --nu 4 --bandwidth 0.25 --weights reverse_kl=1,chi2=2,mmd=0.5 "
                                     "--chi2 half --alpha 0.3 --out '" + out + "'");
  REQUIRE(r.code == 0);
  CHECK(r.out.empty());
  VelocityOptions opt;
  opt.kernel.kind = KernelKind::StudentT;
  opt.kernel.nu = 4;
  opt.kernel.h = 0.25;
  opt.weights = DivergenceWeights::parseList("reverse_kl=1,chi2=2,mmd=0.5");
  opt.chi2 = Chi2Convention::Half;
  opt.alpha = 0.3;
  CHECK(maxRelativeDifference(readCsvPoints(out), inProcessField(f, opt)) <= 1e-15);
}

TEST_CASE("cli: run writes the metrics CSV with the documented header and one row per cadence point") {
  const std::string metrics = path("m.csv"), final_csv = path("f.csv");
  const Result r = runCli("run --preset default --set particles=150 --set samples=120 --steps 12 --every 5 --quiet "
                          "--metrics '" + metrics + "' --final '" + final_csv + "'");
  REQUIRE(r.code == 0);
  CHECK(r.out.empty());
  const std::string text = readFile(metrics);
  std::istringstream lines(text);
  std::string header;
  std::getline(lines, header);
  // eight Gaussians: the mode-mass columns of its 8 modes follow the fixed ones
  CHECK(header == "step,time,mmd2,energy,sliced_w2,kl_qp,kl_pq,chi2,modes_covered,objective,mode_tv,"
                  "mode_share_0,mode_share_1,mode_share_2,mode_share_3,mode_share_4,mode_share_5,mode_share_6,mode_share_7");
  std::string expected_header;
  for (const auto& c : metricsColumns()) expected_header += (expected_header.empty() ? "" : ",") + c;
  for (const auto& c : modeMassColumns(8)) expected_header += "," + c;
  CHECK(header == expected_header);
  // steps 0, 5, 10 and the final step 12
  std::vector<long> steps;
  for (std::string line; std::getline(lines, line);) {
    steps.push_back(std::stol(line.substr(0, line.find(','))));
    CHECK(std::count(line.begin(), line.end(), ',') == 9 + 9);
  }
  CHECK(steps == std::vector<long>{0, 5, 10, 12});
  const Points x = readCsvPoints(final_csv);
  CHECK(x.rows() == 2);
  CHECK(x.cols() == 150);
}

TEST_CASE("cli: run prints a table and a summary, and --save-scenario writes the resolved scenario") {
  Scenario s = presetScenario("two_moons");
  s.params.particles = 100;
  s.params.samples = 100;
  s.steps = 4;
  saveScenario(path("in.json"), s);
  const Result r = runCli("run --scenario '" + path("in.json") + "' --set kernel=laplacian --seed 9 --every 2 "
                          "--save-scenario '" + path("out.json") + "'");
  REQUIRE(r.code == 0);
  CHECK(r.out.find("energy") != std::string::npos);
  CHECK(r.out.find("done: 4 steps") != std::string::npos);
  Scenario expected = s;
  applySetting(expected, "kernel=laplacian");
  expected.params.data_seed = 9;
  expected.params.init_seed = 10;
  expected.metrics_every = 2;
  CHECK(loadScenario(path("out.json")) == expected);
}

// what `driftlab-cli datasets` lists: the toy datasets, then the real ones
static std::vector<NamedDescription> allDatasets() {
  std::vector<NamedDescription> all = datasetCatalog();
  for (auto& e : realDatasetCatalog()) all.push_back(std::move(e));
  return all;
}

TEST_CASE("cli: list commands print one line per catalog entry") {
  const std::vector<std::pair<std::string, std::vector<NamedDescription>>> lists = {
      {"presets", presetCatalog()}, {"datasets", allDatasets()}, {"kernels", kernelCatalog()},
      {"inits", initCatalog()}};
  for (const auto& [cmd, catalog] : lists) {
    const Result r = runCli(cmd);
    CAPTURE(cmd);
    REQUIRE(r.code == 0);
    std::istringstream lines(r.out);
    std::size_t n = 0;
    for (std::string line; std::getline(lines, line); ++n) {
      REQUIRE(n < catalog.size());
      CHECK(line.rfind(catalog[n].name + " ", 0) == 0);
      CHECK(line.find(catalog[n].description) != std::string::npos);
    }
    CHECK(n == catalog.size());
  }
  const Result d = runCli("divergences");
  CHECK(d.code == 0);
  CHECK(std::count(d.out.begin(), d.out.end(), '\n') == kNumDivergences + 1);  // + "mixed"
  CHECK(d.out.find("\nmixed ") != std::string::npos);
}

TEST_CASE("cli: params lists every key of the parameter table with its mode, type, range, default and help") {
  const Result r = runCli("params");
  REQUIRE(r.code == 0);
  std::istringstream lines(r.out);
  std::string header;
  std::getline(lines, header);
  CHECK(header == "# key | modes | type | range | default | live | help");
  std::size_t n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    REQUIRE(n < flowParamInfos().size());
    const ParamInfo& p = flowParamInfos()[n];
    CHECK(line.rfind(p.key + " | " + paramModeName(p.mode) + " | " + p.type + " | ", 0) == 0);
    CHECK(line.size() > p.help.size());
    CHECK(line.substr(line.size() - p.help.size()) == p.help);
  }
  CHECK(n == flowParamInfos().size());
  CHECK(r.out.find("\nstep | particles | number | > 0 | 0.01 flow time | live | ") != std::string::npos);
  const Result g = runCli("params --generator");
  REQUIRE(g.code == 0);
  CHECK(static_cast<std::size_t>(std::count(g.out.begin(), g.out.end(), '\n')) == generatorParamInfos().size() + 1);
  CHECK(g.out.find("\nlr | generator | ") != std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// bad input: exit 2 and one clear line
// ---------------------------------------------------------------------------------------------

TEST_CASE("cli error: unknown dataset, kernel, divergence and preset are named") {
  const FieldFixture f;
  checkError("sample --dataset foo --n 10", "--dataset: unknown 'foo' (expected one of eight_gaussians");
  checkError(f.args() + " --bandwidth 0.1 --kernel gausian", "--kernel: unknown 'gausian' (expected one of gaussian");
  checkError(f.args() + " --bandwidth 0.1 --divergence kl", "unknown 'kl'");
  checkError("run --preset nope", "preset: unknown 'nope' (expected one of default");
  checkError("run --set dataset=foo", "data.dataset: unknown 'foo'");
}

TEST_CASE("cli error: an unknown --set key is named") {
  checkError("run --set kernal=laplacian", "--set kernal=laplacian: unknown key 'kernal'");
  checkError("run --set bandwidth", "--set bandwidth: expected key=value");
}

TEST_CASE("cli error: zero, negative and NaN bandwidths are refused") {
  const FieldFixture f;
  checkError(f.args() + " --bandwidth 0", "--bandwidth: must be > 0 and finite (got 0)");
  checkError(f.args() + " --bandwidth -1", "--bandwidth: must be > 0 and finite (got -1)");
  checkError(f.args() + " --bandwidth nan", "--bandwidth: must be > 0 and finite (got nan)");
  checkError(f.args() + " --bandwidth wide", "--bandwidth: expected a number > 0, silverman or median (got 'wide')");
  checkError("run --set bandwidth=nan", "bandwidth.h: must be > 0 and finite (got nan)");
  checkError("run --set bandwidth=-0.5", "bandwidth.h: must be > 0 and finite (got -0.5)");
}

TEST_CASE("cli error: empty and header-only CSV files are named") {
  const FieldFixture f;
  writeFile(path("empty.csv"), "");
  writeFile(path("header.csv"), "x,y\n");
  checkError("field --data '" + path("empty.csv") + "' --particles '" + f.particles + "' --bandwidth 0.1",
             "empty.csv: empty file");
  checkError("field --data '" + f.data + "' --particles '" + path("header.csv") + "' --bandwidth 0.1",
             "header.csv: no data rows");
}

TEST_CASE("cli error: a malformed CSV names line and column") {
  const FieldFixture f;
  writeFile(path("bad.csv"), "x,y\n0.1,0.2\n0.3,abc\n");
  checkError("field --data '" + path("bad.csv") + "' --particles '" + f.particles + "' --bandwidth 0.1",
             "bad.csv:3:2: not a number: 'abc'");
  writeFile(path("cols.csv"), "x,y\n0.1,0.2\n0.3,0.4,0.5\n");
  checkError("field --data '" + path("cols.csv") + "' --particles '" + f.particles + "' --bandwidth 0.1",
             "cols.csv:3: expected 2 columns, found 3");
}

TEST_CASE("cli error: a non-finite CSV value names line and column") {
  const FieldFixture f;
  writeFile(path("inf.csv"), "x,y\n0.1,0.2\ninf,0.4\n");
  checkError("field --data '" + f.data + "' --particles '" + path("inf.csv") + "' --bandwidth 0.1",
             "inf.csv:3:1: non-finite value: 'inf'");
}

TEST_CASE("cli error: a dimension mismatch between data and particles is named") {
  const FieldFixture f;
  writeFile(path("xyz.csv"), "x,y,z\n0.1,0.2,0.3\n0.3,0.4,0.5\n");
  checkError("field --data '" + f.data + "' --particles '" + path("xyz.csv") + "' --bandwidth 0.1",
             "dimension mismatch: " + path("xyz.csv") + " has 3 columns but " + f.data + " has 2");
}

TEST_CASE("cli error: negative and all-zero weights are refused") {
  const FieldFixture f;
  checkError(f.args() + " --bandwidth 0.1 --weights reverse_kl=1,chi2=-1", "weights.chi2");
  checkError(f.args() + " --bandwidth 0.1 --weights chi2=0", "all zero");
  checkError("run --set weights.reverse_kl=-2", "weights.reverse_kl");
  checkError("run --set weights=chi2=0", "all zero");
}

TEST_CASE("cli error: zero particles and sizes that cannot fit are refused") {
  checkError("run --set particles=0", "init.particles: must be between 1 and 50000000 (got 0)");
  checkError("run --set particles=1e12", "init.particles: 1000000000000 points cannot fit");
  checkError("run --set particles=50000000 --set samples=50000000", "cannot fit");
  checkError("sample --dataset rings --n 1e12", "--n: 1e12 points cannot fit");
  checkError("sample --dataset rings --n 0", "--n: must be between 1 and 50000000 (got 0)");
}

TEST_CASE("cli error: a missing scenario file is named") {
  checkError("run --scenario '" + path("missing.json") + "'", "missing.json: cannot open scenario file");
}

TEST_CASE("cli error: bad JSON names line and column") {
  writeFile(path("broken.json"), "{\n  \"steps\": 10,\n  \"name\": ,\n}\n");
  checkError("run --scenario '" + path("broken.json") + "'", "broken.json: invalid JSON: parse error at line 3, column");
}

TEST_CASE("cli error: a bad field in a scenario file names the field and the value") {
  writeFile(path("typo.json"), R"({"kernal": {"type": "laplacian"}})");
  checkError("run --scenario '" + path("typo.json") + "'", "typo.json: unknown field 'kernal' (did you mean 'kernel'?)");
  writeFile(path("neg.json"), R"({"bandwidth": {"h": -0.1}})");
  checkError("run --scenario '" + path("neg.json") + "'", "neg.json: bandwidth.h: must be > 0 and finite (got -0.1)");
  writeFile(path("type.json"), R"({"integrator": {"step": "big"}})");
  checkError("run --scenario '" + path("type.json") + "'", "type.json: integrator.step: expected a number (got \"big\")");
}

TEST_CASE("cli error: command-line usage errors exit 2 with one line") {
  checkError("", "subcommand");
  checkError("sample --n 10", "--dataset");
  checkError("sample --dataset rings --bogus 1", "--bogus");
  checkError("run --preset default --scenario x.json", "excludes");
  checkError("frobnicate", "frobnicate");
}

TEST_CASE("cli error: no output file is written when a command fails") {
  const FieldFixture f;
  const std::string out = path("never.csv"), metrics = path("never_metrics.csv");
  checkError(f.args() + " --bandwidth 0 --out '" + out + "'", "--bandwidth");
  checkError("run --set particles=0 --metrics '" + metrics + "' --final '" + out + "'", "particles");
  checkError("run --steps 2 --metrics '" + path("no-such-dir/m.csv") + "'", "no-such-dir' does not exist");
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK_FALSE(std::filesystem::exists(metrics));
}

// Output that cannot be written is an error (exit 2, one line), on stdout as much as in files;
// devices are written in place.
TEST_CASE("cli output: a full stdout or output device fails with one line, /dev/null stays a device") {
  const std::string err = path("full.err");
  const std::string to_full = std::string("'") + DRIFTLAB_CLI_PATH + "' sample --dataset rings --n 2000 >/dev/full 2>'" +
                              err + "'";
  int status = std::system(to_full.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  const std::string text = readFile(err);
  CAPTURE(text);
  CHECK(text.rfind("driftlab-cli: error: ", 0) == 0);
  CHECK(std::count(text.begin(), text.end(), '\n') == 1);
  CHECK(text.find("cannot write") != std::string::npos);

  // a table printed to a full stdout fails too (checked once, at exit)
  const std::string list_to_full = std::string("'") + DRIFTLAB_CLI_PATH + "' run --steps 2 --set particles=64 " +
                                   "--set samples=64 >/dev/full 2>'" + err + "'";
  status = std::system(list_to_full.c_str());
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(readFile(err).find("standard output: cannot write") != std::string::npos);

  checkError("sample --dataset rings --n 2000 --out /dev/full", "/dev/full: cannot write output (No space left");
  const Result to_null = runCli("sample --dataset rings --n 20 --out /dev/null");
  CHECK(to_null.code == 0);
  CHECK(std::filesystem::is_character_file("/dev/null"));
  // an output path that is a folder is refused before the run starts
  checkError("run --steps 2 --final '" + tmpDir() + "'", "--final: '" + tmpDir() + "' is a directory");
  checkError("train --preset gen_checkerboard --steps 1 --save '" + tmpDir() + "'", "--save: '");
}
