//===- Pipelines.cpp - Named IntC pass pipelines --------------------------===//

#include "lib/Pipeline/Pipelines.h"
#include "lib/Target/C/Transforms/Passes.h"
#include "passes/Passes.h"

#include "mlir/Conversion/ConvertToEmitC/ConvertToEmitCPass.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::intc;

void intc::buildStepPipeline(OpPassManager &pm, const CodegenOptions &options) {
  pm.addPass(createVerifyModel());
  ExpandTrainingOptions expand;
  expand.batch = options.batch;
  expand.keepModel = false;
  expand.weightBits = options.weightBits;
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

void intc::buildCpuPipeline(OpPassManager &pm, const CodegenOptions &options) {
  buildStepPipeline(pm, options);
  LoweringOptions lowering = options.lowering;
  // The microkernels block for the cache themselves and repack their
  // operands per call: tiling around them only adds calls.
  if (options.microkernels)
    lowering.tileCacheBytes = 0;
  buildBufferizePipeline(pm, lowering);
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

void intc::buildCPipeline(OpPassManager &pm, const CodegenOptions &options) {
  buildStepPipeline(pm, options);
  buildBufferizePipeline(pm, options.lowering);
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  // arith-to-emitc has no min/max: spell them as compare and select.
  pm.addPass(arith::createArithExpandOpsPass());
  // EmitC takes loads and stores on plain arrays only: fold every view into
  // the index, then let CSE share the index arithmetic.
  pm.addPass(c::createFlattenMemRefs());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(c::createWidenIndexDivision());
  pm.addPass(createConvertToEmitC());
  pm.addPass(createVerifyIntegerOnly());
}

CodegenOptions intc::cCodegenOptions(int64_t batch) {
  CodegenOptions o;
  o.batch = batch;
  o.microkernels = false;
  o.lowering.fastDivision = false;
  // RAM is what a microcontroller lacks: every weight gradient is fused
  // into its update (no gradient buffer) and every reduction tile holds at
  // most 1 KiB of int64 accumulators. Smaller tiles cost no recomputation
  // (each sum is still computed once) and there is no cache to tile for.
  o.lowering.fuseWeightUpdates = true;
  o.lowering.fuseScratchBytes = 1024;
  o.lowering.tileCacheBytes = 0;
  return o;
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
  PassPipelineRegistration<PipelineOptions>(
      "intc-c-pipeline", "Lower models to EmitC for the C target",
      [](OpPassManager &pm, const PipelineOptions &o) {
        CodegenOptions c = cCodegenOptions(o.batch);
        c.weightBits = static_cast<unsigned>(o.weightBits);
        buildCPipeline(pm, c);
      });
}
