//===- MatmulLike.cpp - linear, conv2d and their gradients ----------------===//
//
// The matmul-like step ops become tagged linalg.generic reductions with an
// exact multiply-accumulate body (intc.kernel names them for the targets'
// microkernels).
//
//===----------------------------------------------------------------------===//

#include "passes/LowerToLinalg/Builders.h"
#include "passes/LowerToLinalg/Patterns.h"

#include "dialect/IntcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::intc;
using namespace mlir::intc::lowering;

namespace {

/// acc + ext(a)·ext(b) in the accumulator type (exact, or wrapping when the
/// accumulator is narrower than the true sum, like int32 arithmetic).
Value mulAcc(OpBuilder &b, Location loc, ValueRange args) {
  Type acc = args[2].getType();
  Value lhs = castInt(b, loc, args[0], acc);
  Value rhs = castInt(b, loc, args[1], acc);
  Value p = arith::MulIOp::create(b, loc, lhs, rhs);
  return arith::AddIOp::create(b, loc, args[2], p);
}

struct LowerLinear : OpRewritePattern<LinearOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LinearOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    AffineExpr bi, o, i;
    bindDims(b.getContext(), bi, o, i);
    RankedTensorType t = tensorType(op.getOutput());
    b.replaceOp(
        op, tagKernel(generic(b, loc, t, {op.getInput(), op.getWeight()},
                              zeros(b, loc, t),
                              {map(b, 3, {bi, i}), map(b, 3, {o, i}),
                               map(b, 3, {bi, o})},
                              {IteratorType::parallel, IteratorType::parallel,
                               IteratorType::reduction},
                              mulAcc),
                      "linear"));
    return success();
  }
};

struct LowerLinearWeightGrad : OpRewritePattern<LinearWeightGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LinearWeightGradOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    AffineExpr o, i, bi;
    bindDims(b.getContext(), o, i, bi);
    RankedTensorType t = tensorType(op.getOutput());
    b.replaceOp(
        op,
        tagKernel(
            generic(b, loc, t, {op.getDelta(), op.getInput()}, zeros(b, loc, t),
                    {map(b, 3, {bi, o}), map(b, 3, {bi, i}), map(b, 3, {o, i})},
                    {IteratorType::parallel, IteratorType::parallel,
                     IteratorType::reduction},
                    mulAcc),
            "linear_wgrad"));
    return success();
  }
};

struct LowerLinearInputGrad : OpRewritePattern<LinearInputGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LinearInputGradOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    // Loops (b, o, i): the reduction over o sits outside the loop over i, so
    // the innermost loop runs along rows of W and of the result (a broadcast
    // multiply-add that vectorises) instead of down a column of W.
    AffineExpr bi, o, i;
    bindDims(b.getContext(), bi, o, i);
    RankedTensorType t = tensorType(op.getOutput());
    b.replaceOp(
        op,
        generic(b, loc, t, {op.getDelta(), op.getWeight()}, zeros(b, loc, t),
                {map(b, 3, {bi, o}), map(b, 3, {o, i}), map(b, 3, {bi, i})},
                {IteratorType::parallel, IteratorType::reduction,
                 IteratorType::parallel},
                mulAcc));
    return success();
  }
};

struct LowerConv2d : OpRewritePattern<Conv2dOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2dOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    int64_t p = op.getPadding();
    Value x = padSpatial(b, loc, op.getInput(), p, p, 0);
    AffineExpr m, f, i, j, c, u, v;
    bindDims(b.getContext(), m, f, i, j, c, u, v);
    RankedTensorType t = tensorType(op.getOutput());
    auto red = IteratorType::reduction, par = IteratorType::parallel;
    b.replaceOp(
        op,
        tagKernel(generic(b, loc, t, {x, op.getWeight()}, zeros(b, loc, t),
                          {map(b, 7, {m, c, i + u, j + v}),
                           map(b, 7, {f, c, u, v}), map(b, 7, {m, f, i, j})},
                          {par, par, par, par, red, red, red}, mulAcc),
                  "conv2d"));
    return success();
  }
};

