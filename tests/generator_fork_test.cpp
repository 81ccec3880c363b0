// Fork and rewind in generator mode: GeneratorEngine::capture / restore continue training bit
// for bit (weights, Adam moments, the weight average, the step count that seeds every batch;
// THEORY.md §6.6), and a learning-rate change at a fork equals the same change in one run.
#include <doctest/doctest.h>

#include <algorithm>

#include "driftlab/base/error.hpp"
#include "driftlab/generator/generator.hpp"
#include "driftlab/generator/generator_state.hpp"

using namespace driftlab;

namespace {

// the default field and path at a test's size, with the weight average on
GeneratorParams forkParams() {
  GeneratorParams p;
  p.arch.input_dim = 8;
  p.arch.hidden = {64, 64};
  p.batch = 384;
  p.data_batch = 384;
  p.sample_count = 256;
  p.ema = 0.99;
  return p;
}

bool sameWeights(const Mlp& a, const Mlp& b) {
  return std::equal(a.parameters().begin(), a.parameters().end(), b.parameters().begin(), b.parameters().end());
}

bool sameEngine(const GeneratorEngine& a, const GeneratorEngine& b) {
  return sameWeights(a.network(), b.network()) && sameWeights(a.samplingNetwork(), b.samplingNetwork()) &&
         a.stepIndex() == b.stepIndex() && a.currentLr() == b.currentLr() && a.lastLoss() == b.lastLoss() &&
         a.optimizer().stepCount() == b.optimizer().stepCount() && (a.samples().array() == b.samples().array()).all();
}

void train(GeneratorEngine& e, int n) {
  for (int k = 0; k < n; ++k) e.step();
}

}  // namespace

TEST_CASE("generator fork: a restored engine trains on bit for bit") {
  GeneratorEngine a(forkParams());
  train(a, 6);
  const GeneratorState s = a.capture();
  GeneratorEngine b(s);
  CHECK(sameEngine(a, b));
  GeneratorEngine c(forkParams());
  train(c, 2);
  c.restore(s);
  train(a, 8);
  train(b, 8);
  train(c, 8);
  CHECK(sameEngine(a, b));
  CHECK(sameEngine(a, c));
}

TEST_CASE("generator fork: A and B from one state stay bit-identical for 200 training steps") {
  GeneratorEngine a(forkParams());
  train(a, 5);
  GeneratorEngine b(a.capture());
  for (int k = 0; k < 200; ++k) {
    a.step();
    b.step();
  }
  CHECK(a.stepIndex() == 205);
  CHECK(sameEngine(a, b));
}

TEST_CASE("generator fork: a learning-rate change at the fork equals the change in one run") {
  GeneratorParams changed = forkParams();
  changed.adam.lr = 3e-3;
  GeneratorEngine one(forkParams());
  train(one, 5);
  one.setParams(changed);
  train(one, 6);
  GeneratorEngine a(forkParams());
  train(a, 5);
  GeneratorEngine b(a.capture());
  b.setParams(changed);
  train(b, 6);
  CHECK(sameEngine(one, b));
}

TEST_CASE("generator fork: a state of another architecture is refused, the engine untouched") {
  GeneratorEngine a(forkParams());
  train(a, 2);
  GeneratorState bad = a.capture();
  bad.weights.pop_back();
  CHECK_THROWS_AS(a.restore(bad), InvalidArgument);
  GeneratorEngine b(a.capture());
  CHECK(sameEngine(a, b));
}
