// driftlab-cli sample --dataset NAME --n N [--seed S] [--out F.csv]: samples of a built-in
// dataset as CSV (header x,y; values with %.17g). Same seed -> identical output.
// Main thread only.
#include <memory>

#include "cli_util.hpp"
#include "command.hpp"
#include "driftlab/io/csv.hpp"
#include "driftlab/flow/datasets.hpp"
#include "driftlab/base/error.hpp"

namespace driftlab::cli {

namespace {

struct SampleArgs {
  std::string dataset;
  std::string n = "1000";
  std::string seed = "1";
  std::string out;
};

void runSample(const SampleArgs& a) {
  checkOutputOption("--out", a.out);
  if (!isDatasetName(a.dataset)) {
    std::string names;
    for (const auto& e : datasetCatalog()) names += (names.empty() ? "" : ", ") + e.name;
    for (const auto& e : realDatasetCatalog()) names += ", " + e.name;
    throw InvalidArgument("--dataset: unknown '" + a.dataset + "' (expected one of " + names + ")");
  }
  const int n = parsePointCount("--n", a.n);
  const std::uint64_t seed = parseSeed("--seed", a.seed);
  const Dataset d = sampleDataset(a.dataset, n, seed);
  writePointsOutput(a.out, d.points, coordinateNames(static_cast<int>(d.points.rows())));
}

const CommandRegistration kSample("sample", [](CLI::App& app) {
  auto args = std::make_shared<SampleArgs>();
  CLI::App* sub = app.add_subcommand("sample", "Samples of a built-in dataset as CSV (x,y header, %.17g values)");
  sub->add_option("--dataset", args->dataset, "dataset name (see 'driftlab-cli datasets')")->type_name("NAME")->required();
  sub->add_option("--n", args->n, "number of samples (default 1000)")->type_name("N");
  sub->add_option("--seed", args->seed, "random seed (default 1)")->type_name("S");
  sub->add_option("--out", args->out, "output CSV file (default: stdout), or .npy (float64) by the extension")->type_name("F.csv");
  sub->callback([args] { runSample(*args); });
});

}  // namespace

}  // namespace driftlab::cli
