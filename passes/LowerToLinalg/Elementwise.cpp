//===- Elementwise.cpp - element-wise step ops ----------------------------===//
//
// NITRO-Scaling, the activations and their gradients, the loss gradient,
// one-hot targets, dropout, the integer init, flatten and widen.
//
//===----------------------------------------------------------------------===//

#include "passes/IntegerRng.h"
#include "passes/LowerToLinalg/Builders.h"
#include "passes/LowerToLinalg/Patterns.h"

#include "dialect/IntcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::intc;
using namespace mlir::intc::lowering;

namespace {

struct LowerRescale : OpRewritePattern<RescaleOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RescaleOp op,
                                PatternRewriter &b) const override {
    int64_t factor = op.getFactor();
    b.replaceOp(
        op,
        elementwise(b, op.getLoc(), tensorType(op.getOutput()), {op.getInput()},
                    [&](OpBuilder &nb, Location loc, ValueRange a) {
                      Value z = a[0];
                      // |z| >= 128·F clamps to ±127 either way:
                      // clamp z there first and divide in i32,
                      // which vectorises (there is no vector
                      // 64-bit multiply-high for LLVM's
                      // constant-division sequence).
                      int64_t bound = 128 * factor;
                      if (z.getType().getIntOrFloatBitWidth() > 32 &&
                          bound <= INT32_MAX)
                        z = castInt(nb, loc, clamp(nb, loc, z, -bound, bound),
                                    nb.getI32Type());
                      Value q = arith::DivSIOp::create(
                          nb, loc, z, cst(nb, loc, z.getType(), factor));
                      return castInt(nb, loc, clamp(nb, loc, q, -127, 127),
                                     a[1].getType());
                    }));
    return success();
  }
};

/// The ±1 mask of the bipolar activations at the current element (§2.4):
/// −1 on odd columns of a 2-D tensor, on the (h + w)-odd checkerboard of a
/// 4-D one.
Value bipolarMask(OpBuilder &b, Location loc, unsigned rank) {
  Type i32 = b.getI32Type();
  Value parity = rank == 2
                     ? index(b, loc, 1, i32)
                     : arith::AddIOp::create(b, loc, index(b, loc, 2, i32),
                                             index(b, loc, 3, i32));
  Value odd = arith::AndIOp::create(b, loc, parity, cst(b, loc, i32, 1));
  // 1 − 2·odd
  return arith::SubIOp::create(
      b, loc, cst(b, loc, i32, 1),
      arith::ShLIOp::create(b, loc, odd, cst(b, loc, i32, 1)));
}

/// x·m wrapped into int8 (the reference multiplies int8 arrays).
Value wrap8(OpBuilder &b, Location loc, Value v) {
  return arith::ExtSIOp::create(
      b, loc, v.getType(), arith::TruncIOp::create(b, loc, b.getI8Type(), v));
}

/// Forward of the base (non-bipolar) activation on an i32 value.
Value activationForward(OpBuilder &b, Location loc, ActivationKind kind,
                        int64_t nsi, Value x) {
  Type t = x.getType();
  auto c = [&](int64_t v) { return cst(b, loc, t, v); };
  auto leaky = [&] {
    Value pos = clamp(b, loc, x, 0, 127);
    Value neg = clamp(b, loc, x, -127, 0);
    return arith::AddIOp::create(b, loc, pos,
                                 arith::DivSIOp::create(b, loc, neg, c(nsi)));
  };
  switch (kind) {
  case ActivationKind::NitroLeakyRelu:
    return arith::SubIOp::create(b, loc, leaky(),
                                 c(ActivationAttr::nitroCorrection(nsi)));
  case ActivationKind::PocketLeakyRelu:
  case ActivationKind::BipolarLeakyRelu:
    return leaky();
  case ActivationKind::PocketRelu:
  case ActivationKind::BipolarPocketRelu:
    return clamp(b, loc, x, 0, 127);
  case ActivationKind::PocketTanh: {
    // Segments of §2.4, chosen from the outside in.
    auto ge = [&](int64_t v) {
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, x, c(v));
    };
    auto sel = [&](Value cond, Value a, Value other) {
      return arith::SelectOp::create(b, loc, cond, a, other);
    };
    Value third = arith::DivSIOp::create(b, loc, x, c(3));
    Value y = c(-127);
    y = sel(ge(-127), arith::SubIOp::create(b, loc, third, c(83)), y);
    y = sel(ge(-74), arith::SubIOp::create(b, loc, x, c(32)), y);
    y = sel(ge(-31), arith::AddIOp::create(b, loc, x, x), y);
    y = sel(ge(32), arith::AddIOp::create(b, loc, x, c(32)), y);
    y = sel(ge(75), arith::AddIOp::create(b, loc, third, c(83)), y);
    return sel(ge(127), c(127), y);
  }
  }
  llvm_unreachable("unknown activation");
}

