//===- PipelineStages.cpp - A model's pipeline stages for a run -----------===//

#include "lib/Driver/PipelineStages.h"

#include "dialect/IntcModelStages.h"
#include "passes/Passes.h"

#include "mlir/Pass/PassManager.h"

using namespace mlir;
using namespace mlir::intc;

namespace intc::driver {

/// Bytes of one sample of a batch value.
static int64_t sampleBytes(Value v) {
  auto type = llvm::cast<RankedTensorType>(v.getType());
  int64_t n = type.getElementTypeBitWidth() / 8;
  for (int64_t d : type.getShape().drop_front())
    n *= d;
  return n;
}

llvm::Expected<host::PipelinePlan> planPipeline(const LoadedModel &loaded,
                                                int64_t stages,
                                                llvm::ArrayRef<int64_t> cuts,
                                                int dataRanks, int64_t batch) {
  ModelOp model = loaded.model;
  std::string error;
  FailureOr<SmallVector<int64_t>> first =
      partitionStages(model, stages, cuts, error);
  if (failed(first))
    return llvm::createStringError(error);
  SmallVector<Operation *> blocks = localBlocks(model);
  const ModelLayout &layout = loaded.layout;
  host::PipelinePlan plan;
  plan.dataRanks = dataRanks;
  plan.globalBatch = batch;
  plan.numClasses = static_cast<uint32_t>(model.getNumClasses());
  plan.numWeights = layout.numWeights;
  for (int64_t s = 0; s < stages; ++s) {
    host::PipelineStage stage;
    stage.firstBlock = (*first)[s];
    const int64_t end =
        s + 1 < stages ? (*first)[s + 1] : static_cast<int64_t>(blocks.size());
    stage.numBlocks = end - stage.firstBlock;
    stage.stateOffset =
        s ? layout.find(blocks[stage.firstBlock], /*head=*/false)->offset : 0;
    stage.inputBytes = s ? sampleBytes(blocks[stage.firstBlock]->getOperand(0))
                         : sampleBytes(model.getInput());
    plan.stages.push_back(stage);
  }
  for (int64_t s = 0; s < stages; ++s) {
    host::PipelineStage &stage = plan.stages[s];
    const bool last = s + 1 == stages;
    stage.stateCount =
        (last ? layout.numWeights : plan.stages[s + 1].stateOffset) -
        stage.stateOffset;
    stage.outputBytes =
        last ? model.getNumClasses() : plan.stages[s + 1].inputBytes;
  }
  return plan;
}

llvm::Expected<LoadedModel> loadStage(const LoadedModel &loaded,
                                      const host::PipelinePlan &plan,
                                      int index) {
  LoadedModel stage;
  stage.path = loaded.path;
  stage.module = cloneModelModule(loaded);
  ExtractStageOptions options;
  options.stage = index;
  options.stages = static_cast<int64_t>(plan.stages.size());
  for (size_t s = 1; s < plan.stages.size(); ++s)
    options.cuts.push_back(plan.stages[s].firstBlock);
  PassManager pm(&context());
  pm.addPass(createExtractStage(options));
  if (failed(pm.run(*stage.module)))
    return llvm::createStringError("cannot cut pipeline stage " +
                                   std::to_string(index) + " out of model '" +
                                   loaded.model.getSymName().str() + "'");
  stage.model = *stage.module->getOps<ModelOp>().begin();
  FailureOr<ModelLayout> layout = ModelLayout::get(stage.model);
  if (failed(layout))
    return llvm::createStringError("pipeline stage " + std::to_string(index) +
                                   " has no valid state layout");
  stage.layout = std::move(*layout);
  // The stage's state is the whole model's from its first tensor on: same
  // names, shapes and relative offsets.
  const host::PipelineStage &planned = plan.stages[size_t(index)];
  bool same = stage.layout.numWeights == planned.stateCount;
  for (const StateTensor &t : stage.layout.tensors) {
    const StateTensor *whole =
        llvm::find_if(loaded.layout.tensors,
                      [&](const StateTensor &w) { return w.name == t.name; });
    same = same && whole != loaded.layout.tensors.end() &&
           whole->shape == t.shape &&
           whole->offset == planned.stateOffset + t.offset &&
           whole->initStream == t.initStream;
  }
  if (!same)
    return llvm::createStringError(
        "pipeline stage " + std::to_string(index) +
        "'s weights are not laid out as the whole model's");
  return stage;
}

/// 1234567 -> "1.2M" (rounded to tenths, integers only).
static std::string formatMacs(int64_t n) {
  static const char *const kUnits[] = {"", "k", "M", "G", "T"};
  int unit = 0;
  int64_t scale = 1;
  while (unit < 4 && n >= scale * 1000) {
    scale *= 1000;
    ++unit;
  }
  if (!unit)
    return std::to_string(n);
  const int64_t tenths = (n * 10 + scale / 2) / scale;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) +
         kUnits[unit];
}

std::string describeStages(const LoadedModel &loaded,
                           const host::PipelinePlan &plan) {
  SmallVector<int64_t> macs = blockTrainingMacs(loaded.model);
  std::string text;
  for (size_t s = 0; s < plan.stages.size(); ++s) {
    const host::PipelineStage &stage = plan.stages[s];
    int64_t cost = 0;
    for (int64_t b = 0; b < stage.numBlocks; ++b)
      cost += macs[size_t(stage.firstBlock + b)];
    const int64_t lastBlock = stage.firstBlock + stage.numBlocks - 1;
    const int firstRank = int(s) * plan.dataRanks;
    text += (s ? "; stage " : "stage ") + std::to_string(s) + ": block" +
            (stage.numBlocks > 1 ? "s " + std::to_string(stage.firstBlock) +
                                       "-" + std::to_string(lastBlock)
                                 : " " + std::to_string(stage.firstBlock)) +
            (plan.dataRanks > 1
                 ? " (ranks " + std::to_string(firstRank) + "-" +
                       std::to_string(firstRank + plan.dataRanks - 1) + ")"
                 : " (rank " + std::to_string(firstRank) + ")") +
            ", " + formatMacs(cost) + " MACs/sample";
  }
  return text;
}

} // namespace intc::driver
