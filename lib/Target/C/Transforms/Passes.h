//===- Passes.h - Passes of the C target ------------------------*- C++ -*-===//

#ifndef INTC_LIB_TARGET_C_TRANSFORMS_PASSES_H
#define INTC_LIB_TARGET_C_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::intc::c {

#define GEN_PASS_DECL
#include "lib/Target/C/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Target/C/Transforms/Passes.h.inc"

} // namespace mlir::intc::c

#endif // INTC_LIB_TARGET_C_TRANSFORMS_PASSES_H
