//===- UseMicrokernels.cpp - Matmul-like loops -> runtime/cpu calls -------===//
//
// intc-use-microkernels: replaces the tagged linalg.generic reductions by
// calls to the bit-exact vectorised kernels of runtime/cpu.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::intc {
#define GEN_PASS_DEF_USEMICROKERNELS
#include "passes/Passes.h.inc"
} // namespace mlir::intc

using namespace mlir;
using namespace mlir::intc;

namespace {

/// True for a statically shaped memref whose strides are the row-major ones
/// of its shape (any offset): a contiguous view the kernels can index.
bool isContiguous(MemRefType type) {
  if (!type.hasStaticShape())
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(type.getStridesAndOffset(strides, offset)))
    return false;
  int64_t expected = 1;
  for (int i = type.getRank() - 1; i >= 0; --i) {
    if (type.getDimSize(i) != 1 && strides[i] != expected)
      return false;
    expected *= type.getDimSize(i);
  }
  return true;
}

bool isInt(Value v, unsigned width) {
  return llvm::cast<MemRefType>(v.getType()).getElementType().isInteger(width);
}

/// The kernel for a tagged generic, or "" when its types are not covered.
std::string kernelName(StringRef kind, Value in0, Value in1, Value out) {
  if (!isInt(out, 64))
    return "";
  Value act = kind.ends_with("wgrad") ? in1 : in0;
  Value other = kind.ends_with("wgrad") ? in0 : in1;
  if (!isInt(other, 32))
    return "";
  std::string suffix = isInt(act, 8) ? "i8" : isInt(act, 16) ? "i16" : "";
  if (suffix.empty())
    return "";
  return ("intc_cpu_" + kind + "_acc_" + suffix).str();
}

func::FuncOp declareKernel(ModuleOp module, StringRef name,
                           ArrayRef<Type> args) {
  if (auto fn = module.lookupSymbol<func::FuncOp>(name))
    return fn;
  OpBuilder b(module.getBodyRegion());
  auto fn = func::FuncOp::create(b, module.getLoc(), name,
                                 b.getFunctionType(args, {}));
  fn.setPrivate();
  return fn;
}

struct UseMicrokernelsPass
    : intc::impl::UseMicrokernelsBase<UseMicrokernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<linalg::GenericOp> generics;
    module.walk([&](linalg::GenericOp op) {
      if (op->hasAttr("intc.kernel") && op.hasPureBufferSemantics())
        generics.push_back(op);
    });
    for (linalg::GenericOp op : generics)
      rewrite(module, op);
  }

  void rewrite(ModuleOp module, linalg::GenericOp op) {
    StringRef kind = op->getAttrOfType<StringAttr>("intc.kernel").getValue();
    if (kind == "conv2d_wgrad_sparse")
      return rewriteSparse(module, op);
    Value in0 = op.getDpsInputs()[0], in1 = op.getDpsInputs()[1];
    Value out = op.getDpsInits()[0];
    for (Value v : {in0, in1, out})
      if (!isContiguous(llvm::cast<MemRefType>(v.getType())))
        return;
    std::string name = kernelName(kind, in0, in1, out);
    if (name.empty())
      return;

    OpBuilder b(op);
    Location loc = op.getLoc();
    Type i64 = b.getI64Type();
    SmallVector<Value> args;
    SmallVector<Type> argTypes;
    for (Value v : {in0, in1, out}) {
      auto meta = memref::ExtractStridedMetadataOp::create(b, loc, v);
      args.push_back(meta.getBaseBuffer());
      argTypes.push_back(meta.getBaseBuffer().getType());
      args.push_back(arith::IndexCastOp::create(b, loc, i64, meta.getOffset()));
      argTypes.push_back(i64);
    }
    auto dim = [&](Value v, unsigned d) {
      return llvm::cast<MemRefType>(v.getType()).getDimSize(d);
    };
    // Sizes, in the order of the kernel signatures (runtime/cpu).
    SmallVector<int64_t> sizes;
    if (kind == "linear") // x: B x IN, w: OUT x IN
      sizes = {dim(in0, 0), dim(in0, 1), dim(in1, 0)};
    else if (kind == "linear_wgrad") // d: B x OUT, x: B x IN
      sizes = {dim(in0, 0), dim(in1, 1), dim(in0, 1)};
    else if (kind == "conv2d") // xp: B x C x Hp x Wp, w: F x C x K x K
      sizes = {dim(in0, 0), dim(in0, 1), dim(in0, 2),
               dim(in0, 3), dim(in1, 0), dim(in1, 2)};
    else if (kind == "conv2d_wgrad") // d: B x F x Ho x Wo, xp: B x C x Hp x Wp
      sizes = {dim(in1, 0), dim(in1, 1), dim(in1, 2),
               dim(in1, 3), dim(in0, 1), dim(out, 2)};
    else
      return;
    for (int64_t s : sizes) {
      args.push_back(arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(s)));
      argTypes.push_back(i64);
    }
    func::FuncOp fn = declareKernel(module, name, argTypes);
    func::CallOp::create(b, loc, fn, args);
    op.erase();
  }

  /// The sparse conv weight gradient reads the padded input by gather
  /// (memref.load in its body), so that buffer is found in the body.
  void rewriteSparse(ModuleOp module, linalg::GenericOp op) {
    Value d = op.getDpsInputs()[0], ind = op.getDpsInputs()[1];
    Value g = op.getDpsInits()[0], xp;
    op.getRegion().walk([&](memref::LoadOp load) {
      if (!op->isAncestor(load.getMemRef().getParentBlock()->getParentOp()))
        xp = load.getMemRef();
    });
    if (!xp || !isInt(d, 32) || !isInt(ind, 32) || !isInt(g, 64))
      return;
    for (Value v : {d, ind, xp, g})
      if (!isContiguous(llvm::cast<MemRefType>(v.getType())))
        return;
    std::string suffix = isInt(xp, 8) ? "i8" : isInt(xp, 16) ? "i16" : "";
    if (suffix.empty())
      return;
    std::string name = "intc_cpu_conv2d_wgrad_sparse_acc_" + suffix;

    OpBuilder b(op);
    Location loc = op.getLoc();
    Type i64 = b.getI64Type();
    SmallVector<Value> args;
    SmallVector<Type> argTypes;
    for (Value v : {d, ind, xp, g}) {
      auto meta = memref::ExtractStridedMetadataOp::create(b, loc, v);
      args.push_back(meta.getBaseBuffer());
      argTypes.push_back(meta.getBaseBuffer().getType());
      args.push_back(arith::IndexCastOp::create(b, loc, i64, meta.getOffset()));
      argTypes.push_back(i64);
    }
    auto dim = [&](Value v, unsigned k) {
      return llvm::cast<MemRefType>(v.getType()).getDimSize(k);
    };
    // B, C, Hp, Wp, F, K, GH, GW
    for (int64_t s : {dim(xp, 0), dim(xp, 1), dim(xp, 2), dim(xp, 3), dim(d, 1),
                      dim(g, 2), dim(d, 2), dim(d, 3)}) {
      args.push_back(arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(s)));
      argTypes.push_back(i64);
    }
    func::FuncOp fn = declareKernel(module, name, argTypes);
    func::CallOp::create(b, loc, fn, args);
    op.erase();
  }
};

} // namespace
