//===- UseGpuKernels.cpp - Matmul-like loops -> runtime/cuda launchers ----===//
//
// intc-use-gpu-kernels: replaces the tagged linalg.generic reductions by
// calls to the exact tensor-core kernels of runtime/cuda (the cuda analogue
// of intc-use-microkernels, with the same calling convention).
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CUDA/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::intc::cuda {
#define GEN_PASS_DEF_USEGPUKERNELS
#include "lib/Target/CUDA/Transforms/Passes.h.inc"
} // namespace mlir::intc::cuda

using namespace mlir;
using namespace mlir::intc;

namespace {

/// A statically shaped memref whose strides are the row-major ones of its
/// shape (any offset): a view the kernels index as one contiguous block.
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

int64_t dim(Value v, unsigned d) {
  return llvm::cast<MemRefType>(v.getType()).getDimSize(d);
}

/// The launcher for a tagged generic, or "" when its types are not covered.
std::string launcherName(StringRef kind, Value in0, Value in1, Value out) {
  bool wgrad = kind.ends_with("wgrad");
  Value act = wgrad ? in1 : in0, other = wgrad ? in0 : in1;
  if (!isInt(out, 64) || !isInt(other, 32))
    return "";
  std::string suffix = isInt(act, 8) ? "i8" : isInt(act, 16) ? "i16" : "";
  if (suffix.empty())
    return "";
  return ("intc_cuda_" + kind + "_acc_" + suffix).str();
}

/// The launcher's size arguments (runtime/cuda/intc_cuda_kernels.h), or
/// none for an unknown kind.
SmallVector<int64_t> launcherSizes(StringRef kind, Value in0, Value in1,
                                   Value out) {
  if (kind == "linear") // x: B x IN, w: OUT x IN
    return {dim(in0, 0), dim(in0, 1), dim(in1, 0)};
  if (kind == "linear_wgrad") // d: B x OUT, x: B x IN
    return {dim(in0, 0), dim(in1, 1), dim(in0, 1)};
  if (kind == "conv2d") // xp: B x C x Hp x Wp, w: F x C x K x K
    return {dim(in0, 0), dim(in0, 1), dim(in0, 2),
            dim(in0, 3), dim(in1, 0), dim(in1, 2)};
  if (kind == "conv2d_wgrad") // d: B x F x Ho x Wo, xp: B x C x Hp x Wp
    return {dim(in1, 0), dim(in1, 1), dim(in1, 2),
            dim(in1, 3), dim(in0, 1), dim(out, 2)};
  return {};
}

func::FuncOp declareLauncher(ModuleOp module, StringRef name,
                             ArrayRef<Type> args) {
  if (auto fn = module.lookupSymbol<func::FuncOp>(name))
    return fn;
  OpBuilder b(module.getBodyRegion());
  auto fn = func::FuncOp::create(b, module.getLoc(), name,
                                 b.getFunctionType(args, {}));
  fn.setPrivate();
  return fn;
}

struct UseGpuKernelsPass : cuda::impl::UseGpuKernelsBase<UseGpuKernelsPass> {
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
    if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1)
      return;
    Value in0 = op.getDpsInputs()[0], in1 = op.getDpsInputs()[1];
    Value out = op.getDpsInits()[0];
    for (Value v : {in0, in1, out})
      if (!isContiguous(llvm::cast<MemRefType>(v.getType())))
        return;
    std::string name = launcherName(kind, in0, in1, out);
    SmallVector<int64_t> sizes = launcherSizes(kind, in0, in1, out);
    if (name.empty() || sizes.empty())
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
    for (int64_t s : sizes) {
      args.push_back(arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(s)));
      argTypes.push_back(i64);
    }
    func::FuncOp fn = declareLauncher(module, name, argTypes);
    func::CallOp::create(b, loc, fn, args);
    op.erase();
  }
};

} // namespace
