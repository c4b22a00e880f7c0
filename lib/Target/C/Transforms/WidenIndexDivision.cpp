//===- WidenIndexDivision.cpp - index division in i64 for EmitC -----------===//
//
// intc-widen-index-division: EmitC's `index` is `size_t`, so signed index
// division would come out unsigned and unsigned index division has no
// lowering. Both are done in i64 instead, where C has the exact semantics.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/C/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::intc::c {
#define GEN_PASS_DEF_WIDENINDEXDIVISION
#include "lib/Target/C/Transforms/Passes.h.inc"
} // namespace mlir::intc::c

using namespace mlir;

namespace {

/// Op on index -> casts to i64 (sign- or zero-extending like the op),
/// the same op on i64, and a cast back.
template <typename OpTy, bool isSigned>
struct WidenIndexOp : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (!op.getType().isIndex())
      return failure();
    Location loc = op.getLoc();
    Type i64 = rewriter.getI64Type();
    auto cast = [&](Value v, Type to) -> Value {
      if (isSigned)
        return arith::IndexCastOp::create(rewriter, loc, to, v);
      return arith::IndexCastUIOp::create(rewriter, loc, to, v);
    };
    Value lhs = cast(op.getLhs(), i64);
    Value rhs = cast(op.getRhs(), i64);
    Value wide = OpTy::create(rewriter, loc, lhs, rhs);
    rewriter.replaceOp(op, cast(wide, rewriter.getIndexType()));
    return success();
  }
};

struct WidenIndexDivisionPass
    : intc::c::impl::WidenIndexDivisionBase<WidenIndexDivisionPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<WidenIndexOp<arith::DivSIOp, true>,
                 WidenIndexOp<arith::RemSIOp, true>,
                 WidenIndexOp<arith::DivUIOp, false>,
                 WidenIndexOp<arith::RemUIOp, false>>(&getContext());
    // Casts of constants fold, so a constant divisor stays a literal.
    GreedyRewriteConfig config;
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
