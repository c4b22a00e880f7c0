//===- Builders.cpp - Building blocks of intc-lower-to-linalg -------------===//

#include "passes/LowerToLinalg/Builders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::intc::lowering {

RankedTensorType tensorType(Value v) {
  return llvm::cast<RankedTensorType>(v.getType());
}

Value cst(OpBuilder &b, Location loc, Type type, int64_t v) {
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
}

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

Value elementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                  ValueRange inputs, BodyFn body, Value init) {
  unsigned rank = resultType.getRank();
  SmallVector<AffineMap> maps(inputs.size() + 1,
                              b.getMultiDimIdentityMap(rank));
  SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
  if (!init)
    init = empty(b, loc, resultType);
  return generic(b, loc, resultType, inputs, init, maps, iterators, body);
}

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

Value flatIndex(OpBuilder &b, Location loc, ArrayRef<int64_t> shape) {
  Type i64 = b.getI64Type();
  Value flat = index(b, loc, 0, i64);
  for (unsigned d = 1; d < shape.size(); ++d)
    flat = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, flat, cst(b, loc, i64, shape[d])),
        index(b, loc, d, i64));
  return flat;
}

Value tagKernel(Value result, StringRef kernel) {
  result.getDefiningOp()->setAttr(kKernelAttr,
                                  StringAttr::get(result.getContext(), kernel));
  return result;
}

AffineMap map(OpBuilder &b, unsigned dims, ArrayRef<AffineExpr> results) {
  return AffineMap::get(dims, 0, results, b.getContext());
}

} // namespace mlir::intc::lowering
