//===- SgdUpdate.cpp - the integer SGD update -----------------------------===//
//
// sgd_update: W -= tdiv(G, lr_inv·A) + tdiv(W, decay_inv), in place, with
// the runtime divisor as a magic-number multiply when fast division is on;
// sgd_overflow_count: how many elements of that update leave int32.
//
//===----------------------------------------------------------------------===//

#include "passes/LowerToLinalg/Builders.h"
#include "passes/LowerToLinalg/Patterns.h"

#include "dialect/IntcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::intc;
using namespace mlir::intc::lowering;

namespace {

/// tdiv(n, d) for a loop-invariant runtime d >= 1 without a division per
/// element: with l = ceil(log2 d), m = floor(2^(63+l) / d) + 1 (as a wrapped
/// int64) and s = l - 1, tdiv(n, d) = ((n + mulhs(n, m)) >> s) - (n >> 63)
/// for every int64 n > INT64_MIN (Hacker's Delight 10-1; exact, not an
/// approximation). The magic number costs one 128-bit division per update.
struct InvariantDivisor {
  Value magic, shift, isOne;

  /// The high 64 bits of the signed 128-bit product u * v, from 32-bit
  /// halves (Hacker's Delight 8-2). arith.mulsi_extended would say the
  /// same, but it becomes an i128 multiply that no x86 vector unit has, so
  /// LLVM leaves the update loop scalar; every product here is of two
  /// 32-bit halves and maps onto vpmuldq/vpmuludq.
  static Value mulhs(OpBuilder &b, Location loc, Value u, Value v) {
    Type i64 = u.getType();
    Value lo32 = cst(b, loc, i64, 0xffffffff), c32 = cst(b, loc, i64, 32);
    auto lo = [&](Value x) { return arith::AndIOp::create(b, loc, x, lo32); };
    auto hiS = [&](Value x) { return arith::ShRSIOp::create(b, loc, x, c32); };
    auto mul = [&](Value x, Value y) {
      return arith::MulIOp::create(b, loc, x, y);
    };
    auto add = [&](Value x, Value y) {
      return arith::AddIOp::create(b, loc, x, y);
    };
    Value u0 = lo(u), u1 = hiS(u), v0 = lo(v), v1 = hiS(v);
    Value w0 = mul(u0, v0); // unsigned 32 x 32: exact in 64 bits
    Value t = add(mul(u1, v0), arith::ShRUIOp::create(b, loc, w0, c32));
    Value w1 = add(mul(u0, v1), lo(t));
    return add(add(mul(u1, v1), hiS(t)), hiS(w1));
  }

  static InvariantDivisor get(OpBuilder &b, Location loc, Value d) {
    Type i64 = b.getI64Type(), i128 = b.getIntegerType(128);
    Value one = cst(b, loc, i64, 1);
    Value clz = math::CountLeadingZerosOp::create(
        b, loc, arith::SubIOp::create(b, loc, d, one));
    Value l = arith::SubIOp::create(b, loc, cst(b, loc, i64, 64), clz);
    Value num = arith::ShLIOp::create(
        b, loc, cst(b, loc, i128, 1),
        arith::ExtUIOp::create(
            b, loc, i128,
            arith::AddIOp::create(b, loc, l, cst(b, loc, i64, 63))));
    Value q = arith::DivUIOp::create(b, loc, num,
                                     arith::ExtUIOp::create(b, loc, i128, d));
    InvariantDivisor r;
    r.magic = arith::AddIOp::create(
        b, loc, arith::TruncIOp::create(b, loc, i64, q), one);
    r.shift = arith::SubIOp::create(b, loc, l, one);
    r.isOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d, one);
    return r;
  }

  /// tdiv(n, d); \p isDivOne, when given, is d == 1 computed where it is
  /// used (the update computes it from its divisor operand).
  Value divide(OpBuilder &b, Location loc, Value n, Value isDivOne = {}) const {
    Value t = arith::AddIOp::create(b, loc, n, mulhs(b, loc, n, magic));
    Value q = arith::SubIOp::create(
        b, loc, arith::ShRSIOp::create(b, loc, t, shift),
        arith::ShRSIOp::create(b, loc, n, cst(b, loc, n.getType(), 63)));
    return arith::SelectOp::create(b, loc, isDivOne ? isDivOne : isOne, n, q);
  }
};

/// The exact int64 value of one updated element, W − tdiv(G, div) −
/// tdiv(W, decay_inv): what sgd_update stores (wrapped or saturated) and
/// sgd_overflow_count range-checks, built the same way for both.
struct WideUpdate {
  Value div;
  std::optional<InvariantDivisor> fast;
  int64_t decay;

