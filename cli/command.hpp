// How driftlab-cli's subcommands plug in: each command file defines one static
// CommandRegistration; main() adds every registered command to the CLI11 app.
// Errors: a command throws driftlab::InvalidArgument (one clear line); main prints
// "driftlab-cli: error: <message>" on stderr and exits with code 2.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace driftlab::cli {

// add_to(app) creates the subcommand on `app` and sets its callback. The callback may throw
// InvalidArgument; it reports success by returning normally (exit code 0).
struct CommandEntry {
  std::string name;
  std::function<void(CLI::App& app)> add_to;
};

std::vector<CommandEntry>& commandRegistry();

struct CommandRegistration {
  CommandRegistration(std::string name, std::function<void(CLI::App& app)> add_to) {
    commandRegistry().push_back({std::move(name), std::move(add_to)});
  }
};

}  // namespace driftlab::cli