/// tdiv(d, g(x)) for the inverse slope g of the leaky kinds and PocketTanh
/// (§2.4; 2^31 - 1 where the gradient is cut). Each piece divides by its own
/// constant and a select picks the piece: constant divisors become
/// multiplies that vectorise, where one division by a selected divisor
/// stays a scalar idiv per element.
Value divideByInverseSlope(OpBuilder &b, Location loc, ActivationKind kind,
                           int64_t nsi, Value x, Value d) {
  Type t = d.getType();
  auto q = [&](int64_t v) -> Value {
    if (v == 1)
      return d;
    return arith::DivSIOp::create(b, loc, d, cst(b, loc, t, v));
  };
  auto ge = [&](int64_t v) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, x,
                                 cst(b, loc, x.getType(), v));
  };
  auto sel = [&](Value cond, Value a, Value other) {
    return arith::SelectOp::create(b, loc, cond, a, other);
  };
  Value cut = q(2147483647);
  if (kind == ActivationKind::PocketTanh) {
    Value q8 = q(8), q2 = q(2);
    Value g = cut;
    g = sel(ge(-127), q8, g);
    g = sel(ge(-74), q2, g);
    g = sel(ge(-31), d, g);
    g = sel(ge(32), q2, g);
    g = sel(ge(75), q8, g);
    return sel(ge(127), cut, g);
  }
  Value g = cut;
  g = sel(ge(-127), q(nsi), g);
  g = sel(ge(0), d, g);
  return sel(ge(127), cut, g);
}

struct LowerActivation : OpRewritePattern<ActivationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ActivationOp op,
                                PatternRewriter &b) const override {
    ActivationAttr act = op.getKind();
    RankedTensorType t = tensorType(op.getOutput());
    bool bipolar = act.getKind() == ActivationKind::BipolarLeakyRelu ||
                   act.getKind() == ActivationKind::BipolarPocketRelu;
    b.replaceOp(op,
                elementwise(b, op.getLoc(), t, {op.getInput()},
                            [&](OpBuilder &nb, Location loc, ValueRange a) {
                              Type i32 = nb.getI32Type();
                              Value x = castInt(nb, loc, a[0], i32);
                              Value m;
                              if (bipolar) {
                                m = bipolarMask(nb, loc, t.getRank());
                                x = wrap8(nb, loc,
                                          arith::MulIOp::create(nb, loc, x, m));
                              }
                              Value y = activationForward(
                                  nb, loc, act.getKind(), act.getNsi(), x);
                              if (bipolar)
                                y = arith::MulIOp::create(nb, loc, y, m);
                              return castInt(nb, loc, y, a[1].getType());
                            }));
    return success();
  }
};

struct LowerActivationGrad : OpRewritePattern<ActivationGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ActivationGradOp op,
                                PatternRewriter &b) const override {
    ActivationAttr act = op.getKind();
    RankedTensorType t = tensorType(op.getOutput());
    ActivationKind kind = act.getKind();
    bool bipolar = kind == ActivationKind::BipolarLeakyRelu ||
                   kind == ActivationKind::BipolarPocketRelu;
    b.replaceOp(
        op,
        elementwise(
            b, op.getLoc(), t, {op.getInput(), op.getDelta()},
            [&](OpBuilder &nb, Location loc, ValueRange a) {
              Type dt = a[1].getType();
              Value x = castInt(nb, loc, a[0], nb.getI32Type());
              Value d = a[1], m;
              if (bipolar) {
                // The base rule at x·M on δ·M, times M (§2.4).
                m = bipolarMask(nb, loc, t.getRank());
                x = wrap8(nb, loc, arith::MulIOp::create(nb, loc, x, m));
                d = arith::MulIOp::create(nb, loc, d, castInt(nb, loc, m, dt));
              }
              Value r;
              if (kind == ActivationKind::PocketRelu ||
                  kind == ActivationKind::BipolarPocketRelu) {
                Value pos =
                    arith::CmpIOp::create(nb, loc, arith::CmpIPredicate::sgt, x,
                                          cst(nb, loc, x.getType(), 0));
                r = arith::SelectOp::create(nb, loc, pos, d,
                                            cst(nb, loc, dt, 0));
              } else {
                r = divideByInverseSlope(nb, loc, kind, act.getNsi(), x, d);
              }
              if (bipolar)
                r = arith::MulIOp::create(nb, loc, r, castInt(nb, loc, m, dt));
              return r;
            }));
    return success();
  }
};