struct LowerConv2dWeightGrad : OpRewritePattern<Conv2dWeightGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2dWeightGradOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    int64_t p = op.getPadding();
    Value x = padSpatial(b, loc, op.getInput(), p, p, 0);
    AffineExpr f, c, u, v, m, i, j;
    bindDims(b.getContext(), f, c, u, v, m, i, j);
    RankedTensorType t = tensorType(op.getOutput());
    auto red = IteratorType::reduction, par = IteratorType::parallel;
    b.replaceOp(
        op, tagKernel(generic(b, loc, t, {op.getDelta(), x}, zeros(b, loc, t),
                              {map(b, 7, {m, f, i, j}),
                               map(b, 7, {m, c, i + u, j + v}),
                               map(b, 7, {f, c, u, v})},
                              {par, par, par, par, red, red, red}, mulAcc),
                      "conv2d_wgrad"));
    return success();
  }
};

struct LowerConv2dWeightGradSparse
    : OpRewritePattern<Conv2dWeightGradSparseOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2dWeightGradSparseOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    int64_t p = op.getPadding();
    int64_t wo = op.getOutSize()[1];
    Value x = padSpatial(b, loc, op.getInput(), p, p, 0);
    AffineExpr f, c, u, v, m, gh, gw;
    bindDims(b.getContext(), f, c, u, v, m, gh, gw);
    RankedTensorType t = tensorType(op.getOutput());
    auto red = IteratorType::reduction, par = IteratorType::parallel;
    // The x element of each term is gathered at the argmax position, so it
    // is read with tensor.extract rather than through an indexing map.
    Value result = generic(
        b, loc, t, {op.getDelta(), op.getIndices()}, zeros(b, loc, t),
        {map(b, 7, {m, f, gh, gw}), map(b, 7, {m, f, gh, gw}),
         map(b, 7, {f, c, u, v})},
        {par, par, par, par, red, red, red},
        [&](OpBuilder &nb, Location l, ValueRange a) {
          Type acc = a[2].getType();
          Value idx = a[1];
          Value valid =
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, idx,
                                    cst(nb, l, idx.getType(), 0));
          Value flat = arith::IndexCastOp::create(
              nb, l, nb.getIndexType(),
              arith::MaxSIOp::create(nb, l, idx, cst(nb, l, idx.getType(), 0)));
          Value wc = arith::ConstantIndexOp::create(nb, l, wo);
          Value i = arith::AddIOp::create(
              nb, l, arith::DivUIOp::create(nb, l, flat, wc),
              linalg::IndexOp::create(nb, l, 2));
          Value j = arith::AddIOp::create(
              nb, l, arith::RemUIOp::create(nb, l, flat, wc),
              linalg::IndexOp::create(nb, l, 3));
          Value xv = tensor::ExtractOp::create(
              nb, l, x,
              ValueRange{linalg::IndexOp::create(nb, l, 4),
                         linalg::IndexOp::create(nb, l, 1), i, j});
          Value lhs = castInt(nb, l, a[0], acc);
          Value rhs = castInt(nb, l, xv, acc);
          Value prod = arith::MulIOp::create(nb, l, lhs, rhs);
          prod =
              arith::SelectOp::create(nb, l, valid, prod, cst(nb, l, acc, 0));
          return arith::AddIOp::create(nb, l, a[2], prod);
        });
    b.replaceOp(op, tagKernel(result, "conv2d_wgrad_sparse"));
    return success();
  }
};

} // namespace

void mlir::intc::lowering::populateMatmulLikePatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerLinear, LowerLinearWeightGrad, LowerLinearInputGrad,
               LowerConv2d, LowerConv2dWeightGrad, LowerConv2dWeightGradSparse>(
      patterns.getContext());
}
