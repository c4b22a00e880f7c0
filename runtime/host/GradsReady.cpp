//===- GradsReady.cpp - Gradients reported as they become final -----------===//

#include "runtime/host/GradsReady.h"

using namespace intc::host;

static thread_local ScopedGradsReadyHandler::Handler *current = nullptr;

extern "C" void intc_grads_ready(int64_t offset, int64_t count) {
  if (current)
    (*current)(offset, count);
}

ScopedGradsReadyHandler::ScopedGradsReadyHandler(Handler handler)
    : handler(handler), previous(current) {
  current = &this->handler;
}

ScopedGradsReadyHandler::~ScopedGradsReadyHandler() { current = previous; }
