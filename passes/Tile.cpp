//===- Tile.cpp - Cache tiling of matmul-like reductions ------------------===//
//
// intc-tile: splits the parallel dimensions of the tagged reductions until
// one tile's operands fit a cache budget (MLIR's tileUsingSCF through
// TilingInterface).
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::intc {
#define GEN_PASS_DEF_TILE
#include "passes/Passes.h.inc"
} // namespace mlir::intc

using namespace mlir;
using namespace mlir::intc;

namespace {

/// The largest divisor of `dim` that is at most `limit` (at least 1).
int64_t largestDivisorAtMost(int64_t dim, int64_t limit) {
  for (int64_t t = std::min(dim, std::max<int64_t>(limit, 1)); t > 1; --t)
    if (dim % t == 0)
      return t;
  return 1;
}

/// Bytes one tile of `op` touches with loop `sizes` (0 = whole loop): for
/// every operand, the product of the loop extents its map uses.
int64_t tileBytes(linalg::GenericOp op, ArrayRef<int64_t> loops,
                  ArrayRef<int64_t> sizes) {
  int64_t total = 0;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    auto type = llvm::cast<ShapedType>(operand.get().getType());
    int64_t elems = 1;
    for (unsigned d = 0; d < loops.size(); ++d)
      if (map.isFunctionOfDim(d))
        elems *= sizes[d] ? sizes[d] : loops[d];
    total += elems * ((type.getElementTypeBitWidth() + 7) / 8);
  }
  return total;
}

struct TilePass : intc::impl::TileBase<TilePass> {
  using TileBase::TileBase;

  void runOnOperation() override {
    SmallVector<linalg::GenericOp> work;
    getOperation().walk([&](linalg::GenericOp op) {
      if (op->hasAttr("intc.kernel") && !op->getParentOfType<scf::ForOp>() &&
          op.hasPureTensorSemantics())
        work.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp op : work) {
      SmallVector<int64_t> loops = op.getStaticLoopRanges();
      if (llvm::any_of(loops, ShapedType::isDynamic))
        continue;
      SmallVector<int64_t> sizes(loops.size(), 0);
      SmallVector<unsigned> parallel;
      for (auto [d, it] : llvm::enumerate(op.getIteratorTypesArray()))
        if (it == utils::IteratorType::parallel)
          parallel.push_back(d);
      // Halve the outermost parallel loops, one after the other, until the
      // tile fits the budget.
      for (unsigned d : parallel) {
        while (tileBytes(op, loops, sizes) > cacheBytes) {
          int64_t current = sizes[d] ? sizes[d] : loops[d];
          if (current == 1)
            break;
          sizes[d] = largestDivisorAtMost(loops[d], current / 2);
        }
        if (tileBytes(op, loops, sizes) <= cacheBytes)
          break;
      }
      if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
        continue;
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
          rewriter, llvm::cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled)) {
        op.emitOpError("could not be tiled");
        return signalPassFailure();
      }
      rewriter.replaceOp(op, tiled->replacements);
    }
  }
};

} // namespace
