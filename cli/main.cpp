// driftlab-cli: headless front end of the engine. Every subcommand registers itself through
// cli/command.hpp; main() only builds the CLI11 app and turns errors into exit code 2 with one
// line on stderr ("driftlab-cli: error: <message>"). Main thread only.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>

#include "cli_util.hpp"
#include "command.hpp"
#include "interrupt.hpp"
#include "driftlab/base/allocator.hpp"
#include "driftlab/base/error.hpp"

namespace {

constexpr int kExitBadInput = 2;

int reportError(const std::string& message) {
  std::string line = message;
  std::replace(line.begin(), line.end(), '\n', ' ');  // always exactly one line
  std::fprintf(stderr, "driftlab-cli: error: %s\n", line.c_str());
  return kExitBadInput;
}

// a command that printed to a full disk or a closed pipe did not succeed: stdout is checked once,
// at the end, so every command (tables, CSV on stdout, listings, --help) is covered
int finish(int status) {
  try {
    driftlab::cli::checkStdout();
  } catch (const driftlab::InvalidArgument& e) {
    return reportError(e.what());
  }
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  driftlab::keepLargeAllocationsMapped();  // before any thread starts
  CLI::App app{"driftlab-cli: headless Gradient Flow Drifting runs, velocity fields and samples "
               "(Wasserstein gradient flows of KDE-approximated divergences)",
               "driftlab-cli"};
  app.require_subcommand(1);
  app.fallthrough(false);

  // every registered command, sorted by name so --help lists them in a stable order
  auto entries = driftlab::cli::commandRegistry();
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& entry : entries) entry.add_to(app);

  // an unknown command word gets a clearer message than CLI11's "A subcommand is required"
  if (argc > 1 && argv[1][0] != '-') {
    const std::string word = argv[1];
    std::string names;
    bool known = false;
    for (const auto& entry : entries) {
      known = known || entry.name == word;
      names += (names.empty() ? "" : ", ") + entry.name;
    }
    if (!known) return reportError("unknown command '" + word + "' (commands: " + names + ")");
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return finish(app.exit(e));
  } catch (const CLI::CallForAllHelp& e) {
    return finish(app.exit(e));
  } catch (const CLI::CallForVersion& e) {
    return finish(app.exit(e));
  } catch (const driftlab::cli::Interrupted& e) {
    return finish(e.exit_code);  // the command has written its partial outputs and said so
  } catch (const CLI::ParseError& e) {
    // CLI11 usage errors: one line, exit 2 (CLI11's own codes vary and its message may be long)
    std::string hint = " (run 'driftlab-cli --help')";
    return reportError(std::string(e.what()) + hint);
  } catch (const driftlab::InvalidArgument& e) {
    return reportError(e.what());
  } catch (const std::exception& e) {
    return reportError(e.what());
  }
  return finish(0);
}
