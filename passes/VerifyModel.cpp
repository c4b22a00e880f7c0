//===- VerifyModel.cpp - Shape inference and NITRO constants --------------===//
//
// intc-verify-model: refines every layer's result type to the inferred one and
// attaches the derived constants (#intc.derived) that the expansion reads.
//
//===----------------------------------------------------------------------===//

#include "dialect/IntcLimits.h"
#include "dialect/IntcModelLayout.h"
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"

namespace mlir::intc {
#define GEN_PASS_DEF_VERIFYMODEL
#include "passes/Passes.h.inc"
} // namespace mlir::intc

using namespace mlir;
using namespace mlir::intc;

namespace {

/// Re-runs the op's type inference on its (possibly just refined) operands
/// and sets the result types.
LogicalResult refineResultTypes(Operation *op) {
  auto infer = llvm::dyn_cast<InferTypeOpInterface>(op);
  if (!infer)
    return success();
  SmallVector<Type> inferred;
  if (failed(infer.inferReturnTypes(op->getContext(), op->getLoc(),
                                    op->getOperands(), op->getAttrDictionary(),
                                    op->getPropertiesStorage(),
                                    op->getRegions(), inferred)))
    return failure();
  for (auto [result, type] : llvm::zip_equal(op->getResults(), inferred)) {
    // A declared type may leave dimensions open, but must not contradict
    // what the now-known input gives.
    if (failed(verifyCompatibleShape(result.getType(), type)))
      return op->emitOpError()
             << "declares result type " << result.getType()
             << ", but its input " << op->getOperand(0).getType() << " gives "
             << type;
    result.setType(type);
  }
  return success();
}

/// Every layer's samples must stay indexable with int32 (IntcLimits.h): a
/// `features` or channel count that large is a typo, not a model.
LogicalResult checkResultSize(Operation *op) {
  for (Value result : op->getResults()) {
    auto type = llvm::dyn_cast<RankedTensorType>(result.getType());
    if (!type)
      continue;
    if (!limits::boundedElements(type.getShape().drop_front()))
      return op->emitOpError()
             << "gives samples of more than " << limits::kMaxElements
             << " elements (" << type << ")";
  }
  return success();
}

struct VerifyModelPass : intc::impl::VerifyModelBase<VerifyModelPass> {
  void runOnOperation() override {
    WalkResult result = getOperation().walk([&](ModelOp model) {
      for (Operation &op : model.getBody().front().without_terminator()) {
        if (failed(refineResultTypes(&op)) || failed(checkResultSize(&op)))
          return WalkResult::interrupt();
        if (!llvm::isa<LocalLinearBlockOp, LocalConvBlockOp, OutputLayerOp>(op))
          continue;
        FailureOr<DerivedAttr> derived = deriveLayerConstants(&op);
        if (failed(derived))
          return WalkResult::interrupt();
        op.setAttr("derived", *derived);
        if (auto conv = llvm::dyn_cast<LocalConvBlockOp>(op);
            conv && effectiveConvLrAmp(conv, *derived) > limits::kMaxLrAmp) {
          conv.emitOpError() << "lr_amp adjusted by adjust_conv_lr_amp "
                                "exceeds "
                             << limits::kMaxLrAmp;
          return WalkResult::interrupt();
        }
      }
      // The state's size limits (ModelLayout reports them).
      if (failed(ModelLayout::get(model)))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
  }
};

} // namespace
