//===- PipelineStages.h - A model's pipeline stages for a run ---*- C++ -*-===//
//
// `mpirun -np N intc train -pipeline-stages=S`: every rank plans the same
// S stages of the loaded model (dialect/IntcModelStages.h: the blocks each
// stage holds, its part of the state, the activations between stages) and
// compiles its own stage, a model of its own made by intc-extract-stage.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_DRIVER_PIPELINESTAGES_H
#define INTC_LIB_DRIVER_PIPELINESTAGES_H

#include "lib/Driver/ModelLoader.h"
#include "runtime/host/PipelineRunner.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace intc::driver {

/// The S = \p stages stages of \p loaded for \p dataRanks ranks per stage
/// and a global batch of \p batch (cuts: as -pipeline-cuts, else the
/// balanced split). Fails with a readable reason when they do not fit.
llvm::Expected<host::PipelinePlan> planPipeline(const LoadedModel &loaded,
                                                int64_t stages,
                                                llvm::ArrayRef<int64_t> cuts,
                                                int dataRanks, int64_t batch);

/// Stage \p index of \p plan as a model of its own, ready for createRunner;
/// checks that its tensors are the whole model's in the plan's range.
llvm::Expected<LoadedModel>
loadStage(const LoadedModel &loaded, const host::PipelinePlan &plan, int index);

/// "stage 0: blocks 0-2 (ranks 0-1), 457M MACs/sample; stage 1: ..." for
/// the run header: what each stage holds and its estimated work.
std::string describeStages(const LoadedModel &loaded,
                           const host::PipelinePlan &plan);

} // namespace intc::driver

#endif // INTC_LIB_DRIVER_PIPELINESTAGES_H
