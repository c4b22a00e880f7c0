//===- Pooling.cpp - max pooling and its gradients ------------------------===//
//
// max_pool with first-argmax indices, max_pool_grad (routing δ back) and
// max_pool_gather (the learning pools' forward from saved indices).
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

struct LowerMaxPool : OpRewritePattern<MaxPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPoolOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    ArrayRef<int64_t> k = op.getKernel(), p = op.getPadding();
    RankedTensorType inType = tensorType(op.getInput());
    int64_t h = inType.getDimSize(2), w = inType.getDimSize(3);
    Value x = padSpatial(b, loc, op.getInput(), p[0], p[1], op.getPadValue());
    RankedTensorType valType = tensorType(op.getOutput());
    RankedTensorType idxType = tensorType(op.getIndices());
    Type elem = valType.getElementType(), i32 = b.getI32Type();

    // Reduce (value, window position) pairs: a later element wins only if it
    // is strictly larger, or equal at an earlier position, so the result is
    // the first maximum in row-major order in any reduction order.
    Value window = tensor::EmptyOp::create(b, loc, k, elem);
    Value valInit = linalg::FillOp::create(b, loc, cst(b, loc, elem, 0),
                                           empty(b, loc, valType))
                        .getResult(0);
    Value posInit = linalg::FillOp::create(b, loc, cst(b, loc, i32, -1),
                                           empty(b, loc, idxType))
                        .getResult(0);
    // Loops (n, c, gh, r, s, gw): the window loops sit outside the loop over
    // a row of outputs, so the innermost loop updates a row of (value,
    // position) pairs with vector selects instead of reducing one window
    // through memory.
    AffineExpr n, c, gh, r, s, gw;
    bindDims(b.getContext(), n, c, gh, r, s, gw);
    auto par = IteratorType::parallel, red = IteratorType::reduction;
    int64_t kh = k[0], kw = k[1];
    auto reduce = linalg::GenericOp::create(
        b, loc, TypeRange{valType, idxType}, ValueRange{x, window},
        ValueRange{valInit, posInit},
        ArrayRef<AffineMap>{map(b, 6, {n, c, gh * kh + r, gw * kw + s}),
                            map(b, 6, {r, s}), map(b, 6, {n, c, gh, gw}),
                            map(b, 6, {n, c, gh, gw})},
        ArrayRef<IteratorType>{par, par, par, red, red, par},
        [&](OpBuilder &nb, Location l, ValueRange a) {
          Value v = a[0], cur = a[2], curPos = a[3];
          Value pos = arith::AddIOp::create(
              nb, l,
              arith::MulIOp::create(nb, l, index(nb, l, 3, i32),
                                    cst(nb, l, i32, kw)),
              index(nb, l, 4, i32));
          auto cmp = [&](arith::CmpIPredicate pred, Value lhs, Value rhs) {
            return arith::CmpIOp::create(nb, l, pred, lhs, rhs);
          };
          Value first =
              cmp(arith::CmpIPredicate::eq, curPos, cst(nb, l, i32, -1));
          Value greater = cmp(arith::CmpIPredicate::sgt, v, cur);
          Value tieEarlier = arith::AndIOp::create(
              nb, l, cmp(arith::CmpIPredicate::eq, v, cur),
              cmp(arith::CmpIPredicate::slt, pos, curPos));
          Value take = arith::OrIOp::create(
              nb, l, first, arith::OrIOp::create(nb, l, greater, tieEarlier));
          linalg::YieldOp::create(
              nb, l,
              ValueRange{arith::SelectOp::create(nb, l, take, v, cur),
                         arith::SelectOp::create(nb, l, take, pos, curPos)});
        });

    // Window position -> flat index h·W + w in the unpadded plane, or −1.
    Value indices = elementwise(
        b, loc, idxType, {reduce.getResult(1)},
        [&](OpBuilder &nb, Location l, ValueRange a) {
          Value pos = a[0];
          Value rr = arith::DivSIOp::create(nb, l, pos, cst(nb, l, i32, kw));
          Value ss = arith::RemSIOp::create(nb, l, pos, cst(nb, l, i32, kw));
          auto coord = [&](unsigned dim, int64_t kernel, int64_t pad,
                           Value off) {
            Value base = arith::MulIOp::create(nb, l, index(nb, l, dim, i32),
                                               cst(nb, l, i32, kernel));
            return arith::SubIOp::create(
                nb, l, arith::AddIOp::create(nb, l, base, off),
                cst(nb, l, i32, pad));
          };
          Value hh = coord(2, kh, p[0], rr), ww = coord(3, kw, p[1], ss);
          auto in = [&](Value v, int64_t size) {
            return arith::AndIOp::create(
                nb, l,
                arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, v,
                                      cst(nb, l, i32, 0)),
                arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, v,
                                      cst(nb, l, i32, size)));
          };
          Value inside = arith::AndIOp::create(nb, l, in(hh, h), in(ww, w));
          Value flat = arith::AddIOp::create(
              nb, l, arith::MulIOp::create(nb, l, hh, cst(nb, l, i32, w)), ww);
          return arith::SelectOp::create(nb, l, inside, flat,
                                         cst(nb, l, i32, -1));
        });
    b.replaceOp(op, {reduce.getResult(0), indices});
    return success();
  }
};

