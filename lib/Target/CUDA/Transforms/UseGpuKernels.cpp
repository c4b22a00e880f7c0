//===- UseGpuKernels.cpp - Matmul-like loops -> runtime/cuda launchers ----===//
//
// intc-use-gpu-kernels: replaces the tagged linalg.generic reductions by
// calls to the exact tensor-core kernels of runtime/cuda (the cuda analogue
// of intc-use-microkernels, with the same calling convention).
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CUDA/Transforms/Passes.h"

#include "passes/KernelCalls.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::intc::cuda {
#define GEN_PASS_DEF_USEGPUKERNELS
#include "lib/Target/CUDA/Transforms/Passes.h.inc"
} // namespace mlir::intc::cuda

using namespace mlir;
using namespace mlir::intc;

namespace {

struct UseGpuKernelsPass : cuda::impl::UseGpuKernelsBase<UseGpuKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::GenericOp> generics;
    module.walk([&](linalg::GenericOp op) {
      if (op->hasAttr("intc.kernel") && op.hasPureBufferSemantics())
        generics.push_back(op);
    });
    for (linalg::GenericOp op : generics)
      rewrite(module, op);
  }

  void rewrite(ModuleOp module, linalg::GenericOp op) {
    replaceDenseKernel(module, op, "intc_cuda_");
  }
};

} // namespace
