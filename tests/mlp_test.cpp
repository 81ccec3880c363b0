// MLP forward/backward (core/include/driftlab/mlp.hpp): gradients against central finite
// differences in double precision, the float path against the double path, initialization
// statistics, and argument checking.
#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>

#include "driftlab/base/error.hpp"
#include "driftlab/generator/mlp.hpp"
#include "driftlab/base/thread_pool.hpp"

using namespace driftlab;

namespace {

MlpD::Matrix randomMatrix(int rows, int cols, std::uint64_t seed, double scale = 1.0) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> n(0.0, scale);
  MlpD::Matrix m(rows, cols);
  for (int c = 0; c < cols; ++c)
    for (int r = 0; r < rows; ++r) m(r, c) = n(rng);
  return m;
}

// L(theta) = sum(G .* f_theta(Z)), so dL/d(output) = G
double linearLoss(const MlpD& net, const MlpD::Matrix& z, const MlpD::Matrix& g) {
  return (net.evaluate(z).array() * g.array()).sum();
}

// max over parameters of |analytic - central FD| / max(1, |FD|)
double parameterGradientError(Activation act) {
  MlpArchitecture arch;
  arch.input_dim = 3;
  arch.hidden = {5, 4};
  arch.output_dim = 2;
  arch.activation = act;
  MlpD net(arch, 11);
  // non-zero biases so that every activation sees a generic operating point
  for (double& p : net.parameters()) p += 0.05;
  const MlpD::Matrix z = randomMatrix(3, 7, 21);
  const MlpD::Matrix g = randomMatrix(2, 7, 31);
  net.forward(z);
  net.backward(g);
  const std::vector<double> analytic(net.parameterGradients().begin(), net.parameterGradients().end());
  double worst = 0.0;
  const double eps = 1e-6;
  for (long i = 0; i < net.parameterCount(); ++i) {
    const double keep = net.parameters()[i];
    net.parameters()[i] = keep + eps;
    const double lp = linearLoss(net, z, g);
    net.parameters()[i] = keep - eps;
    const double lm = linearLoss(net, z, g);
    net.parameters()[i] = keep;
    const double fd = (lp - lm) / (2 * eps);
    worst = std::max(worst, std::fabs(analytic[i] - fd) / std::max(1.0, std::fabs(fd)));
  }
  return worst;
}

}  // namespace

TEST_CASE("mlp: parameter gradient matches central finite differences (double, SiLU, ReLU, tanh)") {
  CHECK(parameterGradientError(Activation::SiLU) < 1e-8);
  CHECK(parameterGradientError(Activation::Tanh) < 1e-8);
  // ReLU is piecewise linear: away from kinks the central difference is exact up to rounding
  CHECK(parameterGradientError(Activation::ReLU) < 1e-8);
}

TEST_CASE("mlp: input gradient matches central finite differences") {
  MlpArchitecture arch;
  arch.input_dim = 4;
  arch.hidden = {6, 6};
  arch.output_dim = 3;
  MlpD net(arch, 5);
  MlpD::Matrix z = randomMatrix(4, 3, 8);
  const MlpD::Matrix g = randomMatrix(3, 3, 9);
  net.forward(z);
  const MlpD::Matrix dz = net.backward(g, true);
  REQUIRE(dz.rows() == 4);
  REQUIRE(dz.cols() == 3);
  const double eps = 1e-6;
  for (int c = 0; c < 3; ++c)
    for (int r = 0; r < 4; ++r) {
      const double keep = z(r, c);
      z(r, c) = keep + eps;
      const double lp = linearLoss(net, z, g);
      z(r, c) = keep - eps;
      const double lm = linearLoss(net, z, g);
      z(r, c) = keep;
      CHECK(dz(r, c) == doctest::Approx((lp - lm) / (2 * eps)).epsilon(1e-7));
    }
}

TEST_CASE("mlp: float network agrees with its double copy (forward and gradients)") {
  MlpArchitecture arch;  // the official toy shape 32-256-256-256-2 SiLU
  Mlp net(arch, 7);
  MlpD dnet = net.cast<double>();
  const MlpD::Matrix zd = randomMatrix(32, 64, 3);
  const MlpD::Matrix gd = randomMatrix(2, 64, 4);
  const Mlp::Matrix& yf = net.forward(zd.cast<float>());
  const MlpD::Matrix yd = dnet.forward(zd);
  CHECK((yf.cast<double>() - yd).cwiseAbs().maxCoeff() < 1e-4 * std::max(1.0, yd.cwiseAbs().maxCoeff()));
  net.backward(gd.cast<float>());
  dnet.backward(gd);
  double err = 0.0, norm = 0.0;
  for (long i = 0; i < net.parameterCount(); ++i) {
    const double d = dnet.parameterGradients()[i];
    err = std::max(err, std::fabs(net.parameterGradients()[i] - d));
    norm = std::max(norm, std::fabs(d));
  }
  CHECK(norm > 0);
  CHECK(err < 1e-4 * norm);
}

