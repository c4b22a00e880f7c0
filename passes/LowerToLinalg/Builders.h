//===- Builders.h - Building blocks of intc-lower-to-linalg -----*- C++ -*-===//
//
// The small IR builders every lowering pattern of intc-lower-to-linalg uses:
// integer constants and casts, linalg.generic with a one-value body, the
// element-wise generic, spatial padding as a gather, and the kernel tag that
// intc-use-microkernels and intc-use-gpu-kernels look for.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_PASSES_LOWERTOLINALG_BUILDERS_H
#define INTC_PASSES_LOWERTOLINALG_BUILDERS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

namespace mlir::intc::lowering {

using BodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;
using utils::IteratorType;

/// The attribute naming a matmul-like generic's kernel kind.
constexpr StringLiteral kKernelAttr = "intc.kernel";

/// The attribute marking the generic of an `intc.sgd_update` (inputs: the
/// gradient and the divisor lr_inv * lr_amp; init: the weights), holding its
/// decay_inv.
constexpr StringLiteral kSgdDecayAttr = "intc.sgd_decay_inv";

RankedTensorType tensorType(Value v);

/// An integer constant of `type`.
Value cst(OpBuilder &b, Location loc, Type type, int64_t v);

/// Sign-extends or truncates an integer to `to`.
Value castInt(OpBuilder &b, Location loc, Value v, Type to);

/// max(lo, min(v, hi)) in v's type.
Value clamp(OpBuilder &b, Location loc, Value v, int64_t lo, int64_t hi);

/// linalg.index `dim` of the enclosing generic, as `to`.
Value index(OpBuilder &b, Location loc, unsigned dim, Type to);

Value empty(OpBuilder &b, Location loc, RankedTensorType t);
Value zeros(OpBuilder &b, Location loc, RankedTensorType t);

/// A generic op with the given maps and iterators whose body yields one value.
Value generic(OpBuilder &b, Location loc, RankedTensorType resultType,
              ValueRange inputs, Value init, ArrayRef<AffineMap> maps,
              ArrayRef<IteratorType> iterators, BodyFn body);

/// An element-wise generic over `resultType`'s iteration space: every input
/// has the result's shape. `init` defaults to a fresh tensor.
Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                  ValueRange inputs, BodyFn body, Value init = {});

/// Pads H and W (dims 2 and 3) of a rank-4 tensor with `value`, as a
/// gather (not tensor.pad): it bufferizes to plain loads and stores, with no
/// strided copy that would need a runtime library.
Value padSpatial(OpBuilder &b, Location loc, Value x, int64_t ph, int64_t pw,
                 int64_t value);

/// The row-major flat index of the current element of a generic with
/// `shape` as its iteration space, as i64.
Value flatIndex(OpBuilder &b, Location loc, ArrayRef<int64_t> shape);

/// Names the matmul-like generics, so that a target can hand them to a
/// microkernel after bufferization (see intc-use-microkernels).
Value tagKernel(Value result, StringRef kernel);

AffineMap map(OpBuilder &b, unsigned dims, ArrayRef<AffineExpr> results);

} // namespace mlir::intc::lowering

#endif // INTC_PASSES_LOWERTOLINALG_BUILDERS_H
