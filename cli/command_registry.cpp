// The registry that subcommand files add themselves to (cli/command.hpp). A function-local
// static, so registrations from other translation units' static initializers always find it
// constructed. Main thread only (static initialization, then main()).
#include "command.hpp"

namespace driftlab::cli {

std::vector<CommandEntry>& commandRegistry() {
  static std::vector<CommandEntry> registry;
  return registry;
}

}  // namespace driftlab::cli
