//===- ExpandTraining.cpp - Model -> init / train_step / predict(_heads) --===//
//
// intc-expand-training: writes the NITRO-D training step of every model in
// step-level ops (ALGORITHM.md §3.3–§3.7), the same step split into gradient
// and update halves for data-parallel training, and the evaluation forward
// with and without the blocks' heads. The state is one flat int32 memref
// (dialect/IntcModelLayout.h); each weight is read through a view of it and
// written back in place.
//
// A pipeline stage (#intc.stage) expands like any model; one before the
// last has no output layer, and its functions write the activation they
// hand to the next stage where a model writes its logits.
//
//===----------------------------------------------------------------------===//

#include "passes/ExpandTraining/Expander.h"

#include "dialect/IntcLimits.h"
#include "passes/Passes.h"

namespace mlir::intc {
#define GEN_PASS_DEF_EXPANDTRAINING
#include "passes/Passes.h.inc"
} // namespace mlir::intc

using namespace mlir;
using namespace mlir::intc;
using namespace mlir::intc::expand;

namespace {
struct ExpandTrainingPass : intc::impl::ExpandTrainingBase<ExpandTrainingPass> {
  using ExpandTrainingBase::ExpandTrainingBase;

  void runOnOperation() override {
    SmallVector<ModelOp> models(getOperation().getOps<ModelOp>());
    for (ModelOp model : models) {
      FailureOr<ModelLayout> layout = ModelLayout::get(model);
      if (failed(layout))
        return signalPassFailure();
      if (batch < 0 || batch > limits::kMaxBatch) {
        model.emitOpError()
            << "batch option must be in [0, " << limits::kMaxBatch << "], got "
            << static_cast<int64_t>(batch);
        return signalPassFailure();
      }
      int64_t b = batch > 0 ? static_cast<int64_t>(batch) : model.getBatch();
      if (weightBits != 16 && weightBits != 32) {
        model.emitOpError() << "weight-bits must be 16 or 32, got "
                            << static_cast<int64_t>(weightBits);
        return signalPassFailure();
      }
      Expander expander(model, *layout, b, static_cast<unsigned>(weightBits));
      expander.gradsReadyHook = gradsReadyHook;
      expander.checkOverflow = checkOverflow;
      // Created in reverse so they appear as init, train_step, train_grads,
      // apply_grads, train_grads2, apply_grads2, predict, predict_heads. A
      // model without blocks has no heads to report; one without a second
      // local step has no train_grads2 / apply_grads2.
      if (predictHeads && expander.numHeads() > 0)
        expander.buildPredict(/*withHeads=*/true);
      expander.buildPredict(/*withHeads=*/false);
      if (gradientSteps) {
        if (!expander.secondStepBlocks().empty()) {
          expander.buildApplyGrads(/*second=*/true);
          expander.buildTrainGrads2();
        }
        expander.buildApplyGrads(/*second=*/false);
        expander.buildTrainGrads();
      }
      expander.buildTrainStep();
      if (expander.proofFailed)
        return signalPassFailure();
      expander.buildInit();
      if (!keepModel)
        model.erase();
    }
  }
};
} // namespace
