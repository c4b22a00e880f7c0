//===- ModelRunner.cpp - What the training loop drives --------------------===//

#include "runtime/host/ModelRunner.h"

#include <cstdio>
#include <cstdlib>

using namespace intc::host;

// The key function: the vtable is emitted here.
ModelRunner::~ModelRunner() = default;

void ModelRunner::syncState(int32_t *) {}

void ModelRunner::predictHeads(const int32_t *state, const int8_t *x,
                               int8_t *logits, int8_t *) {
  predict(state, x, logits);
}

/// The gradient steps of a runner that has none: a caller that did not ask
/// hasGradientSteps() would otherwise train on garbage.
[[noreturn]] static void noGradientSteps(const char *what) {
  std::fprintf(stderr,
               "intc: internal error: %s called on a runner without gradient "
               "steps (check hasGradientSteps())\n",
               what);
  std::abort();
}

void ModelRunner::trainGrads(const int32_t *, const int8_t *, const uint8_t *,
                             uint64_t, uint64_t, int64_t, int64_t, int64_t *,
                             uint8_t *, int8_t *) {
  noGradientSteps("trainGrads");
}

void ModelRunner::applyGrads(int32_t *, const int64_t *, int64_t) {
  noGradientSteps("applyGrads");
}

void ModelRunner::trainGrads2(const int32_t *, const uint8_t *, const uint8_t *,
                              int64_t *) {
  if (hasGradientSteps() && grads2Range().count == 0)
    return; // no second local step
  noGradientSteps("trainGrads2");
}

void ModelRunner::applyGrads2(int32_t *, const int64_t *, int64_t) {
  if (hasGradientSteps() && grads2Range().count == 0)
    return;
  noGradientSteps("applyGrads2");
}

llvm::Expected<ModelRunner::DeviceGradients>
ModelRunner::deviceGradients(Communicator &) {
  return DeviceGradients();
}
