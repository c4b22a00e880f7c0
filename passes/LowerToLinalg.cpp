//===- LowerToLinalg.cpp - Step-level ops -> linalg on tensors ------------===//
//
// intc-lower-to-linalg: every step-level op becomes linalg.generic (or a
// tensor reshape/pad) with arith bodies. The bodies state the integer
// semantics of the ops exactly; see each op's description in IntcStepOps.td.
// The patterns live in passes/LowerToLinalg/, one file per family of ops.
//
//===----------------------------------------------------------------------===//

#include "passes/LowerToLinalg/Patterns.h"
#include "passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::intc {
#define GEN_PASS_DEF_LOWERTOLINALG
#include "passes/Passes.h.inc"
} // namespace mlir::intc

using namespace mlir;
using namespace mlir::intc;

namespace {

struct LowerToLinalgPass : intc::impl::LowerToLinalgBase<LowerToLinalgPass> {
  using LowerToLinalgBase::LowerToLinalgBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    lowering::populateMatmulLikePatterns(patterns);
    lowering::populateElementwisePatterns(patterns);
    lowering::populateSgdUpdatePatterns(patterns, fastDivision);
    lowering::populatePoolingPatterns(patterns);
    // Model ops stay; only the step-level ops inside functions are lowered.
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    WalkResult left = getOperation().walk([&](Operation *op) {
      if (op->getDialect() == op->getContext()->getLoadedDialect("intc") &&
          !op->getParentOfType<ModelOp>() && !llvm::isa<ModelOp>(op)) {
        op->emitOpError("was not lowered to linalg");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (left.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
