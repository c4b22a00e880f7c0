//===- ModelRunner.cpp - What the training loop drives --------------------===//

#include "runtime/host/ModelRunner.h"

using namespace intc::host;

// The key function: the vtable is emitted here.
ModelRunner::~ModelRunner() = default;

void ModelRunner::syncState(int32_t *) {}
