// Name <-> enum lookups (name_table.hpp). Any thread.
#include "driftlab/io/name_table.hpp"

#include "driftlab/base/error.hpp"

namespace driftlab {

void throwUnknownName(const std::string& what, std::string_view name, const std::string& expected) {
  detail::throwInvalidArgument(what + " '" + std::string(name) + "' (expected one of " + expected + ")");
}

}  // namespace driftlab
