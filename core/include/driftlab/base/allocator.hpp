// Process-wide allocator tuning for million-particle runs (docs/PERFORMANCE.md).
// Call once at the start of main(), before any thread starts (not thread-safe).
#pragma once

namespace driftlab {

// glibc serves allocations above a (dynamic, at most 32 MiB) threshold with fresh mmap()s and
// returns freed heap tops to the system, so every step's N x 2 temporaries (16 MiB each at a
// million particles) were page-faulted in and zeroed again: about a fifth of a grid step.
// This keeps arrays up to 1 GiB on the heap and freed memory mapped for reuse. Peak resident
// memory is unchanged; it is simply not handed back between steps. No-op off glibc.
void keepLargeAllocationsMapped();

}  // namespace driftlab