struct LowerL2Grad : OpRewritePattern<L2GradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(L2GradOp op,
                                PatternRewriter &b) const override {
    bool wrap = op.getWrap8();
    b.replaceOp(op, elementwise(b, op.getLoc(), tensorType(op.getOutput()),
                                {op.getPrediction(), op.getTarget()},
                                [&](OpBuilder &nb, Location loc, ValueRange a) {
                                  Type i32 = nb.getI32Type();
                                  Value e = arith::SubIOp::create(
                                      nb, loc, castInt(nb, loc, a[0], i32),
                                      castInt(nb, loc, a[1], i32));
                                  if (wrap)
                                    e = wrap8(nb, loc, e);
                                  return castInt(nb, loc, e, a[2].getType());
                                }));
    return success();
  }
};

struct LowerOneHot : OpRewritePattern<OneHotOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(OneHotOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    AffineExpr bi, k;
    bindDims(b.getContext(), bi, k);
    RankedTensorType t = tensorType(op.getOutput());
    int64_t value = op.getValue();
    b.replaceOp(op, generic(b, loc, t, {op.getLabels()}, empty(b, loc, t),
                            {map(b, 2, {bi}), map(b, 2, {bi, k})},
                            {IteratorType::parallel, IteratorType::parallel},
                            [&](OpBuilder &nb, Location l, ValueRange a) {
                              Type i32 = nb.getI32Type();
                              // Labels are unsigned bytes.
                              Value label = a[0];
                              if (label.getType().getIntOrFloatBitWidth() < 32)
                                label =
                                    arith::ExtUIOp::create(nb, l, i32, label);
                              Value hit = arith::CmpIOp::create(
                                  nb, l, arith::CmpIPredicate::eq, label,
                                  index(nb, l, 1, i32));
                              return arith::SelectOp::create(
                                  nb, l, hit, cst(nb, l, a[1].getType(), value),
                                  cst(nb, l, a[1].getType(), 0));
                            }));
    return success();
  }
};

struct LowerDropoutApply : OpRewritePattern<DropoutApplyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DropoutApplyOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    Type i64 = b.getI64Type();
    RankedTensorType t = tensorType(op.getOutput());
    int64_t numel = t.getNumElements();
    int64_t factor = DropoutOp::rescaleFactor(op.getRate());
    int64_t permille = op.getRate() * 10;
    Value key =
        rng::key(b, loc, op.getSeed(),
                 cst(b, loc, i64, rng::kStreamDropout + op.getStream()));
    // The counter of element i is base + i: step·n for the whole batch; for
    // a shard, the counter of the same element in the global batch.
    Value base;
    if (op.getSampleOffset()) {
      Value perSample = cst(b, loc, i64, numel / t.getDimSize(0));
      Value globalNumel =
          arith::MulIOp::create(b, loc, op.getGlobalBatch(), perSample);
      Value stepBase = arith::MulIOp::create(b, loc, op.getStep(), globalNumel);
      Value shardBase =
          arith::MulIOp::create(b, loc, op.getSampleOffset(), perSample);
      base = arith::AddIOp::create(b, loc, stepBase, shardBase);
    } else {
      base =
          arith::MulIOp::create(b, loc, op.getStep(), cst(b, loc, i64, numel));
    }
    ArrayRef<int64_t> shape = t.getShape();
    b.replaceOp(
        op,
        elementwise(
            b, loc, t, {op.getInput()},
            [&](OpBuilder &nb, Location l, ValueRange a) {
              Value ctr =
                  arith::AddIOp::create(nb, l, base, flatIndex(nb, l, shape));
              Value r = rng::below(nb, l, rng::u64(nb, l, key, ctr), 1000);
              Value keep =
                  arith::CmpIOp::create(nb, l, arith::CmpIPredicate::uge, r,
                                        cst(nb, l, i64, permille));
              Type i32 = nb.getI32Type();
              Value x = castInt(nb, l, a[0], i32);
              Value y = arith::DivSIOp::create(
                  nb, l,
                  arith::MulIOp::create(nb, l, x, cst(nb, l, i32, factor)),
                  cst(nb, l, i32, 1000));
              y = arith::SelectOp::create(nb, l, keep, y, cst(nb, l, i32, 0));
              return castInt(nb, l, y, a[1].getType());
            }));
    return success();
  }
};

