//===- OverflowGuard.h - Run-time overflow reports -------------*- C++ -*-===//
//
// Compiled with check-overflow (intc train -check-overflow; on by default in
// builds without NDEBUG), every int32 SGD update of the generated code first
// counts the elements whose exact int64 result leaves int32 and, if any do,
// calls intc_overflow(tensor_index, quantity, step, count)
// (passes/ExpandTraining.cpp). The update still runs and wraps like the
// reference; the training loop takes the report after the step and stops
// with an error instead of training on wrapped weights, before any
// checkpoint holds them.
//
// The hook has no context argument (the generated code's ABI stays the
// same): reports are kept per thread until taken, as the step that made
// them runs on the thread that takes them.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_OVERFLOWGUARD_H
#define INTC_RUNTIME_HOST_OVERFLOWGUARD_H

#include "runtime/host/ModelInfo.h"

#include <cstdint>
#include <optional>
#include <string>

extern "C" {
/// Called by generated code: \p count elements of state tensor
/// \p tensorIndex (ModelInfo order) left int32 in quantity \p quantity
/// (0: the SGD update of the weights) at training step \p step (-1: not
/// known to the generated code, as in apply_grads).
void intc_overflow(int64_t tensorIndex, int64_t quantity, int64_t step,
                   int64_t count);
}

namespace intc::host {

/// What the quantity argument of intc_overflow names.
enum class OverflowQuantity : int64_t { WeightUpdate = 0 };

struct OverflowReport {
  int64_t tensorIndex = 0, quantity = 0, step = -1, count = 0;
  /// Further reports of the same step (other tensors), not kept.
  int64_t more = 0;
};

/// The first report on this thread since the last call, and clears it.
std::optional<OverflowReport> takeOverflowReport();

/// "overflow at step S: the weights of 'block1.encoder' left int32 in the
/// SGD update (N elements)..." for a report of training step \p step
/// (0-based, the loop's step counter; printed 1-based).
std::string describeOverflow(const OverflowReport &report,
                             const ModelInfo &info, uint64_t step);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_OVERFLOWGUARD_H
