//===- Passes.h - Passes of the cuda target ---------------------*- C++ -*-===//

#ifndef INTC_LIB_TARGET_CUDA_TRANSFORMS_PASSES_H
#define INTC_LIB_TARGET_CUDA_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::intc::cuda {

#define GEN_PASS_DECL
#include "lib/Target/CUDA/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Target/CUDA/Transforms/Passes.h.inc"

} // namespace mlir::intc::cuda

#endif // INTC_LIB_TARGET_CUDA_TRANSFORMS_PASSES_H
