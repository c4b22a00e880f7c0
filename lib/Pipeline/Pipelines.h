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

struct PipelineOptions : public PassPipelineOptions<PipelineOptions> {
  Option<int64_t> batch{*this, "batch",
                        llvm::cl::desc("Batch size (0: the model's batch)"),
                        llvm::cl::init(0)};
  Option<bool> microkernels{
      *this, "microkernels",
      llvm::cl::desc("CPU: call the runtime/cpu kernels for matmul-like "
                     "reductions (else plain loops)"),
      llvm::cl::init(true)};
};

/// Model -> step-level functions on tensors: intc-verify-model and
/// intc-expand-training (the model op is removed).
void buildStepPipeline(OpPassManager &pm, const PipelineOptions &options);

/// Step-level functions -> bufferized linalg on memrefs. `fastDivision` is
/// intc-lower-to-linalg's option: its magic-number division needs i128,
/// which C99 lacks.
void buildBufferizePipeline(OpPassManager &pm, bool fastDivision = true);

/// Model -> LLVM dialect with the bare-pointer calling convention, for the
/// CPU target: step pipeline, linalg lowering, bufferization, loops, LLVM.
void buildCpuPipeline(OpPassManager &pm, const PipelineOptions &options);

/// Model -> EmitC, for the C target: step pipeline, linalg lowering (exact
/// division, no i128), bufferization into the planned arena, loops,
/// intc-flatten-memrefs, convert-to-emitc and intc-verify-integer-only.
void buildCPipeline(OpPassManager &pm, const PipelineOptions &options);

/// Registers the pipelines above as intc-step-pipeline, intc-cpu-pipeline
/// and intc-c-pipeline.
void registerPipelines();

} // namespace mlir::intc

#endif // INTC_LIB_PIPELINE_PIPELINES_H
