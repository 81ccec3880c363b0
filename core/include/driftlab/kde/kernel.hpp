// Radial kernels k_h(x, y) = kappa(|x - y|) with value, gradient and log-gradient.
// THEORY.md §2.1 (catalogue and score coefficients).
// All functions are pure and may be called from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace driftlab {

enum class KernelKind { Gaussian, Laplacian, Matern32, StudentT, IMQ, Cauchy };

// The kernel without its bandwidth: what a run's settings choose (FlowParams::kernel); the
// bandwidth comes from the bandwidth rule (bandwidth.hpp), so it is stored in one place only.
struct KernelShape {
  KernelKind kind = KernelKind::Gaussian;
  double nu = 3.0;     // Student-t degrees of freedom, > 0
  double beta = 0.5;   // IMQ exponent, > 0
  double c = 1.0;      // IMQ offset, > 0; IMQ is (c^2 + r^2/h^2)^(-beta) so that h scales it
  bool operator==(const KernelShape&) const = default;
};

// A kernel with the bandwidth in force: KernelSpec{shape, h}.
struct KernelSpec : KernelShape {
  double h = 0.1;      // bandwidth (DM "temperature"), position units, > 0
};

// Precomputed constants for the inner loops; cheap to copy.
// logValue(r2): log kappa(r), r2 = |x - y|^2.
// scoreCoefficient(r2): c such that grad_x log k(x, y) = c * (y - x)   (THEORY.md §2.1;
//   Laplacian: 1/(h r), defined as 0 at r = 0).
// gradient of k itself: grad_x k = exp(logValue) * scoreCoefficient * (y - x).
class KernelEvaluator {
 public:
  KernelEvaluator(const KernelSpec& spec, int dim);
  double logValue(double r2) const;
  double scoreCoefficient(double r2) const;
  double value(double r2) const;
  const KernelSpec& spec() const { return spec_; }
  int dim() const { return dim_; }

 private:
  KernelSpec spec_;
  int dim_;
  double inv_h_, inv_h2_, a_;  // a_ = Student-t exponent (nu + d) / 2
};

// log Z_k = log of the integral of k(0, z) dz over R^d; +infinity when the kernel is not
// integrable (Cauchy for d >= 2, IMQ with 2 beta <= d). THEORY.md §2.1 table.
double logNormalizer(const KernelSpec& spec, int dim);
bool isIntegrable(const KernelSpec& spec, int dim);

// names used in scenario files and on the command line: gaussian, laplacian, matern32,
// student_t, imq, cauchy. parseKernelKind throws InvalidArgument naming the bad value.
const char* kernelName(KernelKind kind);
KernelKind parseKernelKind(std::string_view name);
struct NamedDescription {
  std::string name;
  std::string description;
};
std::vector<NamedDescription> kernelCatalog();

// throws InvalidArgument naming the field ("kernel.h", "kernel.nu", ...) when a parameter is
// zero, negative or not finite.
void validateKernelSpec(const KernelSpec& spec);

}  // namespace driftlab
