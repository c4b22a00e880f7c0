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

#include "mlir/Interfaces/FunctionInterfaces.h"
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

  /// The patterns build static linalg loops: a step op with a dynamic (or
  /// rank-0) tensor is reported rather than lowered into invalid IR.
  static LogicalResult checkStaticShapes(Operation *op) {
    auto bad = [](Type t) {
      auto ranked = llvm::dyn_cast<RankedTensorType>(t);
      return ranked && (!ranked.hasStaticShape() || ranked.getRank() == 0);
    };
    for (Type t :
         llvm::concat<const Type>(op->getOperandTypes(), op->getResultTypes()))
      if (bad(t))
        return op->emitOpError()
               << "has type " << t
               << "; intc-lower-to-linalg needs static shapes of rank >= 1 "
                  "(intc-expand-training fixes the batch)";
    return success();
  }

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    lowering::populateMatmulLikePatterns(patterns);
    lowering::populateElementwisePatterns(patterns);
    lowering::populateSgdUpdatePatterns(patterns, fastDivision);
    lowering::populatePoolingPatterns(patterns);
    FrozenRewritePatternSet frozen(std::move(patterns));
    // Model ops stay (intc-expand-training keeps them by default); only the
    // step-level ops inside functions are lowered.
    Dialect *intc = getContext().getLoadedDialect("intc");
    for (auto fn : getOperation().getOps<FunctionOpInterface>()) {
      WalkResult shapes = fn->walk([&](Operation *op) {
        return op->getDialect() == intc && failed(checkStaticShapes(op))
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      });
      if (shapes.wasInterrupted() || failed(applyPatternsGreedily(fn, frozen)))
        return signalPassFailure();
    }
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
