//===- Passes.h - Passes of the CPU target ----------------------*- C++ -*-===//

#ifndef INTC_LIB_TARGET_CPU_TRANSFORMS_PASSES_H
#define INTC_LIB_TARGET_CPU_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::intc::cpu {

#define GEN_PASS_DECL
#include "lib/Target/CPU/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "lib/Target/CPU/Transforms/Passes.h.inc"

} // namespace mlir::intc::cpu

#endif // INTC_LIB_TARGET_CPU_TRANSFORMS_PASSES_H
