//===- LowerToLinalg.cpp - Step-level ops -> linalg on tensors ------------===//
//
// intc-lower-to-linalg: every step-level op becomes linalg.generic (or a
// tensor reshape/pad) with arith bodies. The bodies state the integer
// semantics of the ops exactly; see each op's description in IntcStepOps.td.
//
//===----------------------------------------------------------------------===//

#include "passes/IntegerRng.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::intc {
#define GEN_PASS_DEF_LOWERTOLINALG
#include "passes/Passes.h.inc"
} // namespace mlir::intc

using namespace mlir;
using namespace mlir::intc;

namespace {

using BodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;
constexpr StringLiteral kKernelAttr = "intc.kernel";
using utils::IteratorType;

RankedTensorType tensorType(Value v) {
  return llvm::cast<RankedTensorType>(v.getType());
}

Value cst(OpBuilder &b, Location loc, Type type, int64_t v) {
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
}

/// Sign-extends or truncates an integer to `to`.
Value castInt(OpBuilder &b, Location loc, Value v, Type to) {
  unsigned from = v.getType().getIntOrFloatBitWidth();
  unsigned width = to.getIntOrFloatBitWidth();
  if (from < width)
    return arith::ExtSIOp::create(b, loc, to, v);
  if (from > width)
    return arith::TruncIOp::create(b, loc, to, v);
  return v;
}

Value clamp(OpBuilder &b, Location loc, Value v, int64_t lo, int64_t hi) {
  Type t = v.getType();
  v = arith::MaxSIOp::create(b, loc, v, cst(b, loc, t, lo));
  return arith::MinSIOp::create(b, loc, v, cst(b, loc, t, hi));
}

Value index(OpBuilder &b, Location loc, unsigned dim, Type to) {
  Value i = linalg::IndexOp::create(b, loc, dim);
  return arith::IndexCastOp::create(b, loc, to, i);
}

Value empty(OpBuilder &b, Location loc, RankedTensorType t) {
  return tensor::EmptyOp::create(b, loc, t.getShape(), t.getElementType());
}

Value zeros(OpBuilder &b, Location loc, RankedTensorType t) {
  Value zero = cst(b, loc, t.getElementType(), 0);
  return linalg::FillOp::create(b, loc, zero, empty(b, loc, t)).getResult(0);
}

/// A generic op with the given maps and iterators whose body yields one value.
Value generic(OpBuilder &b, Location loc, RankedTensorType resultType,
              ValueRange inputs, Value init, ArrayRef<AffineMap> maps,
              ArrayRef<IteratorType> iterators, BodyFn body) {
  auto op = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, body(nb, nloc, args));
      });
  return op.getResult(0);
}

/// An element-wise generic over `resultType`'s iteration space: every input
/// has the result's shape (or is a rank-0-broadcast-free operand).
Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                  ValueRange inputs, BodyFn body, Value init = {}) {
  unsigned rank = resultType.getRank();
  SmallVector<AffineMap> maps(inputs.size() + 1,
                              b.getMultiDimIdentityMap(rank));
  SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
  if (!init)
    init = empty(b, loc, resultType);
  return generic(b, loc, resultType, inputs, init, maps, iterators, body);
}

/// Pads H and W (dims 2 and 3) of a rank-4 tensor with `value`, as a
/// gather (not tensor.pad): it bufferizes to plain loads and stores, with no
/// strided copy that would need a runtime library.
Value padSpatial(OpBuilder &b, Location loc, Value x, int64_t ph, int64_t pw,
                 int64_t value) {
  if (ph == 0 && pw == 0)
    return x;
  RankedTensorType t = tensorType(x);
  SmallVector<int64_t> shape(t.getShape());
  int64_t h = shape[2], w = shape[3];
  shape[2] += 2 * ph;
  shape[3] += 2 * pw;
  return elementwise(
      b, loc, t.clone(shape), {}, [&](OpBuilder &nb, Location l, ValueRange a) {
        auto coord = [&](unsigned dim, int64_t pad, int64_t size,
                         Value &inside) {
          Value i =
              arith::SubIOp::create(nb, l, linalg::IndexOp::create(nb, l, dim),
                                    arith::ConstantIndexOp::create(nb, l, pad));
          Value ok = arith::CmpIOp::create(
              nb, l, arith::CmpIPredicate::ult, i,
              arith::ConstantIndexOp::create(nb, l, size));
          inside = inside ? arith::AndIOp::create(nb, l, inside, ok) : ok;
          // Clamped so the load stays in bounds when it is not used.
          return arith::MinUIOp::create(
              nb, l, i, arith::ConstantIndexOp::create(nb, l, size - 1));
        };
        Value inside;
        Value hh = coord(2, ph, h, inside), ww = coord(3, pw, w, inside);
        Value v = tensor::ExtractOp::create(
            nb, l, x,
            ValueRange{linalg::IndexOp::create(nb, l, 0),
                       linalg::IndexOp::create(nb, l, 1), hh, ww});
        return arith::SelectOp::create(nb, l, inside, v,
                                       cst(nb, l, t.getElementType(), value));
      });
}

