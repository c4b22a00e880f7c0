//===- ExtractStage.cpp - One pipeline stage of a model -------------------===//
//
// intc-extract-stage: cuts every model into pipeline stages by the rule of
// dialect/IntcModelStages.h and keeps one of them.
//
//===----------------------------------------------------------------------===//

#include "dialect/IntcModelStages.h"
#include "passes/Passes.h"

namespace mlir::intc {
#define GEN_PASS_DEF_EXTRACTSTAGE
#include "passes/Passes.h.inc"
} // namespace mlir::intc

using namespace mlir;
using namespace mlir::intc;

namespace {
struct ExtractStagePass : intc::impl::ExtractStageBase<ExtractStagePass> {
  using ExtractStageBase::ExtractStageBase;

  void runOnOperation() override {
    SmallVector<ModelOp> models(getOperation().getOps<ModelOp>());
    for (ModelOp model : models) {
      if (model.getStage()) {
        model.emitOpError()
            << "is already a pipeline stage; cut the whole model";
        return signalPassFailure();
      }
      // The cost estimate reads the derived constants.
      for (Operation *block : localBlocks(model))
        if (!block->hasAttr("derived")) {
          block->emitOpError()
              << "has no derived constants; run intc-verify-model first";
          return signalPassFailure();
        }
      std::string error;
      FailureOr<SmallVector<int64_t>> first =
          partitionStages(model, stages, cuts, error);
      if (failed(first)) {
        model.emitOpError() << error;
        return signalPassFailure();
      }
      if (stage < 0 || stage >= stages) {
        model.emitOpError()
            << "has no pipeline stage " << int64_t(stage)
            << ": stages are numbered 0 to " << int64_t(stages) - 1;
        return signalPassFailure();
      }
      if (failed(extractStage(model, stage, *first)))
        return signalPassFailure();
    }
  }
};
} // namespace
