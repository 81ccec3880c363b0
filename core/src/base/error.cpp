#include "driftlab/base/error.hpp"

namespace driftlab::detail {

void throwInvalidArgument(const std::string& msg) { throw InvalidArgument(msg); }

}  // namespace driftlab::detail