  template <typename OpTy>
  static WideUpdate get(OpTy op, OpBuilder &b, bool fastDivision) {
    Location loc = op.getLoc();
    WideUpdate u;
    u.div = arith::MulIOp::create(b, loc, op.getLrInv(),
                                  cst(b, loc, b.getI64Type(), op.getLrAmp()));
    if (fastDivision)
      u.fast = InvariantDivisor::get(b, loc, u.div);
    u.decay = op.getDecayInv();
    return u;
  }

  /// \p grad and \p weight are the elements in their own types; \p divArg,
  /// when given, is the divisor as the generic's operand (else `div`).
  Value build(OpBuilder &nb, Location l, Value grad, Value weight,
              Value divArg = {}) const {
    Type i64 = nb.getI64Type();
    Value g = castInt(nb, l, grad, i64);
    Value w = castInt(nb, l, weight, i64);
    Value d = divArg ? divArg : div;
    Value dw;
    if (fast)
      dw = fast->divide(
          nb, l, g,
          divArg ? arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq,
                                         divArg, cst(nb, l, i64, 1))
                 : Value());
    else
      dw = arith::DivSIOp::create(nb, l, g, d);
    // The decay quotient in the weight's own width (exact: decay > 0)
    // divides by a constant that the vectoriser turns into a narrow
    // multiply.
    if (decay > 0) {
      Value wn = weight;
      unsigned bits = wn.getType().getIntOrFloatBitWidth();
      if (decay >= (int64_t(1) << (bits - 1)))
        wn = w; // the divisor needs the wide type
      dw = arith::AddIOp::create(
          nb, l, dw,
          castInt(nb, l,
                  arith::DivSIOp::create(nb, l, wn,
                                         cst(nb, l, wn.getType(), decay)),
                  i64));
    }
    return arith::SubIOp::create(nb, l, w, dw);
  }
};

struct LowerSgdUpdate : OpRewritePattern<SgdUpdateOp> {
  LowerSgdUpdate(MLIRContext *ctx, bool fastDivision)
      : OpRewritePattern(ctx), fastDivision(fastDivision) {}

  LogicalResult matchAndRewrite(SgdUpdateOp op,
                                PatternRewriter &b) const override {
    WideUpdate update = WideUpdate::get(op, b, fastDivision);
    // In place on W: W is the output operand and is read in the body. The
    // divisor is an operand too (a scalar), and the decay an attribute, so
    // that a target can hand the update to a kernel with its weight
    // gradient (intc-use-microkernels).
    RankedTensorType type = tensorType(op.getOutput());
    AffineMap id = b.getMultiDimIdentityMap(type.getRank());
    AffineMap scalar = AffineMap::get(type.getRank(), 0, b.getContext());
    Value result = generic(b, op.getLoc(), type, {op.getGrad(), update.div},
                           op.getWeight(), {id, scalar, id},
                           SmallVector<utils::IteratorType>(
                               type.getRank(), utils::IteratorType::parallel),
                           [&](OpBuilder &nb, Location l, ValueRange a) {
                             Value next = update.build(nb, l, a[0], a[2], a[1]);
                             // int16 storage saturates; int32 wraps like the
                             // reference.
                             if (a[2].getType().isInteger(16))
                               next = clamp(nb, l, next, -32768, 32767);
                             return castInt(nb, l, next, a[2].getType());
                           });
    result.getDefiningOp()->setAttr(kSgdDecayAttr,
                                    b.getI64IntegerAttr(op.getDecayInv()));
    b.replaceOp(op, result);
    return success();
  }

  bool fastDivision;
};

/// sgd_overflow_count: a count of the elements whose exact update differs
/// from its int32 truncation, as flat scf.for loops whose results are
/// loop-carried values. A linalg reduction would keep the count in a 0-d
/// buffer that is loaded and stored every element, which LLVM neither
/// keeps in a register nor vectorises (it doubled MLP1's step time); this
/// loop vectorises like the update itself. No kernel tag: intc-fuse and
/// intc-tile leave it alone.
struct LowerSgdOverflowCount : OpRewritePattern<SgdOverflowCountOp> {
  LowerSgdOverflowCount(MLIRContext *ctx, bool fastDivision)
      : OpRewritePattern(ctx), fastDivision(fastDivision) {}

  /// \p v as a 1-D tensor (the weights and gradients are contiguous).
  static Value flat(OpBuilder &b, Location loc, Value v) {
    RankedTensorType t = tensorType(v);
    if (t.getRank() == 1)
      return v;
    ReassociationIndices all;
    for (int64_t d = 0; d < t.getRank(); ++d)
      all.push_back(d);
    return tensor::CollapseShapeOp::create(
        b, loc, t.clone({t.getNumElements()}), v,
        SmallVector<ReassociationIndices>{all});
  }

