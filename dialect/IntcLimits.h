//===- IntcLimits.h - The sizes and values intc accepts ---------*- C++ -*-===//
//
// Upper bounds on model sizes and hyper-parameters. They are far above any
// published NITRO-D configuration and exist so that a model file can never
// make an index, a byte count or the learning-rate divisor overflow: the
// verifiers reject anything beyond them with a located error.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_DIALECT_INTCLIMITS_H
#define INTC_DIALECT_INTCLIMITS_H

#include "runtime/c/intc_rng.h"
#include "runtime/c/intc_schedule.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/CheckedArithmetic.h"

#include <cstdint>
#include <optional>

namespace mlir::intc::limits {

/// Training batch (the reference uses 64).
constexpr int64_t kMaxBatch = 65536;
/// Elements of one sample's activation tensor, of one weight tensor and of
/// the whole state: the runtimes index them with int32 dimensions.
constexpr int64_t kMaxElements = INT32_MAX;
/// Classes of the heads and the output layer (labels are bytes).
constexpr int64_t kMaxClasses = 256;
/// Weight tensors, and dropout layers: each draws from its own RNG stream,
/// and the runtime reserves INTC_RNG_STREAM_INDEX_LIMIT of each.
constexpr int64_t kMaxStateTensors = INTC_RNG_STREAM_INDEX_LIMIT;
constexpr int64_t kMaxDropouts = INTC_RNG_STREAM_INDEX_LIMIT;
/// Initial and reduced inverse learning rate. The SGD divisor is
/// lr_inv · lr_amp in int64, so both factors stay below 2^31.
constexpr int64_t kMaxLrInv = INTC_LR_INV_MAX;
constexpr int64_t kMaxLrAmp = INT32_MAX;
/// Epoch limit and schedule settings.
constexpr int64_t kMaxEpochs = 1000000;

/// The element count of \p shape (dynamic dimensions count as 1), or
/// std::nullopt when it exceeds kMaxElements or int64.
inline std::optional<int64_t> boundedElements(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (ShapedType::isDynamic(d))
      continue;
    std::optional<int64_t> next = llvm::checkedMul(n, d);
    if (!next || *next > kMaxElements)
      return std::nullopt;
    n = *next;
  }
  return n;
}

} // namespace mlir::intc::limits

#endif // INTC_DIALECT_INTCLIMITS_H
