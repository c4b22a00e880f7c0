//===- intc_cuda_context.h - Shared state of runtime/cuda (internal) -*- C++
//-*-//
//
// For the runtime's own sources: the loaded driver with the context current
// on the calling thread, error checks that abort with the call's name, and
// the stream. Not for generated code (see intc_cuda_runtime.h).
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_CUDA_INTC_CUDA_CONTEXT_H
#define INTC_RUNTIME_CUDA_INTC_CUDA_CONTEXT_H

#include "runtime/cuda/intc_cuda_driver.h"

namespace intc_cuda {

/// The driver, initialised (aborts with the reason when no device works),
/// with the runtime's context current on the calling thread.
const Driver &driver();
/// Aborts with "intc cuda: <what> failed: <error>" unless result is success.
void check(CUresult result, const char *what);
/// The runtime's stream.
CUstream stream();
/// After a kernel launch: waits when INTC_CUDA_SYNC is set.
void afterLaunch(const char *what);

} // namespace intc_cuda

#endif // INTC_RUNTIME_CUDA_INTC_CUDA_CONTEXT_H