struct LowerMaxPoolGrad : OpRewritePattern<MaxPoolGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPoolGradOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    ArrayRef<int64_t> k = op.getKernel(), p = op.getPadding();
    RankedTensorType t = tensorType(op.getOutput());
    RankedTensorType dt = tensorType(op.getDelta());
    int64_t w = t.getDimSize(3);
    int64_t gridH = dt.getDimSize(2), gridW = dt.getDimSize(3);
    Value delta = op.getDelta(), indices = op.getIndices();
    // Gather: position (h, w) can only be the argmax of grid cell
    // ((h + p_h) / k_h, (w + p_w) / k_w), since windows do not overlap.
    b.replaceOp(
        op,
        elementwise(
            b, loc, t, {}, [&](OpBuilder &nb, Location l, ValueRange a) {
              Type idx = nb.getIndexType();
              auto cell = [&](unsigned dim, int64_t pad, int64_t kernel,
                              int64_t grid, Value &valid) {
                Value v = linalg::IndexOp::create(nb, l, dim);
                v = arith::DivUIOp::create(
                    nb, l,
                    arith::AddIOp::create(
                        nb, l, v, arith::ConstantIndexOp::create(nb, l, pad)),
                    arith::ConstantIndexOp::create(nb, l, kernel));
                Value last = arith::ConstantIndexOp::create(nb, l, grid - 1);
                Value ok = arith::CmpIOp::create(
                    nb, l, arith::CmpIPredicate::ule, v, last);
                valid = valid ? arith::AndIOp::create(nb, l, valid, ok) : ok;
                return arith::MinUIOp::create(nb, l, v, last);
              };
              Value valid;
              Value gh = cell(2, p[0], k[0], gridH, valid);
              Value gw = cell(3, p[1], k[1], gridW, valid);
              SmallVector<Value> at = {linalg::IndexOp::create(nb, l, 0),
                                       linalg::IndexOp::create(nb, l, 1), gh,
                                       gw};
              Value d = tensor::ExtractOp::create(nb, l, delta, at);
              Value i = tensor::ExtractOp::create(nb, l, indices, at);
              Type i32 = nb.getI32Type();
              Value here = arith::AddIOp::create(
                  nb, l,
                  arith::MulIOp::create(nb, l, index(nb, l, 2, i32),
                                        cst(nb, l, i32, w)),
                  index(nb, l, 3, i32));
              Value hit = arith::AndIOp::create(
                  nb, l, valid,
                  arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, i,
                                        here));
              (void)idx;
              return arith::SelectOp::create(nb, l, hit, d,
                                             cst(nb, l, d.getType(), 0));
            }));
    return success();
  }
};

struct LowerMaxPoolGather : OpRewritePattern<MaxPoolGatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPoolGatherOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    int64_t w = tensorType(input).getDimSize(3);
    int64_t h = tensorType(input).getDimSize(2);
    RankedTensorType t = tensorType(op.getOutput());
    b.replaceOp(
        op, elementwise(
                b, loc, t, {op.getIndices()},
                [&](OpBuilder &nb, Location l, ValueRange a) {
                  Type idxT = nb.getIndexType();
                  Value idx = a[0];
                  Value valid =
                      arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge,
                                            idx, cst(nb, l, idx.getType(), 0));
                  Value flat = arith::IndexCastOp::create(
                      nb, l, idxT,
                      arith::MaxSIOp::create(nb, l, idx,
                                             cst(nb, l, idx.getType(), 0)));
                  Value wc = arith::ConstantIndexOp::create(nb, l, w);
                  Value i = arith::MinUIOp::create(
                      nb, l, arith::DivUIOp::create(nb, l, flat, wc),
                      arith::ConstantIndexOp::create(nb, l, h - 1));
                  Value j = arith::RemUIOp::create(nb, l, flat, wc);
                  Value v = tensor::ExtractOp::create(
                      nb, l, input,
                      ValueRange{linalg::IndexOp::create(nb, l, 0),
                                 linalg::IndexOp::create(nb, l, 1), i, j});
                  return arith::SelectOp::create(nb, l, valid, v,
                                                 cst(nb, l, v.getType(), 0));
                }));
    return success();
  }
};

} // namespace

void mlir::intc::lowering::populatePoolingPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerMaxPool, LowerMaxPoolGrad, LowerMaxPoolGather>(
      patterns.getContext());
}
