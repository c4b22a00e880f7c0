//===- UseMicrokernels.cpp - Matmul-like loops -> runtime/cpu calls -------===//
//
// intc-use-microkernels: replaces the tagged linalg.generic reductions by
// calls to the bit-exact vectorised kernels of runtime/cpu.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "passes/KernelCalls.h"
#include "passes/LowerToLinalg/Builders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

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
    if (kind == "linear_wgrad" && rewriteWithUpdate(module, op))
      return;
    replaceDenseKernel(module, op, "intc_cpu_", /*overwrite=*/true);
  }

  /// The SGD update (lowered `intc.sgd_update`) that is the next op with
  /// memory effects after the weight gradient `op` and reads its gradient
  /// buffer, when nothing reads that gradient afterwards: the buffer's next
  /// use in the block, if any, fills it anew or frees it (the planned
  /// arena gives one view to every temporary of the same place and type,
  /// so other gradients may use the same value before and after).
  static linalg::GenericOp updateOf(linalg::GenericOp op) {
    Value g = op.getDpsInits()[0];
    Operation *next = op->getNextNode();
    while (next && isMemoryEffectFree(next))
      next = next->getNextNode();
    auto update = dyn_cast_or_null<linalg::GenericOp>(next);
    if (!update || !update->hasAttr(lowering::kSgdDecayAttr) ||
        !update.hasPureBufferSemantics() || update.getNumDpsInputs() != 2 ||
        update.getNumDpsInits() != 1 || update.getDpsInputs()[0] != g ||
        !update.getDpsInputs()[1].getType().isInteger(64))
      return {};
    Block *block = update->getBlock();
    Operation *nextUse = nullptr;
    for (Operation *user : g.getUsers()) {
      Operation *at = block->findAncestorOpInBlock(*user);
      if (!at)
        return {};
      if (update->isBeforeInBlock(at) &&
          (!nextUse || at->isBeforeInBlock(nextUse)))
        nextUse = at;
    }
    if (!nextUse || isa<memref::DeallocOp, bufferization::DeallocOp>(nextUse))
      return update;
    auto refill = dyn_cast<linalg::FillOp>(nextUse);
    if (refill && refill.hasPureBufferSemantics() &&
        refill.getDpsInits()[0] == g)
      return update;
    return {};
  }

  /// A linear weight gradient into zeros whose only reader is its SGD update
  /// on int32 weights: one call of intc_cpu_linear_wgrad_sgd_<i8|i16>,
  /// which sums each tile of the gradient in L1 and updates its weights at
  /// once, so the int64 gradient (72 MB for a 3000 x 3000 layer) is never
  /// written or read back. It runs where the update ran; only pure ops lie
  /// between the two, so the deltas and inputs are the same there.
  bool rewriteWithUpdate(ModuleOp module, linalg::GenericOp op) {
    if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1)
      return false;
    Value d = op.getDpsInputs()[0], x = op.getDpsInputs()[1];
    Value g = op.getDpsInits()[0];
    linalg::GenericOp update = updateOf(op);
    linalg::FillOp fill = update ? zeroFilledBefore(op, g) : linalg::FillOp();
    if (!fill)
      return false;
    Value w = update.getDpsInits()[0];
    for (Value v : {d, x, g, w})
      if (!isContiguousBuffer(v) ||
          llvm::cast<MemRefType>(v.getType()).getRank() != 2)
        return false;
    auto shape = [](Value v) {
      return llvm::cast<MemRefType>(v.getType()).getShape();
    };
    if (!hasIntElements(d, 32) || !hasIntElements(g, 64) ||
        !hasIntElements(w, 32) || shape(w) != shape(g))
      return false;
    StringRef suffix = hasIntElements(x, 8)    ? "i8"
                       : hasIntElements(x, 16) ? "i16"
                                               : "";
    if (suffix.empty())
      return false;
    OpBuilder b(update);
    int64_t decay =
        update->getAttrOfType<IntegerAttr>(lowering::kSgdDecayAttr).getInt();
    Value decayInv = arith::ConstantOp::create(b, update.getLoc(),
                                               b.getI64IntegerAttr(decay));
    // d: B x OUT, x: B x IN, w: OUT x IN; then div = lr_inv * lr_amp.
    replaceByKernelCall(module, update,
                        ("intc_cpu_linear_wgrad_sgd_" + suffix).str(),
                        {d, x, w}, {shape(d)[0], shape(x)[1], shape(d)[1]},
                        {update.getDpsInputs()[1], decayInv});
    op->erase();
    fill->erase();
    return true;
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
