//===- Fuse.cpp - Element-wise and epilogue fusion by tiling --------------===//
//
// intc-fuse: fuses element-wise chains, and tiles the element-wise consumers
// of matmul-like reductions so the reductions run one tile at a time inside
// the consumer's loop (MLIR's tile-and-fuse through TilingInterface).
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::intc {
#define GEN_PASS_DEF_FUSE
#include "passes/Passes.h.inc"
} // namespace mlir::intc

using namespace mlir;
using namespace mlir::intc;

namespace {

bool isElementwise(linalg::GenericOp op) {
  return op.getNumLoops() == op.getNumParallelLoops() &&
         !op->hasAttr("intc.kernel");
}

/// The matmul-like reduction that produces one of `consumer`'s inputs, with
/// `consumer` as its only user, or null.
linalg::GenericOp fusableReduction(linalg::GenericOp consumer,
                                   ArrayRef<StringRef> kinds) {
  for (Value in : consumer.getDpsInputs()) {
    auto producer = in.getDefiningOp<linalg::GenericOp>();
    if (!producer || !producer->hasOneUse())
      continue;
    auto kind = producer->getAttrOfType<StringAttr>("intc.kernel");
    if (kind && llvm::is_contained(kinds, kind.getValue()))
      return producer;
  }
  // The SGD update reads its gradient as an input and W as the init.
  return nullptr;
}

/// The largest divisor of `dim` whose tile of `rowBytes` fits `budget`.
int64_t tileRows(int64_t dim, int64_t rowBytes, int64_t budget) {
  int64_t limit = std::max<int64_t>(1, budget / std::max<int64_t>(1, rowBytes));
  for (int64_t t = std::min(dim, limit); t > 1; --t)
    if (dim % t == 0)
      return t;
  return 1;
}

struct FusePass : intc::impl::FuseBase<FusePass> {
  using FuseBase::FuseBase;

  void runOnOperation() override {
    fuseElementwiseChains();
    tileEpilogues();
  }

  void fuseElementwiseChains() {
    RewritePatternSet patterns(&getContext());
    linalg::ControlFusionFn control = [](OpOperand *use) {
      auto producer = use->get().getDefiningOp<linalg::GenericOp>();
      auto consumer = llvm::dyn_cast<linalg::GenericOp>(use->getOwner());
      // Only single-use element-wise producers: fusing a shared producer
      // would recompute it.
      return producer && consumer && producer->hasOneUse() &&
             isElementwise(producer) && isElementwise(consumer);
    };
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }

  void tileEpilogues() {
    SmallVector<StringRef> kinds = {"linear", "conv2d"};
    if (weightUpdates)
      kinds.append({"linear_wgrad", "conv2d_wgrad", "conv2d_wgrad_sparse"});
    SmallVector<std::pair<linalg::GenericOp, int64_t>> work;
    getOperation().walk([&](linalg::GenericOp op) {
      if (!isElementwise(op) || op->getParentOfType<scf::ForOp>())
        return;
      linalg::GenericOp producer = fusableReduction(op, kinds);
      if (!producer)
        return;
      auto type = llvm::cast<RankedTensorType>(producer->getResult(0).getType());
      if (!type.hasStaticShape())
        return;
      int64_t rowBytes = type.getNumElements() / type.getDimSize(0) *
                         type.getElementTypeBitWidth() / 8;
      int64_t rows = tileRows(type.getDimSize(0), rowBytes, scratchBytes);
      if (rows < type.getDimSize(0))
        work.push_back({op, rows});
    });

    IRRewriter rewriter(&getContext());
    for (auto [consumer, rows] : work) {
      SmallVector<OpFoldResult> sizes(consumer.getNumLoops(),
                                      rewriter.getIndexAttr(0));
      sizes[0] = rewriter.getIndexAttr(rows);
      scf::SCFTilingOptions tiling;
      tiling.setTileSizes(sizes);
      scf::SCFTileAndFuseOptions options;
      options.setTilingOptions(tiling);
      // Fuse only the reduction and its zero init: anything further up the
      // chain would be recomputed for every tile.
      Operation *reduction = fusableReduction(consumer, kinds);
      options.setFusionControlFn(
          [reduction](tensor::ExtractSliceOp, OpResult producer, bool)
              -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
            Operation *op = producer.getOwner();
            bool initOfReduction =
                llvm::isa<linalg::FillOp, tensor::EmptyOp>(op) &&
                llvm::any_of(op->getUsers(),
                             [&](Operation *u) { return u == reduction; });
            if (op == reduction || initOfReduction)
              return scf::SCFTileAndFuseOptions::ControlFnResult{};
            return std::nullopt;
          });
      rewriter.setInsertionPoint(consumer);
      FailureOr<scf::SCFTileAndFuseResult> result =
          scf::tileConsumerAndFuseProducersUsingSCF(
              rewriter, llvm::cast<TilingInterface>(consumer.getOperation()),
              options);
      if (failed(result)) {
        consumer.emitOpError("could not be tiled for fusion");
        return signalPassFailure();
      }
      for (auto [original, replacement] : result->replacements)
        rewriter.replaceAllUsesWith(original, replacement);
    }
    // A slice of a tensor.empty becomes a tile-sized tensor.empty, so the
    // accumulator tile is its own small buffer after bufferization.
    RewritePatternSet patterns(&getContext());
    tensor::populateFoldTensorEmptyPatterns(patterns, /*foldSingleUseOnly=*/false);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
