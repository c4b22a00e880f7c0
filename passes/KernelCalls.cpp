//===- KernelCalls.cpp - Tagged reductions -> runtime kernel calls --------===//

#include "passes/KernelCalls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

SmallVector<linalg::GenericOp> intc::collectTaggedKernels(ModuleOp module) {
  SmallVector<linalg::GenericOp> generics;
  module.walk([&](linalg::GenericOp op) {
    if (op->getAttrOfType<StringAttr>("intc.kernel") &&
        op.hasPureBufferSemantics())
      generics.push_back(op);
  });
  return generics;
}

bool intc::isContiguousBuffer(Value buffer) {
  auto type = llvm::cast<MemRefType>(buffer.getType());
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

bool intc::hasIntElements(Value buffer, unsigned width) {
  return llvm::cast<MemRefType>(buffer.getType())
      .getElementType()
      .isInteger(width);
}

static func::FuncOp declareKernel(ModuleOp module, StringRef name,
                                  ArrayRef<Type> args) {
  if (auto fn = module.lookupSymbol<func::FuncOp>(name))
    return fn;
  OpBuilder b(module.getBodyRegion());
  auto fn = func::FuncOp::create(b, module.getLoc(), name,
                                 b.getFunctionType(args, {}));
  fn.setPrivate();
  return fn;
}

void intc::replaceByKernelCall(ModuleOp module, Operation *op, StringRef name,
                               ValueRange buffers, ArrayRef<int64_t> sizes,
                               ValueRange scalars) {
  OpBuilder b(op);
  Location loc = op->getLoc();
  Type i64 = b.getI64Type();
  SmallVector<Value> args;
  SmallVector<Type> argTypes;
  for (Value v : buffers) {
    auto meta = memref::ExtractStridedMetadataOp::create(b, loc, v);
    args.push_back(meta.getBaseBuffer());
    argTypes.push_back(meta.getBaseBuffer().getType());
    args.push_back(arith::IndexCastOp::create(b, loc, i64, meta.getOffset()));
    argTypes.push_back(i64);
  }
  for (int64_t s : sizes) {
    args.push_back(arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(s)));
    argTypes.push_back(i64);
  }
  for (Value v : scalars) {
    args.push_back(v);
    argTypes.push_back(v.getType());
  }
  func::CallOp::create(b, loc, declareKernel(module, name, argTypes), args);
  op->erase();
}

bool intc::replaceDenseKernel(ModuleOp module, linalg::GenericOp op,
                              StringRef prefix, bool overwrite) {
  StringRef kind = op->getAttrOfType<StringAttr>("intc.kernel").getValue();
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1)
    return false;
  Value in0 = op.getDpsInputs()[0], in1 = op.getDpsInputs()[1];
  Value out = op.getDpsInits()[0];
  for (Value v : {in0, in1, out})
    if (!isContiguousBuffer(v))
      return false;
  // The activations are the second input of a weight gradient, the first
  // otherwise; the other input is int32 (weights or deltas).
  // The tag names the loop nest; buffers of another rank are not it.
  int64_t rank = kind.starts_with("conv2d") ? 4 : 2;
  for (Value v : {in0, in1, out})
    if (llvm::cast<MemRefType>(v.getType()).getRank() != rank)
      return false;
  bool wgrad = kind.ends_with("wgrad");
  Value act = wgrad ? in1 : in0, other = wgrad ? in0 : in1;
  if (!hasIntElements(out, 64) || !hasIntElements(other, 32))
    return false;
  StringRef suffix = hasIntElements(act, 8)    ? "i8"
                     : hasIntElements(act, 16) ? "i16"
                                               : "";
  if (suffix.empty())
    return false;
  auto dim = [](Value v, unsigned d) {
    return llvm::cast<MemRefType>(v.getType()).getDimSize(d);
  };
  // Sizes in the order of the kernel signatures (runtime/cpu and
  // runtime/cuda kernel headers).
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
    return false;
  // The int64 gradient of a large linear layer (72 MB for 3000 x 3000) is
  // zeroed every step: the overwriting kernel zeroes each tile in L1 instead
  // of a memset pass over memory.
  std::string name = (prefix + kind + "_acc_" + suffix).str();
  if (overwrite && kind == "linear_wgrad")
    if (linalg::FillOp fill = zeroFilledBefore(op, out)) {
      fill->erase();
      name = (prefix + kind + "_" + suffix).str();
    }
  replaceByKernelCall(module, op, name, {in0, in1, out}, sizes);
  return true;
}

linalg::FillOp intc::zeroFilledBefore(Operation *op, Value buffer) {
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    if (isMemoryEffectFree(prev))
      continue;
    auto fill = dyn_cast<linalg::FillOp>(prev);
    if (!fill || !fill.hasPureBufferSemantics() ||
        fill.getDpsInits()[0] != buffer ||
        !matchPattern(fill.getInputs()[0], m_Zero()))
      return {};
    return fill;
  }
  return {};
}
