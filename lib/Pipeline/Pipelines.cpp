//===- Pipelines.cpp - Named IntC pass pipelines --------------------------===//

#include "lib/Pipeline/Pipelines.h"
#include "passes/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::intc;

void intc::buildStepPipeline(OpPassManager &pm,
                             const CodegenOptions &options) {
  pm.addPass(createVerifyModel());
  ExpandTrainingOptions expand;
  expand.batch = options.batch;
  expand.keepModel = false;
  pm.addPass(createExpandTraining(expand));
  pm.addPass(createSparseWgrad());
}

void intc::buildBufferizePipeline(OpPassManager &pm,
                                  const LoweringOptions &options) {
  LowerToLinalgOptions lower;
  lower.fastDivision = options.fastDivision;
  pm.addPass(createLowerToLinalg(lower));
  FuseOptions fuse;
  fuse.scratchBytes = options.fuseScratchBytes;
  fuse.weightUpdates = options.fuseWeightUpdates;
  pm.addPass(createFuse(fuse));
  if (options.tileCacheBytes > 0) {
    TileOptions tile;
    tile.cacheBytes = options.tileCacheBytes;
    pm.addPass(createTile(tile));
  }
  // No CSE before bufferization: merging two identical `linalg.fill` inits
  // would make two results share a buffer and force a copy.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.addPass(bufferization::createOneShotBufferizePass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // CSE turns the in-place tile writes into self-copies; drop them.
  pm.addPass(createCanonicalizerPass());
  // Temporaries live in one planned arena; anything it cannot place is
  // freed by the deallocation pipeline.
  pm.addPass(createPlanMemory());
  bufferization::buildBufferDeallocationPipeline(pm);
}

void intc::buildCpuPipeline(OpPassManager &pm,
                            const CodegenOptions &options) {
  buildStepPipeline(pm, options);
  buildBufferizePipeline(pm, options.lowering);
  if (options.microkernels)
    pm.addPass(createUseMicrokernels());
  pm.addPass(createConvertLinalgToLoopsPass());
  // Views with dynamic offsets (tiles) expand to affine.apply: lower affine
  // after expanding them.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  // Bare pointers: train_step(int32_t *state, const int8_t *x, ...).
  ConvertFuncToLLVMPassOptions func;
  func.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(func));
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createVerifyIntegerOnly());
}

void intc::registerPipelines() {
  PassPipelineRegistration<PipelineOptions>(
      "intc-step-pipeline",
      "Verify and expand models into step-level training functions",
      [](OpPassManager &pm, const PipelineOptions &o) {
        buildStepPipeline(pm, o.codegen());
      });
  PassPipelineRegistration<PipelineOptions>(
      "intc-cpu-pipeline", "Lower models to the LLVM dialect for the CPU",
      [](OpPassManager &pm, const PipelineOptions &o) {
        buildCpuPipeline(pm, o.codegen());
      });
}
