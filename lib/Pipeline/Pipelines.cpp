//===- Pipelines.cpp - Named IntC pass pipelines --------------------------===//

#include "lib/Pipeline/Pipelines.h"
#include "lib/Target/C/Transforms/Passes.h"
#include "lib/Target/CPU/Transforms/Passes.h"
#include "lib/Target/CUDA/Transforms/Passes.h"
#include "passes/Passes.h"

#include "mlir/Conversion/ConvertToEmitC/ConvertToEmitCPass.h"
#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::intc;

void intc::buildStepPipeline(OpPassManager &pm, const CodegenOptions &options) {
  pm.addPass(createVerifyModel());
  ExpandTrainingOptions expand;
  expand.batch = options.batch;
  expand.keepModel = false;
  expand.weightBits = options.weightBits;
  expand.predictHeads = options.predictHeads;
  expand.gradientSteps = options.gradientSteps;
  expand.gradsReadyHook = options.gradsReadyHook;
  expand.checkOverflow = options.checkOverflow;
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

/// Loops, memrefs and scalars to the LLVM dialect for host code (the cpu
/// target and the cuda target's host side), then the integer-only check.
static void addHostLLVMLowering(OpPassManager &pm) {
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
  // Both need runtime/cpu: without the microkernels the object is
  // self-contained, its loops serial.
  if (!options.microkernels || !options.parallelLoops) {
    pm.addPass(createConvertLinalgToLoopsPass());
    addHostLLVMLowering(pm);
    return;
  }
  // The rest of the step (element-wise, loss, updates, pooling) on the
  // runtime/cpu thread pool too: large parallel loops become
  // intc_cpu_parallel_for calls.
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  pm.addPass(cpu::createOutlineParallelLoops());
  addHostLLVMLowering(pm);
  pm.addPass(cpu::createLowerParallelCalls());
}

void intc::buildCPipeline(OpPassManager &pm, const CodegenOptions &options) {
  // The C ABI (model header, firmware) has init, train_step and predict
  // only: more entry points would cost flash and arena for nothing.
  CodegenOptions step = options;
  step.predictHeads = false;
  step.gradientSteps = false;
  // runtime/c has no intc_overflow to report to (the guard is the JIT's).
  step.checkOverflow = false;
  buildStepPipeline(pm, step);
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

/// The cuda pipeline up to host functions whose loop nests are gpu.launch
/// ops (shared by the device build and the GPU-less host emulation).
static void buildCudaLaunchPipeline(OpPassManager &pm,
                                    const CodegenOptions &options) {
  const CudaOptions &device = options.cuda;
  // The cuda runners drive init, train_step, predict and, for data-parallel
  // training, the gradient steps (the AOT header leaves them out); no
  // predict_heads.
  CodegenOptions step = options;
  step.predictHeads = false;
  // The cuda runners bind no intc_overflow (the guard is the cpu JIT's).
  step.checkOverflow = false;
  buildStepPipeline(pm, step);
  // Thread blocks are the tiles: no host-side fusion tiles or cache tiles,
  // whose loops would only split kernels.
  LoweringOptions lowering = options.lowering;
  lowering.fuseWeightUpdates = false;
  lowering.fuseScratchBytes = INT64_MAX;
  lowering.tileCacheBytes = 0;
  buildBufferizePipeline(pm, lowering);
  if (device.gpuKernels)
    pm.addPass(cuda::createUseGpuKernels());
  pm.addPass(cuda::createArenaToArgument());
  pm.addPass(createConvertLinalgToParallelLoopsPass());
  cuda::MapToGpuOptions map;
  map.threads = device.threads;
  pm.addPass(cuda::createMapToGpu(map));
  // Constants and index arithmetic go into the kernels, not their arguments.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createGpuLaunchSinkIndexComputationsPass());
}

void intc::buildCudaPipeline(OpPassManager &pm, const CodegenOptions &options) {
  const CudaOptions &device = options.cuda;
  buildCudaLaunchPipeline(pm, options);
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(cuda::createMergeGpuModules());

  GpuNVVMAttachTargetOptions target;
  target.chip = device.chip;
  target.features = device.features;
  target.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  ConvertGpuOpsToNVVMOpsOptions nvvm;
  nvvm.indexBitwidth = 64;
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertGpuOpsToNVVMOps(nvvm));
  pm.addNestedPass<gpu::GPUModuleOp>(createCanonicalizerPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createCSEPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createReconcileUnrealizedCastsPass());
  // Host: bare pointers, as the cpu target (train_step(int32_t *state, ...)).
  GpuToLLVMConversionPassOptions host;
  host.hostBarePtrCallConv = true;
  pm.addPass(createGpuToLLVMConversionPass(host));
  pm.addPass(createReconcileUnrealizedCastsPass());
  // Device and host code are both LLVM dialect here: check them together,
  // before the device code becomes an opaque binary.
  pm.addPass(createVerifyIntegerOnly());
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = device.format;
  binary.toolkitPath = device.toolkit;
  if (binary.toolkitPath.empty())
    if (const char *home = std::getenv("CUDA_HOME"))
      binary.toolkitPath = home;
#ifdef INTC_CUDA_TOOLKIT_DIR
  if (binary.toolkitPath.empty())
    binary.toolkitPath = INTC_CUDA_TOOLKIT_DIR;
#endif
  pm.addPass(createGpuModuleToBinaryPass(binary));
}

void intc::buildCudaHostPipeline(OpPassManager &pm,
                                 const CodegenOptions &options) {
  buildCudaLaunchPipeline(pm, options);
  pm.addPass(cuda::createGpuLaunchToLoops());
  addHostLLVMLowering(pm);
}

void intc::registerCudaTargetInterfaces(DialectRegistry &registry) {
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
  registerGPUDialectTranslation(registry);
  gpu::registerOffloadingLLVMTranslationInterfaceExternalModels(registry);
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
  PassPipelineRegistration<CudaPipelineOptions>(
      "intc-cuda-pipeline",
      "Lower models to host LLVM dialect and a gpu.binary for the cuda "
      "target",
      [](OpPassManager &pm, const CudaPipelineOptions &o) {
        CodegenOptions c;
        c.batch = o.batch;
        c.cuda.chip = o.chip;
        c.cuda.features = o.features;
        c.cuda.format = o.format;
        c.cuda.gpuKernels = o.gpuKernels;
        c.gradientSteps = o.gradientSteps;
        buildCudaPipeline(pm, c);
      });
  PassPipelineRegistration<PipelineOptions>(
      "intc-c-pipeline", "Lower models to EmitC for the C target",
      [](OpPassManager &pm, const PipelineOptions &o) {
        CodegenOptions c = cCodegenOptions(o.batch);
        c.weightBits = static_cast<unsigned>(o.weightBits);
        buildCPipeline(pm, c);
      });
}
