// Modes from class labels (flow/class_modes.hpp): class means and frequencies, the labels file
// reader, and a points file with labels in a particle run and a generator: the class means become
// the modes behind modes covered and mode shares (THEORY.md §8.3).
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "driftlab/flow/class_modes.hpp"
#include "driftlab/flow/flow_engine.hpp"
#include "driftlab/generator/generator.hpp"
#include "driftlab/io/points_file.hpp"
#include "driftlab/run/flow_worker.hpp"
#include "error_of.hpp"
#include "test_files.hpp"
#include "worker_wait.hpp"

using namespace driftlab;
using driftlab::testing::errorOf;

namespace {

std::string path(const std::string& name) { return driftlab::testing::processTmpDir("class_modes_test") + "/" + name; }

void writeText(const std::string& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// 3-D points: 30 around (2, 0, 0) with label 7, 10 around (-2, 0, 0) with label 3, and the labels file
std::string writeLabelledData(Points& points) {
  points.resize(3, 40);
  std::string labels = "label\n";
  for (int i = 0; i < 40; ++i) {
    const bool first = i < 30;
    const double jitter = 0.01 * (i % 5 - 2);
    points.col(i) << (first ? 2.0 : -2.0) + jitter, 0.1 * (i % 3 - 1), 0.05 * (i % 2);
    labels += first ? "7\n" : "3\n";
  }
  writePoints(path("data.csv"), points, {"x", "y", "z"});
  writeText(path("labels.txt"), labels);
  return path("labels.txt");
}

}  // namespace

TEST_CASE("class modes: the class means in label order, weighted by the class frequencies") {
  Points x(2, 5);
  x << 0, 2, 10, 12, 14,
       1, 3, 0, 0, 3;
  const std::vector<int> labels = {5, 5, -1, -1, -1};
  const ClassModes m = classModes(x, labels, "labels");
  REQUIRE(m.classes == std::vector<int>{-1, 5});
  REQUIRE(m.centres.cols() == 2);
  CHECK(m.centres(0, 0) == doctest::Approx(12.0));
  CHECK(m.centres(1, 0) == doctest::Approx(1.0));
  CHECK(m.centres(0, 1) == doctest::Approx(1.0));
  CHECK(m.centres(1, 1) == doctest::Approx(2.0));
  CHECK(m.weights[0] == doctest::Approx(0.6));
  CHECK(m.weights[1] == doctest::Approx(0.4));
  // on the sphere: the mean's direction
  const ClassModes d = classModes(x, labels, "labels", true);
  CHECK(d.centres.col(0).norm() == doctest::Approx(1.0));
  CHECK(d.centres(0, 1) == doctest::Approx(1.0 / std::sqrt(5.0)));

  CHECK(errorOf([&] { classModes(x, std::vector<int>{1, 2}, "y.npy"); }) == "y.npy: 2 labels for 5 points (one label per point)");
  std::vector<int> many(1001);
  for (int i = 0; i < 1001; ++i) many[static_cast<std::size_t>(i)] = i;
  CHECK(errorOf([&] { classModes(Points::Zero(1, 1001), many, "many"); }) == "many: 1001 classes (at most 1000)");
}

TEST_CASE("class modes: a labels file is an integer per line with an optional header") {
  writeText(path("l1.txt"), "class\r\n2\r\n\r\n0\r\n 2 \r\n");
  CHECK(readLabels(path("l1.txt")) == std::vector<int>{2, 0, 2});
  writeText(path("l2.csv"), "4\n1\n");
  CHECK(readLabels(path("l2.csv")) == std::vector<int>{4, 1});
  writeText(path("bad.txt"), "label\n1\n2.5\n");
  CHECK(errorOf([&] { readLabels(path("bad.txt")); }) == path("bad.txt") + ":3: not an integer label: '2.5'");
  writeText(path("empty.txt"), "label\n\n");
  CHECK(errorOf([&] { readLabels(path("empty.txt")); }) == path("empty.txt") + ": no labels (one integer per line)");
  CHECK(errorOf([&] { readLabels(path("missing.txt")); }) == path("missing.txt") + ": cannot open labels file");
  // .npy goes to the NumPy reader, which wants integers
  Points floats(1, 2);
  floats << 1.0, 2.0;
  writePoints(path("floats.npy"), floats, {"x"});
  CHECK(errorOf([&] { readLabels(path("floats.npy")); }).find("labels must have an integer dtype") != std::string::npos);
}

TEST_CASE("class modes: a points file with labels gives a particle run the class means as modes") {
  Points points;
  const std::string labels = writeLabelledData(points);
  FlowParams p;
  p.dataset = "csv";
  p.data_csv = path("data.csv");
  p.data_labels = labels;
  p.particles = 200;
  FlowEngine e(p);
  REQUIRE(e.modeCentres().cols() == 2);
  CHECK(e.modeCentres().col(0).isApprox(points.rightCols(10).rowwise().mean(), 1e-12));  // label 3 first
  CHECK(e.modeCentres().col(1).isApprox(points.leftCols(30).rowwise().mean(), 1e-12));
  Metrics m = e.metrics();
  CHECK(m.modes_total == 2);

  // the particles placed on the data: both classes covered, shares .25 / .75 as the labels say
  FlowParams on_data = p;
  on_data.init = "csv";
  on_data.init_csv = path("data.csv");
  FlowEngine copy(on_data);
  m = copy.metrics();
  CHECK(m.modes_covered == 2);
  REQUIRE(m.mode_share.size() == 2);
  CHECK(m.mode_share[0] == doctest::Approx(0.25));
  CHECK(m.mode_share[1] == doctest::Approx(0.75));
  CHECK(m.mode_tv == doctest::Approx(0.0));

  // without labels a points file has no modes
  FlowParams plain = p;
  plain.data_labels.clear();
  CHECK(FlowEngine(plain).modeCentres().cols() == 0);

  // a wrong count, and labels with a built-in dataset, are refused naming the setting or file
  writeText(path("short.txt"), "1\n2\n");
  FlowParams wrong = p;
  wrong.data_labels = path("short.txt");
  CHECK(errorOf([&] { FlowEngine bad(wrong); }) == path("short.txt") + ": 2 labels for 40 points (one label per point)");
  FlowParams builtin;
  builtin.data_labels = labels;
  CHECK(errorOf([&] { builtin.validate(); }).find("data.labels: labels go with a points file") != std::string::npos);
}

TEST_CASE("class modes: a generator on a labelled points file reports its classes") {
  Points points;
  GeneratorParams g;
  g.field.dataset = "csv";
  g.field.data_csv = path("data.csv");
  g.field.data_labels = writeLabelledData(points);
  g.arch.output_dim = 3;
  GeneratorEngine e(g);
  REQUIRE(e.modeCentres().cols() == 2);
  CHECK(e.modeCentres().col(1).isApprox(points.leftCols(30).rowwise().mean(), 1e-12));
}

TEST_CASE("class modes: picking a built-in dataset in a running flow drops the file's labels") {
  Points points;
  FlowParams p;
  p.dataset = "csv";
  p.data_csv = path("data.csv");
  p.data_labels = writeLabelledData(points);
  p.particles = 60;
  FlowWorker w(p);
  auto s = driftlab::testing::waitFor(w, [](const Snapshot& x) { return x.mode_centres.cols() == 2; });
  REQUIRE(s);
  // the app's dataset combo: labels of the old file would refuse the new dataset
  w.send(cmd::SetDataset{"eight_gaussians"});
  s = driftlab::testing::waitFor(w, [](const Snapshot& x) { return x.params.dataset == "eight_gaussians"; });
  REQUIRE(s);
  CHECK(s->params.data_labels.empty());
  CHECK(s->error.empty());
  CHECK(s->mode_centres.cols() == 8);
}
