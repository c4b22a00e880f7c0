//===- Pipelines.h - Named IntC pass pipelines ------------------*- C++ -*-===//
//
// The pass pipelines from a model to each target's dialects. They are
// registered by name, so `intc-opt -intc-cpu-pipeline` runs exactly what
// `intc -target=cpu` runs.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_PIPELINE_PIPELINES_H
#define INTC_LIB_PIPELINE_PIPELINES_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir::intc {

/// How a target lowers the step-level functions (see intc-lower-to-linalg
/// and intc-fuse).
struct LoweringOptions {
  /// Magic-number division in sgd_update (needs 128-bit integers).
  bool fastDivision = true;
  /// Largest int64 accumulator tile intc-fuse may leave materialised.
  int64_t fuseScratchBytes = 4 << 20;
  /// Fuse weight-gradient reductions into their updates (no full gradient
  /// buffer; smaller memory, more but shorter kernel calls).
  bool fuseWeightUpdates = false;
  /// Working-set budget of one reduction tile (intc-tile); 0: no tiling.
  int64_t tileCacheBytes = 1 << 20;
};

struct CodegenOptions;

struct PipelineOptions : public PassPipelineOptions<PipelineOptions> {
  Option<int64_t> batch{*this, "batch",
                        llvm::cl::desc("Batch size (0: the model's batch)"),
                        llvm::cl::init(0)};
  Option<bool> microkernels{
      *this, "microkernels",
      llvm::cl::desc("CPU: call the runtime/cpu kernels for matmul-like "
                     "reductions (else plain loops)"),
      llvm::cl::init(true)};
  Option<bool> parallelLoops{
      *this, "parallel-loops",
      llvm::cl::desc("CPU: run the large element-wise loops on the "
                     "runtime/cpu thread pool (intc_cpu_parallel_for; "
                     "only with microkernels)"),
      llvm::cl::init(true)};
  Option<int64_t> fuseScratchBytes{
      *this, "fuse-scratch-bytes",
      llvm::cl::desc("intc-fuse: largest int64 accumulator tile, in bytes"),
      llvm::cl::init(4 << 20)};
  Option<int64_t> tileCacheBytes{
      *this, "tile-cache-bytes",
      llvm::cl::desc("intc-tile: working-set budget of a tile (0: off)"),
      llvm::cl::init(1 << 20)};
  Option<int64_t> weightBits{
      *this, "weight-bits",
      llvm::cl::desc("Weight storage: 32 (reference) or 16 (saturating)"),
      llvm::cl::init(32)};
  Option<bool> fuseWeightUpdates{
      *this, "fuse-weight-updates",
      llvm::cl::desc("intc-fuse: fuse weight gradients into their updates"),
      llvm::cl::init(false)};
  Option<bool> predictHeads{
      *this, "predict-heads",
      llvm::cl::desc("Also generate predict_heads (cpu; the c and cuda "
                     "pipelines never do)"),
      llvm::cl::init(true)};
  Option<bool> gradientSteps{
      *this, "gradient-steps",
      llvm::cl::desc("Also generate train_grads / apply_grads (and the "
                     "second-step pair) for data-parallel training (cpu and "
                     "cuda; the c pipeline never does)"),
      llvm::cl::init(true)};

  Option<bool> gradsReadyHook{
      *this, "grads-ready-hook",
      llvm::cl::desc("train_grads(2) call intc_grads_ready(offset, count) "
                     "as each block's gradients are final"),
      llvm::cl::init(false)};
  Option<bool> checkOverflow{
      *this, "check-overflow",
      llvm::cl::desc("Prove the int64 accumulations and guard every int32 "
                     "SGD update with intc_overflow (cpu)"),
      llvm::cl::init(false)};

  /// The plain-struct form the builders take.
  struct CodegenOptions codegen() const;
};

/// Device code of the cuda target (see buildCudaPipeline).
struct CudaOptions {
  std::string chip = "sm_90";
  /// PTX ISA of the generated code: sm_90 needs PTX 8.0 (the default,
  /// the minimum for sm_90, would be rejected by older drivers otherwise).
  std::string features = "+ptx80";
  /// gpu-module-to-binary format: isa (PTX, JIT-compiled by the driver),
  /// bin (cubin, needs ptxas) or fatbin.
  std::string format = "isa";
  /// CUDA toolkit for bin/fatbin ("": $CUDA_HOME, else the one CMake found).
  std::string toolkit;
  /// Call the runtime/cuda tensor-core kernels for matmul-like reductions.
  bool gpuKernels = true;
  /// Threads per block of the generated kernels.
  int64_t threads = 256;
};

/// What the pipeline builders take (PipelineOptions is its command-line
/// form, for intc-opt).
struct CodegenOptions {
  int64_t batch = 0; ///< 0: the model's batch
  bool microkernels = true;
  /// cpu: outline the large parallel loops for intc_cpu_parallel_for
  /// (intc-outline-parallel-loops, intc-lower-parallel-calls). Only with
  /// microkernels: both need runtime/cpu.
  bool parallelLoops = true;
  unsigned weightBits = 32; ///< weight storage: 32 or 16 (intc-expand-training)
  /// Generate `<m>_predict_heads` (intc-expand-training). Only the cpu
  /// target lowers it; the c and cuda pipelines turn it off.
  bool predictHeads = true;
  /// Generate the gradient and update halves of train_step
  /// (intc-expand-training's gradient-steps), for data-parallel training
  /// on the cpu and cuda targets; the c pipeline turns them off.
  bool gradientSteps = true;
  /// train_grads(2) report each block's final gradients through the
  /// external intc_grads_ready(offset, count): the JIT runner binds it so
  /// that data-parallel all-reduces overlap the remaining compute; objects
  /// written for linking (-target=cpu -o) leave it out.
  bool gradsReadyHook = false;
  /// intc-expand-training's check-overflow: every int32 SGD update counts
  /// the elements that leave int32 and reports them through the external
  /// intc_overflow(tensor_index, quantity, step, count), which the JIT
  /// runner binds (runtime/host/OverflowGuard.h). The c and cuda pipelines
  /// turn it off.
  bool checkOverflow = false;
  LoweringOptions lowering;
  CudaOptions cuda;
};

