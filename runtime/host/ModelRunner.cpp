//===- ModelRunner.cpp - What the training loop drives --------------------===//

#include "runtime/host/ModelRunner.h"

using namespace intc::host;

// The key function: the vtable is emitted here.
ModelRunner::~ModelRunner() = default;

void ModelRunner::syncState(int32_t *) {}

void ModelRunner::predictHeads(const int32_t *state, const int8_t *x,
                               int8_t *logits, int8_t *) {
  predict(state, x, logits);
}
