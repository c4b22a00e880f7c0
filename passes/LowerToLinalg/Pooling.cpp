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
#include "mlir/Dialect/SCF/IR/SCF.h"
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
    Type i32 = b.getI32Type();

    // One output per iteration: the window is scanned in row-major order
    // by two scf.for loops whose value (and window position, when the
    // indices are used) stay in registers, starting from the window's first
    // element; a later element wins only if it is strictly larger, so the
    // result is the first maximum.
    bool withIndices = !op.getIndices().use_empty();
    SmallVector<Type> types = {valType};
    SmallVector<Value> inits = {empty(b, loc, valType)};
    if (withIndices) {
      types.push_back(idxType);
      inits.push_back(empty(b, loc, idxType));
    }
    int64_t kh = k[0], kw = k[1];
    auto reduce = linalg::GenericOp::create(
        b, loc, types, ValueRange{}, inits,
        SmallVector<AffineMap>(types.size(), b.getMultiDimIdentityMap(4)),
        SmallVector<IteratorType>(4, IteratorType::parallel),
        [&](OpBuilder &nb, Location l, ValueRange) {
          Value n = linalg::IndexOp::create(nb, l, 0);
          Value c = linalg::IndexOp::create(nb, l, 1);
          auto idx = [&](int64_t v) {
            return arith::ConstantIndexOp::create(nb, l, v);
          };
          Value h0 = arith::MulIOp::create(
              nb, l, linalg::IndexOp::create(nb, l, 2), idx(kh));
          Value w0 = arith::MulIOp::create(
              nb, l, linalg::IndexOp::create(nb, l, 3), idx(kw));
          SmallVector<Value> start = {
              tensor::ExtractOp::create(nb, l, x, ValueRange{n, c, h0, w0})};
          if (withIndices)
            start.push_back(cst(nb, l, i32, 0));
          auto rows = scf::ForOp::create(
              nb, l, idx(0), idx(kh), idx(1), start,
              [&](OpBuilder &rb, Location rl, Value r, ValueRange acc) {
                Value hh = arith::AddIOp::create(rb, rl, h0, r);
                auto cols = scf::ForOp::create(
                    rb, rl, idx(0), idx(kw), idx(1), acc,
                    [&](OpBuilder &cb, Location cl, Value sv, ValueRange cur) {
                      Value v = tensor::ExtractOp::create(
                          cb, cl, x,
                          ValueRange{n, c, hh,
                                     arith::AddIOp::create(cb, cl, w0, sv)});
                      Value take = arith::CmpIOp::create(
                          cb, cl, arith::CmpIPredicate::sgt, v, cur[0]);
                      SmallVector<Value> next = {
                          arith::SelectOp::create(cb, cl, take, v, cur[0])};
                      if (withIndices) {
                        // r·kw + s
                        Value pos = arith::IndexCastOp::create(
                            cb, cl, i32,
                            arith::AddIOp::create(
                                cb, cl,
                                arith::MulIOp::create(cb, cl, r, idx(kw)), sv));
                        next.push_back(
                            arith::SelectOp::create(cb, cl, take, pos, cur[1]));
                      }
                      scf::YieldOp::create(cb, cl, next);
                    });
                scf::YieldOp::create(rb, rl, cols.getResults());
              });
          linalg::YieldOp::create(nb, l, rows.getResults());
        });
    if (!withIndices) {
      b.replaceOp(op, {reduce.getResult(0), empty(b, loc, idxType)});
      return success();
    }

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
