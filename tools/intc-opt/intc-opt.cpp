//===- intc-opt.cpp - The IntC optimizer driver ---------------------------===//
//
// mlir-opt for intc: every upstream dialect and pass plus the IntC dialect and
// passes. The lit tests drive every pass through it.
//
//===----------------------------------------------------------------------===//

#include "dialect/IntcDialect.h"
#include "lib/Pipeline/Pipelines.h"
#include "lib/Target/C/Transforms/Passes.h"
#include "lib/Target/CPU/Transforms/Passes.h"
#include "lib/Target/CUDA/Transforms/Passes.h"
#include "passes/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<mlir::intc::IntcDialect>();
  // gpu-module-to-binary (intc-cuda-pipeline) serialises through these.
  mlir::intc::registerCudaTargetInterfaces(registry);
  mlir::registerAllPasses();
  mlir::intc::registerIntcPasses();
  mlir::intc::c::registerIntcCPasses();
  mlir::intc::cpu::registerIntcCpuPasses();
  mlir::intc::cuda::registerIntcCudaPasses();
  mlir::intc::registerPipelines();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "IntC optimizer driver\n", registry));
}
