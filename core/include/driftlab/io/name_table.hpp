// Name <-> enum lookups from one table per enum, so a name's spelling and the list of valid names
// in error messages come from the same place. Pure functions; any thread.
//
//   constexpr NamedValue<ComputePath> kPathNames[] = {{ComputePath::Exact64, "exact64"}, ...};
//   nameOf(kPathNames, path)                          -> "exact64"
//   valueNamed(kPathNames, text, "path: unknown")     -> the value, or throws
//     "path: unknown 'text' (expected one of exact64, exact, grid, auto)"
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace driftlab {

template <class Enum>
struct NamedValue {
  Enum value;
  const char* name;
};

// throws InvalidArgument "<what> '<name>' (expected one of <expected>)" (one bounded line)
[[noreturn]] void throwUnknownName(const std::string& what, std::string_view name, const std::string& expected);

// the table's names joined by ", "
template <class Enum, std::size_t N>
std::string joinedNames(const NamedValue<Enum> (&table)[N]) {
  std::string out;
  for (const auto& entry : table) out += (out.empty() ? "" : ", ") + std::string(entry.name);
  return out;
}

// the name of `value`, "?" when the table does not list it
template <class Enum, std::size_t N>
constexpr const char* nameOf(const NamedValue<Enum> (&table)[N], Enum value) {
  for (const auto& entry : table)
    if (entry.value == value) return entry.name;
  return "?";
}

// the value called `name`; `what` starts the error line ("kernel: unknown")
template <class Enum, std::size_t N>
Enum valueNamed(const NamedValue<Enum> (&table)[N], std::string_view name, const std::string& what) {
  for (const auto& entry : table)
    if (name == entry.name) return entry.value;
  throwUnknownName(what, name, joinedNames(table));
}

}  // namespace driftlab