/// The row-major flat index of the current element of a generic with
/// `shape` as its iteration space, as i64.
Value flatIndex(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) {
  Type i64 = b.getI64Type();
  Value flat = index(b, loc, 0, i64);
  for (unsigned d = 1; d < shape.size(); ++d)
    flat = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, flat, cst(b, loc, i64, shape[d])),
        index(b, loc, d, i64));
  return flat;
}

/// Names the matmul-like generics, so that a target can hand them to a
/// microkernel after bufferization (see intc-use-microkernels).
Value tagKernel(Value result, StringRef kernel) {
  result.getDefiningOp()->setAttr(kKernelAttr,
                                  StringAttr::get(result.getContext(), kernel));
  return result;
}

AffineMap map(OpBuilder &b, unsigned dims, ArrayRef<AffineExpr> results) {
  return AffineMap::get(dims, 0, results, b.getContext());
}

//===----------------------------------------------------------------------===//
// Matmul-like ops
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

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

/// tdiv(n, d) for a loop-invariant runtime d >= 1 without a division per
/// element: with l = ceil(log2 d), m = floor(2^(63+l) / d) + 1 (as a wrapped
/// int64) and s = l - 1, tdiv(n, d) = ((n + mulhs(n, m)) >> s) - (n >> 63)
/// for every int64 n > INT64_MIN (Hacker's Delight 10-1; exact, not an
/// approximation). The magic number costs one 128-bit division per update.
struct InvariantDivisor {
  Value divisor, magic, shift, isOne;

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
    r.divisor = d;
    r.magic = arith::AddIOp::create(
        b, loc, arith::TruncIOp::create(b, loc, i64, q), one);
    r.shift = arith::SubIOp::create(b, loc, l, one);
    r.isOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d, one);
    return r;
  }

  Value divide(OpBuilder &b, Location loc, Value n) const {
    Value t = arith::AddIOp::create(b, loc, n, mulhs(b, loc, n, magic));
    Value q = arith::SubIOp::create(
        b, loc, arith::ShRSIOp::create(b, loc, t, shift),
        arith::ShRSIOp::create(b, loc, n, cst(b, loc, n.getType(), 63)));
    return arith::SelectOp::create(b, loc, isOne, n, q);
  }
};

struct LowerSgdUpdate : OpRewritePattern<SgdUpdateOp> {
  LowerSgdUpdate(MLIRContext *ctx, bool fastDivision)
      : OpRewritePattern(ctx), fastDivision(fastDivision) {}

  LogicalResult matchAndRewrite(SgdUpdateOp op,
                                PatternRewriter &b) const override {
    Location loc = op.getLoc();
    Type i64 = b.getI64Type();
    Value div = arith::MulIOp::create(b, loc, op.getLrInv(),
                                      cst(b, loc, i64, op.getLrAmp()));
    std::optional<InvariantDivisor> fast;
    if (fastDivision)
      fast = InvariantDivisor::get(b, loc, div);
    int64_t decay = op.getDecayInv();
    // In place on W: W is the output operand and is read in the body.
    b.replaceOp(
        op, elementwise(
                b, loc, tensorType(op.getOutput()), {op.getGrad()},
                [&](OpBuilder &nb, Location l, ValueRange a) {
                  Value g = castInt(nb, l, a[0], i64);
                  Value w = castInt(nb, l, a[1], i64);
                  Value dw = fast ? fast->divide(nb, l, g)
                                  : arith::DivSIOp::create(nb, l, g, div);
                  // The decay quotient in the weight's own width
                  // (exact: decay > 0) divides by a constant that
                  // the vectoriser turns into a narrow multiply.
                  if (decay > 0) {
                    Value wn = a[1];
                    unsigned bits = wn.getType().getIntOrFloatBitWidth();
                    if (decay >= (int64_t(1) << (bits - 1)))
                      wn = w; // the divisor needs the wide type
                    dw = arith::AddIOp::create(
                        nb, l, dw,
                        castInt(nb, l,
                                arith::DivSIOp::create(
                                    nb, l, wn, cst(nb, l, wn.getType(), decay)),
                                i64));
                  }
                  Value next = arith::SubIOp::create(nb, l, w, dw);
                  // int16 storage saturates; int32 wraps
                  // like the reference.
                  if (a[1].getType().isInteger(16))
                    next = clamp(nb, l, next, -32768, 32767);
                  return castInt(nb, l, next, a[1].getType());
                },
                op.getWeight()));
    return success();
  }

  bool fastDivision;
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
    Value base =
        arith::MulIOp::create(b, loc, op.getStep(), cst(b, loc, i64, numel));
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

//===----------------------------------------------------------------------===//
// Pooling and reshapes
//===----------------------------------------------------------------------===//

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

struct LowerToLinalgPass : intc::impl::LowerToLinalgBase<LowerToLinalgPass> {
  using LowerToLinalgBase::LowerToLinalgBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LowerActivation, LowerActivationGrad, LowerConv2d,
                 LowerConv2dWeightGrad, LowerDropoutApply, LowerFlatten,
                 LowerInitUniform, LowerL2Grad, LowerLinear,
                 LowerLinearInputGrad, LowerLinearWeightGrad, LowerMaxPool,
                 LowerMaxPoolGather, LowerConv2dWeightGradSparse,
                 LowerMaxPoolGrad, LowerOneHot, LowerRescale>(&getContext());
    patterns.add<LowerSgdUpdate>(&getContext(), fastDivision);
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
