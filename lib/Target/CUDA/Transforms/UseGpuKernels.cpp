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
    for (linalg::GenericOp op : collectTaggedKernels(module))
      replaceDenseKernel(module, op, "intc_cuda_");
  }
};

} // namespace