TEST_CASE("mlp: columns are independent samples (batch forward = per-sample forward)") {
  MlpArchitecture arch;
  arch.input_dim = 8;
  arch.hidden = {16, 16};
  Mlp net(arch, 2);
  const Mlp::Matrix z = randomMatrix(8, 300, 12).cast<float>();
  const Mlp::Matrix all = net.evaluate(z);
  for (int c : {0, 1, 150, 299}) {
    const Mlp::Matrix one = net.evaluate(z.col(c));
    CHECK((one.col(0) - all.col(c)).cwiseAbs().maxCoeff() < 1e-6f);
  }
}

TEST_CASE("mlp: He/Xavier initialization has the documented spread, collapsed init sits at its centre") {
  MlpArchitecture arch;  // 32-256-256-256-2 SiLU
  Mlp net(arch, 99);
  const auto w1 = net.weight(1);  // 256 x 256 hidden layer: He, std sqrt(2/256)
  const double std1 = std::sqrt(w1.cast<double>().squaredNorm() / w1.size());
  CHECK(std1 == doctest::Approx(std::sqrt(2.0 / 256)).epsilon(0.02));
  const auto w3 = net.weight(3);  // 2 x 256 output layer: Xavier, std sqrt(2/258)
  const double std3 = std::sqrt(w3.cast<double>().squaredNorm() / w3.size());
  CHECK(std3 == doctest::Approx(std::sqrt(2.0 / 258)).epsilon(0.1));
  CHECK(net.bias(0).cwiseAbs().maxCoeff() == 0.0f);

  const double centre[2] = {0.4, -0.3};
  Mlp collapsed(arch, 99, 1e-3, centre);
  const Mlp::Matrix y = collapsed.evaluate(randomMatrix(32, 500, 1).cast<float>());
  CHECK((y.row(0).array() - 0.4f).abs().maxCoeff() < 0.02f);
  CHECK((y.row(1).array() + 0.3f).abs().maxCoeff() < 0.02f);
  // same seed, same network
  Mlp again(arch, 99);
  CHECK(std::equal(net.parameters().begin(), net.parameters().end(), again.parameters().begin()));
  CHECK(arch.parameterCount() == 32 * 256 + 256 + 2 * (256 * 256 + 256) + 256 * 2 + 2);
  CHECK(net.parameterCount() == arch.parameterCount());
  CHECK(arch.label() == "32-256-256-256-2 silu");
}

TEST_CASE("mlp: bad architectures and inputs are refused with a clear message") {
  CHECK(parseWidths("256,128") == std::vector<int>{256, 128});
  CHECK(parseWidths("").empty());
  CHECK_THROWS_WITH_AS(parseWidths("256,x"), doctest::Contains("generator.widths"), InvalidArgument);
  CHECK_THROWS_WITH_AS(parseWidths("0"), doctest::Contains("(got '0')"), InvalidArgument);
  CHECK_THROWS_WITH_AS(parseActivation("gelu"), doctest::Contains("'gelu'"), InvalidArgument);
  MlpArchitecture arch;
  arch.input_dim = 0;
  CHECK_THROWS_WITH_AS(Mlp(arch, 1), doctest::Contains("generator.latent"), InvalidArgument);
  arch.input_dim = 4;
  Mlp net(arch, 1);
  CHECK_THROWS_WITH_AS(net.forward(Mlp::Matrix::Zero(3, 2)), doctest::Contains("expected 4"), InvalidArgument);
  CHECK_THROWS_AS(net.backward(Mlp::Matrix::Zero(2, 2)), InvalidArgument);  // no forward yet
}

TEST_CASE("mlp: splitting the batch over pool threads gives the single-thread forward and gradient") {
  MlpArchitecture arch;
  arch.input_dim = 6;
  arch.hidden = {32, 32};
  MlpD net(arch, 4);
  const MlpD::Matrix z = randomMatrix(6, 1500, 5);
  const MlpD::Matrix g = randomMatrix(2, 1500, 6);
  MlpD::Matrix y1, dz1;
  std::vector<double> g1;
  {
    ThreadPool one(1);
    ThreadPoolScope scope(one);
    y1 = net.forward(z);
    dz1 = net.backward(g, true);
    g1.assign(net.parameterGradients().begin(), net.parameterGradients().end());
  }
  ThreadPool four(4);
  ThreadPoolScope scope(four);
  const MlpD::Matrix y4 = net.forward(z);
  const MlpD::Matrix dz4 = net.backward(g, true);
  CHECK((y4 - y1).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((dz4 - dz1).cwiseAbs().maxCoeff() < 1e-12);
  CHECK((net.evaluate(z) - y1).cwiseAbs().maxCoeff() < 1e-12);
  double err = 0.0, norm = 0.0;
  for (std::size_t i = 0; i < g1.size(); ++i) {
    err = std::max(err, std::fabs(net.parameterGradients()[i] - g1[i]));
    norm = std::max(norm, std::fabs(g1[i]));
  }
  CHECK(err < 1e-12 * std::max(1.0, norm));
}
