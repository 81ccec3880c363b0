// INTERNAL: 1-D complex double FFTs through FFTW (libfftw3-dev), for the 2-D grid path (grid_kde.hpp).
// Replaces Eigen's unsupported kissfft backend: FFTW's SIMD codelets make the grid path's
// transforms about 4x faster (see fft1d.cpp for the measurement).
// Plans are made once per (length, direction) with FFTW_ESTIMATE, which picks the algorithm from
// the length alone: the same arithmetic, hence the same rounding, in every run and process.
// Any thread: plans are created under a mutex (FFTW's planner is not thread-safe); executing a
// plan on a FftBuffer is thread-safe (FFTW's new-array execute, same alignment as the plan's).
#pragma once

#include <complex>

namespace driftlab::kde {

// n complex doubles, aligned as FFTW's SIMD code expects (fftw_malloc). Not copyable.
class FftBuffer {
 public:
  explicit FftBuffer(int n);
  ~FftBuffer();
  FftBuffer(const FftBuffer&) = delete;
  FftBuffer& operator=(const FftBuffer&) = delete;
  std::complex<double>* data() { return data_; }
  int size() const { return n_; }

 private:
  std::complex<double>* data_ = nullptr;
  int n_ = 0;
};

// In-place transform of the buffer's n values. Forward: sum_k a_k e^{-2 pi i jk/n}; inverse:
// (1/n) sum_k a_k e^{+2 pi i jk/n}, i.e. normalized like Eigen::FFT::inv, which the grid code
// was written against.
void fftInPlace(FftBuffer& buffer, bool inverse);

}  // namespace driftlab::kde
