// FNV-1a 64: a fast non-cryptographic hash of bytes (dataset name salts, model checksums, state
// digests of fork and rewind). Chain calls by passing the previous hash as `h`. Any thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace driftlab {

inline constexpr std::uint64_t kFnv1aOffset = 0xcbf29ce484222325ULL;

inline std::uint64_t fnv1a(const void* bytes, std::size_t n, std::uint64_t h = kFnv1aOffset) {
  const auto* p = static_cast<const unsigned char*>(bytes);
  for (std::size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace driftlab
