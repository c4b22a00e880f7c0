//===- SparseWgrad.cpp - Sparse conv weight gradients ---------------------===//
//
// intc-sparse-wgrad: the δ that reaches a conv encoder is non-zero only at
// the learning-pool argmax positions, so its weight gradient needs only
// those positions (ALGORITHM.md §6.5, §13.4).
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::intc {
#define GEN_PASS_DEF_SPARSEWGRAD
#include "passes/Passes.h.inc"
} // namespace mlir::intc

using namespace mlir;
using namespace mlir::intc;

namespace {

struct SparsifyConvWeightGrad : OpRewritePattern<Conv2dWeightGradOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(Conv2dWeightGradOp op,
                                PatternRewriter &b) const override {
    auto act = op.getDelta().getDefiningOp<ActivationGradOp>();
    if (!act || !act->hasOneUse())
      return b.notifyMatchFailure(op, "delta is not an activation backward");
    ActivationKind kind = act.getKind().getKind();
    // The bipolar masks depend on the position, which a gather changes.
    if (kind == ActivationKind::BipolarLeakyRelu ||
        kind == ActivationKind::BipolarPocketRelu)
      return b.notifyMatchFailure(op, "position-dependent activation");
    auto route = act.getDelta().getDefiningOp<MaxPoolGradOp>();
    if (!route || !route->hasOneUse())
      return b.notifyMatchFailure(op, "delta is not routed by a max pool");

    Location loc = op.getLoc();
    Value grid = route.getDelta(), indices = route.getIndices();
    auto gridType = llvm::cast<RankedTensorType>(grid.getType());
    auto preType = llvm::cast<RankedTensorType>(act.getInput().getType());
    auto fullType = llvm::cast<RankedTensorType>(route.getOutput().getType());
    Value preAt = MaxPoolGatherOp::create(
        b, loc, gridType.clone(preType.getElementType()), act.getInput(),
        indices);
    Value dAct = ActivationGradOp::create(b, loc, grid.getType(), preAt, grid,
                                          act.getKind());
    b.replaceOpWithNewOp<Conv2dWeightGradSparseOp>(
        op, op.getOutput().getType(), dAct, indices, op.getInput(),
        op.getPaddingAttr(),
        b.getDenseI64ArrayAttr(
            {fullType.getDimSize(2), fullType.getDimSize(3)}));
    return success();
  }
};

struct SparseWgradPass : intc::impl::SparseWgradBase<SparseWgradPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SparsifyConvWeightGrad>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
