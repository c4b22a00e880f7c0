//===- IntcOps.h - IntC operations ------------------------------*- C++ -*-===//

#ifndef INTC_DIALECT_INTCOPS_H
#define INTC_DIALECT_INTCOPS_H

#include "dialect/IntcAttrs.h"
#include "dialect/IntcDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferIntRangeInterface.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::intc {
class ModelOp;
class OutputLayerOp;
class YieldOp;
} // namespace mlir::intc

#define GET_OP_CLASSES
#include "dialect/IntcOps.h.inc"

#endif // INTC_DIALECT_INTCOPS_H

namespace mlir::intc {

/// Recomputes the derived constants (#intc.derived) of a model-level block or
/// output layer from its inferred input shape and the enclosing model. Emits
/// an error at the op and fails when they cannot be derived.
FailureOr<DerivedAttr> deriveLayerConstants(Operation *layer);

/// The conv encoder's effective lr_amp: `lr_amp`, or, with the model's
/// `adjust_conv_lr_amp`, lr_amp·(d² // (ks_h·ks_w)) (ALGORITHM.md §11 Q1).
int64_t effectiveConvLrAmp(LocalConvBlockOp op, DerivedAttr derived);

} // namespace mlir::intc
