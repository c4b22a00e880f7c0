//===- UseMicrokernels.cpp - Matmul-like loops -> runtime/cpu calls -------===//
//
// intc-use-microkernels: replaces the tagged linalg.generic reductions by
// calls to the bit-exact vectorised kernels of runtime/cpu.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "passes/KernelCalls.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::intc {
#define GEN_PASS_DEF_USEMICROKERNELS
#include "passes/Passes.h.inc"
} // namespace mlir::intc

using namespace mlir;
using namespace mlir::intc;

namespace {

struct UseMicrokernelsPass
    : intc::impl::UseMicrokernelsBase<UseMicrokernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (linalg::GenericOp op : collectTaggedKernels(module))
      rewrite(module, op);
  }

  void rewrite(ModuleOp module, linalg::GenericOp op) {
    StringRef kind = op->getAttrOfType<StringAttr>("intc.kernel").getValue();
    if (kind == "conv2d_wgrad_sparse")
      return rewriteSparse(module, op);
    replaceDenseKernel(module, op, "intc_cpu_", /*overwrite=*/true);
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
    if (!xp || !hasIntElements(d, 32) || !hasIntElements(ind, 32) ||
        !hasIntElements(g, 64))
      return;
    for (Value v : {d, ind, xp, g})
      if (!isContiguousBuffer(v) ||
          llvm::cast<MemRefType>(v.getType()).getRank() != 4)
        return;
    std::string suffix = hasIntElements(xp, 8)    ? "i8"
                         : hasIntElements(xp, 16) ? "i16"
                                                  : "";
    if (suffix.empty())
      return;
    auto dim = [&](Value v, unsigned k) {
      return llvm::cast<MemRefType>(v.getType()).getDimSize(k);
    };
    // B, C, Hp, Wp, F, K, GH, GW
    replaceByKernelCall(module, op,
                        "intc_cpu_conv2d_wgrad_sparse_acc_" + suffix,
                        {d, ind, xp, g},
                        {dim(xp, 0), dim(xp, 1), dim(xp, 2), dim(xp, 3),
                         dim(d, 1), dim(g, 2), dim(d, 2), dim(d, 3)});
  }
};

} // namespace
