//===- IntegerRng.cpp - The counter-based RNG in arith ops ----------------===//

#include "passes/IntegerRng.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::intc;

static Value c64(OpBuilder &b, Location loc, uint64_t v) {
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(b.getI64Type(), static_cast<int64_t>(v)));
}

Value rng::mix64(OpBuilder &b, Location loc, Value z) {
  auto xorShift = [&](Value v, uint64_t s) {
    return arith::XOrIOp::create(
        b, loc, v, arith::ShRUIOp::create(b, loc, v, c64(b, loc, s)));
  };
  z = xorShift(z, 30);
  z = arith::MulIOp::create(b, loc, z, c64(b, loc, 0xbf58476d1ce4e5b9ULL));
  z = xorShift(z, 27);
  z = arith::MulIOp::create(b, loc, z, c64(b, loc, 0x94d049bb133111ebULL));
  return xorShift(z, 31);
}

Value rng::key(OpBuilder &b, Location loc, Value seed, Value stream) {
  Value s = arith::XOrIOp::create(b, loc, stream,
                                  c64(b, loc, 0x6a09e667f3bcc909ULL));
  return mix64(b, loc, arith::XOrIOp::create(b, loc, seed, mix64(b, loc, s)));
}

Value rng::u64(OpBuilder &b, Location loc, Value key, Value counter) {
  Value next = arith::AddIOp::create(b, loc, counter, c64(b, loc, 1));
  Value gamma =
      arith::MulIOp::create(b, loc, next, c64(b, loc, 0x9e3779b97f4a7c15ULL));
  return mix64(b, loc, arith::AddIOp::create(b, loc, key, gamma));
}

Value rng::below(OpBuilder &b, Location loc, Value u, uint64_t n) {
  Value hi = arith::ShRUIOp::create(b, loc, u, c64(b, loc, 32));
  Value scaled = arith::MulIOp::create(b, loc, hi, c64(b, loc, n));
  return arith::ShRUIOp::create(b, loc, scaled, c64(b, loc, 32));
}
