//===- GradsReady.h - Gradients reported as they become final ---*- C++ -*-===//
//
// Compiled with grads-ready-hook (the JIT does it), a model's train_grads
// and train_grads2 call intc_grads_ready(offset, count) as soon as a part of
// their int64 gradient buffer is final: after the output layer, then after
// each block's local step, last block first (passes/ExpandTraining.cpp).
// The data-parallel runner starts that part's all-reduce there, so that the
// communication of one block overlaps the gradients of the blocks still to
// come.
//
// The hook has no context argument (the generated code's ABI stays the
// same); the handler is per thread, installed around one call.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_GRADSREADY_H
#define INTC_RUNTIME_HOST_GRADSREADY_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>

extern "C" {
/// Called by generated code: elements [offset, offset + count) of the
/// gradient buffer of the running train_grads(2) are final. A no-op when no
/// handler is installed on this thread.
void intc_grads_ready(int64_t offset, int64_t count);
}

namespace intc::host {

/// Installs \p handler for intc_grads_ready on this thread while in scope.
class ScopedGradsReadyHandler {
public:
  using Handler = llvm::function_ref<void(int64_t offset, int64_t count)>;
  explicit ScopedGradsReadyHandler(Handler handler);
  ~ScopedGradsReadyHandler();
  ScopedGradsReadyHandler(const ScopedGradsReadyHandler &) = delete;
  ScopedGradsReadyHandler &operator=(const ScopedGradsReadyHandler &) = delete;

private:
  Handler handler;
  Handler *previous;
};

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_GRADSREADY_H
