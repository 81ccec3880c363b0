// Test helper shared by the error-message tests: the one line a call refuses with.
#pragma once

#include <string>

#include "driftlab/base/error.hpp"

namespace driftlab::testing {

// what() of the InvalidArgument that fn throws, or "<no exception>" when it throws none
template <class Fn>
std::string errorOf(Fn&& fn) {
  try {
    fn();
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "<no exception>";
}

}  // namespace driftlab::testing