struct LowerInitUniform : OpRewritePattern<InitUniformOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(InitUniformOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    Type i64 = b.getI64Type();
    RankedTensorType t = tensorType(op.getOutput());
    int64_t bound = op.getBound();
    Value key =
        rng::key(b, loc, op.getSeed(),
                 cst(b, loc, i64, rng::kStreamInit + op.getTensorIndex()));
    ArrayRef<int64_t> shape = t.getShape();
    b.replaceOp(
        op, elementwise(
                b, loc, t, {}, [&](OpBuilder &nb, Location l, ValueRange a) {
                  Value u = rng::u64(nb, l, key, flatIndex(nb, l, shape));
                  Value v = rng::below(nb, l, u, 2 * bound + 1);
                  v = arith::SubIOp::create(nb, l, v, cst(nb, l, i64, bound));
                  return castInt(nb, l, v, a[0].getType());
                }));
    return success();
  }
};

/// A splat tensor constant (the zeros/ones init of intc-expand-training)
/// becomes a fill of an empty tensor: bufferized, that is a loop writing the
/// destination, where a constant would become a global copied from (which
/// the C target, with no globals beyond the arena, cannot take).
struct SplatConstantToFill : OpRewritePattern<arith::ConstantOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::ConstantOp op,
                                PatternRewriter &rewriter) const override {
    auto type = llvm::dyn_cast<RankedTensorType>(op.getType());
    auto splat = llvm::dyn_cast<SplatElementsAttr>(op.getValue());
    if (!type || !type.hasStaticShape() || !splat ||
        !type.getElementType().isSignlessInteger())
      return failure();
    // One fill per use, so that each can be written in place into its own
    // destination (equal constants have been merged by now).
    Location loc = op.getLoc();
    for (OpOperand &use : llvm::make_early_inc_range(op->getUses())) {
      rewriter.setInsertionPoint(use.getOwner());
      Value value = arith::ConstantOp::create(rewriter, loc,
                                              splat.getSplatValue<TypedAttr>());
      Value fill = linalg::FillOp::create(rewriter, loc, value,
                                          empty(rewriter, loc, type))
                       .getResult(0);
      rewriter.modifyOpInPlace(use.getOwner(), [&] { use.set(fill); });
    }
    rewriter.eraseOp(op);
    return success();
  }
};

struct LowerWiden : OpRewritePattern<WidenOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(WidenOp op, PatternRewriter &b) const override {
    b.replaceOp(op, elementwise(b, op.getLoc(), tensorType(op.getOutput()),
                                {op.getInput()},
                                [&](OpBuilder &nb, Location loc, ValueRange a) {
                                  return castInt(nb, loc, a[0], a[1].getType());
                                }));
    return success();
  }
};

struct LowerFlatten : OpRewritePattern<FlattenOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(FlattenOp op,
                                PatternRewriter &b) const override {
    unsigned rank = tensorType(op.getInput()).getRank();
    ReassociationIndices rest;
    for (unsigned d = 1; d < rank; ++d)
      rest.push_back(d);
    b.replaceOpWithNewOp<tensor::CollapseShapeOp>(
        op, op.getOutput().getType(), op.getInput(),
        SmallVector<ReassociationIndices>{{0}, rest});
    return success();
  }
};

} // namespace

void mlir::intc::lowering::populateElementwisePatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerRescale, LowerActivation, LowerActivationGrad, LowerL2Grad,
               LowerOneHot, LowerDropoutApply, LowerInitUniform, LowerFlatten,
               LowerWiden, SplatConstantToFill>(patterns.getContext());
}
