//===- PlanMemory.cpp - Static liveness-based buffer planning -------------===//
//
// intc-plan-memory: one arena per function instead of a malloc per temporary.
// The training step is straight-line code, so a live range is an interval of
// top-level op positions, and placement is interval colouring by offset.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mlir::intc {
#define GEN_PASS_DEF_PLANMEMORY
#include "passes/Passes.h.inc"
} // namespace mlir::intc

using namespace mlir;
using namespace mlir::intc;

namespace {

constexpr int64_t kAlignment = 64;

struct Buffer {
  memref::AllocOp alloc;
  int64_t bytes = 0;
  unsigned start = 0, end = 0; ///< live range in top-level positions
  int64_t offset = -1;
};

int64_t alignUp(int64_t v) { return (v + kAlignment - 1) / kAlignment * kAlignment; }

/// The top-level op of `block` containing `op`.
Operation *topLevel(Block &block, Operation *op) {
  while (op && op->getBlock() != &block)
    op = op->getParentOp();
  return op;
}

/// Every value that aliases `root` through view-like ops (subviews,
/// reshapes, casts, metadata extraction).
void collectAliases(Value root, SmallVectorImpl<Value> &out) {
  SmallVector<Value> work = {root};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    out.push_back(v);
    for (Operation *user : v.getUsers()) {
      if (llvm::isa<ViewLikeOpInterface, memref::ExtractStridedMetadataOp,
                    memref::CastOp, bufferization::ToTensorOp>(user))
        for (Value r : user->getResults())
          if (llvm::isa<MemRefType, TensorType>(r.getType()))
            work.push_back(r);
    }
  }
}

struct PlanMemoryPass : intc::impl::PlanMemoryBase<PlanMemoryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (func::FuncOp fn : module.getOps<func::FuncOp>())
      if (!fn.isExternal())
        plan(module, fn);
  }

  void plan(ModuleOp module, func::FuncOp fn) {
    Block &block = fn.getBody().front();
    llvm::DenseMap<Operation *, unsigned> position;
    unsigned index = 0;
    for (Operation &op : block)
      position[&op] = index++;

    // Allocations nested in loop bodies (tiles from intc-fuse) live for the
    // whole top-level op that holds them, and are reused by every iteration.
    SmallVector<Buffer> buffers;
    fn.walk([&](memref::AllocOp alloc) {
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity())
        return;
      Operation *home = topLevel(block, alloc);
      Buffer buf;
      buf.alloc = alloc;
      buf.bytes = alignUp(type.getNumElements() *
                          ((type.getElementTypeBitWidth() + 7) / 8));
      buf.start = buf.end = position[home];
      SmallVector<Value> aliases;
      collectAliases(alloc.getResult(), aliases);
      bool escapes = false;
      for (Value v : aliases)
        for (Operation *user : v.getUsers()) {
          // A buffer that leaves its region cannot be given a fixed slot.
          if (user->hasTrait<OpTrait::IsTerminator>() &&
              !llvm::isa<linalg::YieldOp>(user))
            escapes = true;
          if (Operation *top = topLevel(block, user))
            buf.end = std::max(buf.end, position[top]);
        }
      if (!escapes)
        buffers.push_back(buf);
    });
    if (buffers.empty())
      return;

    // Largest first, each at the lowest offset free during its live range.
    SmallVector<Buffer *> order;
    for (Buffer &b : buffers)
      order.push_back(&b);
    llvm::stable_sort(order, [](Buffer *a, Buffer *b) {
      return a->bytes > b->bytes;
    });
    int64_t arenaBytes = 0;
    SmallVector<Buffer *> placed;
    for (Buffer *buf : order) {
      SmallVector<std::pair<int64_t, int64_t>> busy;
      for (Buffer *other : placed)
        if (other->start <= buf->end && buf->start <= other->end)
          busy.push_back({other->offset, other->offset + other->bytes});
      llvm::sort(busy);
      int64_t offset = 0;
      for (auto [lo, hi] : busy) {
        if (offset + buf->bytes <= lo)
          break;
        offset = std::max(offset, hi);
      }
      buf->offset = offset;
      arenaBytes = std::max(arenaBytes, offset + buf->bytes);
      placed.push_back(buf);
    }

    // The arena, and every allocation as a view of it.
    OpBuilder b(module.getBodyRegion());
    std::string name = (fn.getName() + "_arena").str();
    auto arenaType = MemRefType::get({arenaBytes}, b.getI8Type());
    auto global = memref::GlobalOp::create(
        b, fn.getLoc(), name, b.getStringAttr("private"), arenaType,
        /*initial_value=*/Attribute(), /*constant=*/false,
        b.getI64IntegerAttr(kAlignment));
    b.setInsertionPointToStart(&block);
    Value arena =
        memref::GetGlobalOp::create(b, fn.getLoc(), arenaType, global.getName());

    for (Buffer &buf : buffers) {
      b.setInsertionPoint(buf.alloc);
      Value offset =
          arith::ConstantIndexOp::create(b, buf.alloc.getLoc(), buf.offset);
      Value view = memref::ViewOp::create(b, buf.alloc.getLoc(),
                                          buf.alloc.getType(), arena, offset,
                                          ValueRange{});
      buf.alloc.replaceAllUsesWith(view);
      for (Operation *user : llvm::make_early_inc_range(view.getUsers()))
        if (llvm::isa<memref::DeallocOp>(user))
          user->erase();
      buf.alloc.erase();
    }
    fn->setAttr("intc.arena_bytes", b.getI64IntegerAttr(arenaBytes));
  }
};

} // namespace
