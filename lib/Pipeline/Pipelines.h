//===- Pipelines.h - Named IntC pass pipelines ------------------*- C++ -*-===//
//
// The pass pipelines from a model to each target's dialects. They are
// registered by name, so `intc-opt -intc-cpu-pipeline` runs exactly what
// `intc -target=cpu` runs.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_PIPELINE_PIPELINES_H
#define INTC_LIB_PIPELINE_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

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

  /// The plain-struct form the builders take.
  struct CodegenOptions codegen() const;
};

/// What the pipeline builders take (PipelineOptions is its command-line
/// form, for intc-opt).
struct CodegenOptions {
  int64_t batch = 0; ///< 0: the model's batch
  bool microkernels = true;
  unsigned weightBits = 32; ///< weight storage: 32 or 16 (intc-expand-training)
  LoweringOptions lowering;
};

inline CodegenOptions PipelineOptions::codegen() const {
  CodegenOptions o;
  o.batch = batch;
  o.microkernels = microkernels;
  o.weightBits = static_cast<unsigned>(weightBits);
  o.lowering.fuseScratchBytes = fuseScratchBytes;
  o.lowering.fuseWeightUpdates = fuseWeightUpdates;
  o.lowering.tileCacheBytes = tileCacheBytes;
  return o;
}

/// Model -> step-level functions on tensors: intc-verify-model and
/// intc-expand-training (the model op is removed).
void buildStepPipeline(OpPassManager &pm, const CodegenOptions &options);

/// Step-level functions -> bufferized linalg on memrefs, temporaries in a
/// planned arena.
void buildBufferizePipeline(OpPassManager &pm,
                            const LoweringOptions &options = {});

/// Model -> LLVM dialect with the bare-pointer calling convention, for the
/// CPU target: step pipeline, linalg lowering, bufferization, loops, LLVM.
void buildCpuPipeline(OpPassManager &pm, const CodegenOptions &options);

/// Model -> EmitC, for the C target: step pipeline, linalg lowering (exact
/// division, no i128), bufferization into the planned arena, loops,
/// intc-flatten-memrefs, convert-to-emitc and intc-verify-integer-only.
void buildCPipeline(OpPassManager &pm, const CodegenOptions &options);

/// The C target's defaults: exact division without i128 (C99 has none),
/// plain loops.
CodegenOptions cCodegenOptions(int64_t batch);

/// Registers the pipelines above as intc-step-pipeline, intc-cpu-pipeline
/// and intc-c-pipeline.
void registerPipelines();

} // namespace mlir::intc

#endif // INTC_LIB_PIPELINE_PIPELINES_H
