//===- VerifyModel.cpp - Shape inference and NITRO constants --------------===//
//
// intc-verify-model: refines every layer's result type to the inferred one and
// attaches the derived constants (#intc.derived) that the expansion reads.
//
//===----------------------------------------------------------------------===//

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
  if (failed(infer.inferReturnTypes(
          op->getContext(), op->getLoc(), op->getOperands(),
          op->getAttrDictionary(), op->getPropertiesStorage(),
          op->getRegions(), inferred)))
    return failure();
  for (auto [result, type] : llvm::zip_equal(op->getResults(), inferred)) {
    // A declared type may leave dimensions open, but must not contradict
    // what the now-known input gives.
    if (failed(verifyCompatibleShape(result.getType(), type)))
      return op->emitOpError()
             << "declares result type " << result.getType()
             << ", but its input " << op->getOperand(0).getType()
             << " gives " << type;
    result.setType(type);
  }
  return success();
}

struct VerifyModelPass : intc::impl::VerifyModelBase<VerifyModelPass> {
  void runOnOperation() override {
    WalkResult result = getOperation().walk([&](ModelOp model) {
      for (Operation &op : model.getBody().front().without_terminator()) {
        if (failed(refineResultTypes(&op)))
          return WalkResult::interrupt();
        if (!llvm::isa<LocalLinearBlockOp, LocalConvBlockOp, OutputLayerOp>(op))
          continue;
        FailureOr<DerivedAttr> derived = deriveLayerConstants(&op);
        if (failed(derived))
          return WalkResult::interrupt();
        op.setAttr("derived", *derived);
      }
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      return signalPassFailure();
  }
};

} // namespace
