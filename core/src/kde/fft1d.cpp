// See fft1d.hpp. Any thread.
//
// Measured (default preset, N = M = 1e6, grid 322 / 295 cells in an n = 360 FFT): kissfft's
// transforms took ~13 % of a grid step; see docs/PERFORMANCE.md for the step times with FFTW.
#include "kde/fft1d.hpp"

#include <fftw3.h>

#include <map>
#include <mutex>
#include <new>
#include <utility>

namespace driftlab::kde {

namespace {

// One in-place plan per (n, direction), made on an aligned scratch buffer and kept while the
// process runs (a few sizes per run). The cache owns them: its destructor, at exit, destroys every
// plan and then FFTW's own planner state (fftw_cleanup), so nothing FFTW allocated is left behind.
// A plan handed out stays valid until then.
class PlanCache {
 public:
  PlanCache() = default;
  PlanCache(const PlanCache&) = delete;
  PlanCache& operator=(const PlanCache&) = delete;
  ~PlanCache() {
    for (auto& entry : plans_) fftw_destroy_plan(entry.second);
    plans_.clear();
    fftw_cleanup();
  }

  fftw_plan planFor(int n, bool inverse) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = plans_.find({n, inverse});
    if (it != plans_.end()) return it->second;
    fftw_complex* scratch = fftw_alloc_complex(static_cast<std::size_t>(n));
    if (scratch == nullptr) throw std::bad_alloc();
    const fftw_plan plan =
        fftw_plan_dft_1d(n, scratch, scratch, inverse ? FFTW_BACKWARD : FFTW_FORWARD, FFTW_ESTIMATE);
    fftw_free(scratch);
    if (plan == nullptr) throw std::bad_alloc();
    plans_.emplace(std::make_pair(n, inverse), plan);
    return plan;
  }

 private:
  std::mutex mutex_;
  std::map<std::pair<int, bool>, fftw_plan> plans_;
};

fftw_plan planFor(int n, bool inverse) {
  static PlanCache cache;
  return cache.planFor(n, inverse);
}

}  // namespace

FftBuffer::FftBuffer(int n) : n_(n) {
  data_ = reinterpret_cast<std::complex<double>*>(fftw_alloc_complex(static_cast<std::size_t>(n)));
  if (data_ == nullptr) throw std::bad_alloc();
}

FftBuffer::~FftBuffer() { fftw_free(data_); }

void fftInPlace(FftBuffer& buffer, bool inverse) {
  const int n = buffer.size();
  fftw_complex* a = reinterpret_cast<fftw_complex*>(buffer.data());
  fftw_execute_dft(planFor(n, inverse), a, a);
  if (inverse) {
    const double scale = 1.0 / double(n);
    std::complex<double>* v = buffer.data();
    for (int i = 0; i < n; ++i) v[i] *= scale;
  }
}

}  // namespace driftlab::kde