inline CodegenOptions PipelineOptions::codegen() const {
  CodegenOptions o;
  o.batch = batch;
  o.microkernels = microkernels;
  o.parallelLoops = parallelLoops;
  o.weightBits = static_cast<unsigned>(weightBits);
  o.predictHeads = predictHeads;
  o.gradientSteps = gradientSteps;
  o.gradsReadyHook = gradsReadyHook;
  o.checkOverflow = checkOverflow;
  o.lowering.fuseScratchBytes = fuseScratchBytes;
  o.lowering.fuseWeightUpdates = fuseWeightUpdates;
  o.lowering.tileCacheBytes = tileCacheBytes;
  return o;
}

/// Model -> step-level functions on tensors: intc-verify-model and
/// intc-expand-training (the model op is removed; predict_heads only with
/// options.predictHeads, the gradient steps only with
/// options.gradientSteps).
void buildStepPipeline(OpPassManager &pm, const CodegenOptions &options);

/// Step-level functions -> bufferized linalg on memrefs, temporaries in a
/// planned arena.
void buildBufferizePipeline(OpPassManager &pm,
                            const LoweringOptions &options = {});

/// Model -> LLVM dialect with the bare-pointer calling convention, for the
/// CPU target: step pipeline, linalg lowering, bufferization, loops, LLVM.
void buildCpuPipeline(OpPassManager &pm, const CodegenOptions &options);

/// Model -> EmitC, for the C target: step pipeline (without predict_heads
/// and the gradient steps),
/// linalg lowering (exact division, no i128), bufferization into the planned
/// arena, loops, intc-flatten-memrefs, convert-to-emitc and
/// intc-verify-integer-only.
void buildCPipeline(OpPassManager &pm, const CodegenOptions &options);

/// The C target's defaults: exact division without i128 (C99 has none),
/// plain loops.
CodegenOptions cCodegenOptions(int64_t batch);

/// Model -> host LLVM dialect + one gpu.binary, for the cuda target: step
/// pipeline (without predict_heads; the gradient steps with
/// options.gradientSteps), bufferization (no
/// host-side fusion or cache tiles: thread blocks are the tiles),
/// intc-use-gpu-kernels, intc-arena-to-argument, parallel loops,
/// intc-map-to-gpu, kernel outlining into one gpu.module, NVVM for
/// `options.cuda.chip`, gpu-to-llvm with bare host pointers and
/// gpu-module-to-binary. intc-verify-integer-only checks host and device code.
/// The context needs the NVVM target and GPU translation interfaces
/// (registerCudaTargetInterfaces).
void buildCudaPipeline(OpPassManager &pm, const CodegenOptions &options);

/// For GPU-less tests of the cuda lowering: buildCudaPipeline up to its
/// gpu.launch ops, which intc-gpu-launch-to-loops then runs as host loops,
/// and the cpu target's lowering to LLVM. The launchers of runtime/cuda's
/// tensor-core kernels are called as before (a test maps them to the
/// runtime/cpu kernels of the same signature).
void buildCudaHostPipeline(OpPassManager &pm, const CodegenOptions &options);

/// Registers in `registry` what buildCudaPipeline's serialisation and the
/// translation of its output to LLVM IR need.
void registerCudaTargetInterfaces(DialectRegistry &registry);

/// intc-cuda-pipeline's options.
struct CudaPipelineOptions : public PassPipelineOptions<CudaPipelineOptions> {
  Option<int64_t> batch{*this, "batch",
                        llvm::cl::desc("Batch size (0: the model's batch)"),
                        llvm::cl::init(0)};
  Option<std::string> chip{*this, "chip", llvm::cl::desc("GPU (sm_XX)"),
                           llvm::cl::init("sm_90")};
  Option<std::string> features{*this, "features",
                               llvm::cl::desc("PTX features (+ptxNN)"),
                               llvm::cl::init("+ptx80")};
  Option<std::string> format{*this, "format",
                             llvm::cl::desc("isa (PTX), bin or fatbin"),
                             llvm::cl::init("isa")};
  Option<bool> gpuKernels{
      *this, "gpu-kernels",
      llvm::cl::desc("Call the runtime/cuda tensor-core kernels"),
      llvm::cl::init(true)};
  Option<bool> gradientSteps{
      *this, "gradient-steps",
      llvm::cl::desc("Also generate train_grads / apply_grads (and the "
                     "second-step pair) for data-parallel training"),
      llvm::cl::init(false)};
};

/// Registers the pipelines above as intc-step-pipeline, intc-cpu-pipeline,
/// intc-c-pipeline and intc-cuda-pipeline.
void registerPipelines();

} // namespace mlir::intc

#endif // INTC_LIB_PIPELINE_PIPELINES_H