  /// The exact count: one flat loop with the update's own arithmetic.
  static Value exactCount(OpBuilder &b, Location loc, const WideUpdate &update,
                          Value w, Value g, Value n) {
    Type i64 = b.getI64Type();
    auto loop = scf::ForOp::create(
        b, loc, arith::ConstantIndexOp::create(b, loc, 0), n,
        arith::ConstantIndexOp::create(b, loc, 1),
        ValueRange{cst(b, loc, i64, 0)},
        [&](OpBuilder &nb, Location l, Value i, ValueRange acc) {
          Value next =
              update.build(nb, l, tensor::ExtractOp::create(nb, l, g, i),
                           tensor::ExtractOp::create(nb, l, w, i));
          // Outside int32 exactly when sign-extending the low half does not
          // give the value back (one compare).
          Value low = arith::ExtSIOp::create(
              nb, l, i64,
              arith::TruncIOp::create(nb, l, nb.getI32Type(), next));
          Value wraps =
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ne, low, next);
          scf::YieldOp::create(
              nb, l,
              ValueRange{arith::AddIOp::create(
                  nb, l, acc[0], arith::ExtUIOp::create(nb, l, i64, wraps))});
        });
    return loop.getResult(0);
  }

  LogicalResult matchAndRewrite(SgdOverflowCountOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    Type i64 = b.getI64Type();
    WideUpdate update = WideUpdate::get(op, b, fastDivision);
    Value w = flat(b, loc, op.getWeight()), g = flat(b, loc, op.getGrad());
    Value n = arith::ConstantIndexOp::create(
        b, loc, tensorType(op.getWeight()).getNumElements());
    // The common case costs two maxima per element and no division:
    // |W - tdiv(W, decay_inv)| <= |W| (same sign) and |tdiv(G, d)| <= |G|/d,
    // so every element fits when max|W| < 2^30 and max|G| < d * 2^30. Only
    // a tensor outside that box is counted exactly. x ^ (x >> 63) is |x|, or
    // |x| - 1 for x < 0 (no overflow at INT64_MIN), hence the "- 1"s.
    Value c63 = cst(b, loc, i64, 63);
    auto magnitude = [&](OpBuilder &nb, Location l, Value x) {
      return arith::XOrIOp::create(nb, l, x,
                                   arith::ShRSIOp::create(nb, l, x, c63));
    };
    auto maxima = scf::ForOp::create(
        b, loc, arith::ConstantIndexOp::create(b, loc, 0), n,
        arith::ConstantIndexOp::create(b, loc, 1),
        ValueRange{cst(b, loc, i64, 0), cst(b, loc, i64, 0)},
        [&](OpBuilder &nb, Location l, Value i, ValueRange acc) {
          Value wi =
              castInt(nb, l, tensor::ExtractOp::create(nb, l, w, i), i64);
          Value gi =
              castInt(nb, l, tensor::ExtractOp::create(nb, l, g, i), i64);
          scf::YieldOp::create(
              nb, l,
              ValueRange{
                  arith::MaxSIOp::create(nb, l, acc[0], magnitude(nb, l, wi)),
                  arith::MaxSIOp::create(nb, l, acc[1], magnitude(nb, l, gi))});
        });
    // d * 2^30, or "no limit" where that leaves int64 (d >= 2^33).
    Value bigDiv =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, update.div,
                              cst(b, loc, i64, int64_t(1) << 33));
    Value limitG = arith::SelectOp::create(
        b, loc, bigDiv, cst(b, loc, i64, INT64_MAX),
        arith::ShLIOp::create(b, loc, update.div, cst(b, loc, i64, 30)));
    Value riskyW = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::sge, maxima.getResult(0),
        cst(b, loc, i64, (int64_t(1) << 30) - 1));
    Value riskyG = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::sge, maxima.getResult(1),
        arith::SubIOp::create(b, loc, limitG, cst(b, loc, i64, 1)));
    auto count = scf::IfOp::create(
        b, loc, arith::OrIOp::create(b, loc, riskyW, riskyG),
        [&](OpBuilder &nb, Location l) {
          scf::YieldOp::create(nb, l, exactCount(nb, l, update, w, g, n));
        },
        [&](OpBuilder &nb, Location l) {
          scf::YieldOp::create(nb, l, cst(nb, l, i64, 0));
        });
    b.replaceOp(op, count.getResult(0));
    return success();
  }

  bool fastDivision;
};

} // namespace

void mlir::intc::lowering::populateSgdUpdatePatterns(
    RewritePatternSet &patterns, bool fastDivision) {
  patterns.add<LowerSgdUpdate, LowerSgdOverflowCount>(patterns.getContext(),
                                                      fastDivision);
}
