//===- MapToGpu.cpp - Loop nests and memory accesses -> gpu.launch --------===//
//
// intc-map-to-gpu: every outermost scf.parallel becomes a 1-D gpu.launch
// over its flattened iteration space; any other host op that touches memory
// runs in a one-thread launch.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CUDA/Transforms/Passes.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::intc::cuda {
#define GEN_PASS_DEF_MAPTOGPU
#include "lib/Target/CUDA/Transforms/Passes.h.inc"
} // namespace mlir::intc::cuda

using namespace mlir;
using namespace mlir::intc;

namespace {

Value indexConst(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// A launch of grid (blocks, 1, 1) and blocks (threads, 1, 1) whose body is
/// empty but for its terminator; the builder is left before the terminator.
gpu::LaunchOp createLaunch(OpBuilder &b, Location loc, Value blocks,
                           Value threads) {
  Value one = indexConst(b, loc, 1);
  auto launch =
      gpu::LaunchOp::create(b, loc, blocks, one, one, threads, one, one);
  Block &body = launch.getBody().front();
  b.setInsertionPointToEnd(&body);
  auto term = gpu::TerminatorOp::create(b, loc);
  b.setInsertionPoint(term);
  return launch;
}

/// Whether `op` (or an op nested in it, outside any launch) reads or writes
/// a memref. Calls are host calls (the runtime/cuda launchers).
bool touchesMemory(Operation *op) {
  bool touches = false;
  op->walk([&](Operation *inner) {
    if (isa<gpu::LaunchOp>(inner))
      return WalkResult::skip();
    auto iface = dyn_cast<MemoryEffectOpInterface>(inner);
    if (!iface || isa<func::CallOp>(inner))
      return WalkResult::advance();
    SmallVector<MemoryEffects::EffectInstance> effects;
    iface.getEffects(effects);
    for (auto &effect : effects)
      if (isa<MemoryEffects::Read, MemoryEffects::Write>(effect.getEffect()) &&
          effect.getValue() && isa<BaseMemRefType>(effect.getValue().getType()))
        touches = true;
    return touches ? WalkResult::interrupt() : WalkResult::advance();
  });
  return touches;
}

bool containsLaunch(Operation *op) {
  return op->walk([](gpu::LaunchOp) { return WalkResult::interrupt(); })
      .wasInterrupted();
}

struct MapToGpuPass : cuda::impl::MapToGpuBase<MapToGpuPass> {
  using MapToGpuBase::MapToGpuBase;

  void runOnOperation() override {
    if (threads <= 0 || threads > 1024) {
      getOperation().emitError("intc-map-to-gpu: threads must be in [1, 1024]");
      return signalPassFailure();
    }
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      if (fn.isExternal())
        continue;
      SmallVector<scf::ParallelOp> loops;
      fn.walk([&](scf::ParallelOp loop) {
        if (!loop->getParentOfType<scf::ParallelOp>())
          loops.push_back(loop);
      });
      for (scf::ParallelOp loop : loops)
        if (failed(launchLoop(loop)))
          return signalPassFailure();
      for (Block &block : fn.getBody())
        if (failed(launchRest(block)))
          return signalPassFailure();
    }
  }

  /// scf.parallel -> gpu.launch over the flattened iteration space.
  LogicalResult launchLoop(scf::ParallelOp loop) {
    if (loop.getNumResults() != 0)
      return loop.emitOpError("with reductions cannot be mapped to the GPU");
    OpBuilder b(loop);
    Location loc = loop.getLoc();
    unsigned rank = loop.getNumLoops();
    SmallVector<Value> counts;
    Value total = indexConst(b, loc, 1);
    // Folded as they are built: static loops give constant sizes, which the
    // kernels then divide by (and outlining copies in, not passes).
    for (unsigned d = 0; d < rank; ++d) {
      Value extent = b.createOrFold<arith::SubIOp>(loc, loop.getUpperBound()[d],
                                                   loop.getLowerBound()[d]);
      Value n =
          b.createOrFold<arith::CeilDivSIOp>(loc, extent, loop.getStep()[d]);
      n = b.createOrFold<arith::MaxSIOp>(loc, n, indexConst(b, loc, 0));
      counts.push_back(n);
      total = b.createOrFold<arith::MulIOp>(loc, total, n);
    }
    int64_t blockSize = threads;
    if (std::optional<int64_t> n = getConstantIntValue(total))
      blockSize = std::max<int64_t>(1, std::min<int64_t>(blockSize, *n));
    Value threadCount = indexConst(b, loc, blockSize);
    Value blocks = b.createOrFold<arith::MaxSIOp>(
        loc, b.createOrFold<arith::CeilDivSIOp>(loc, total, threadCount),
        indexConst(b, loc, 1));
    gpu::LaunchOp launch = createLaunch(b, loc, blocks, threadCount);

    // id = blockIdx.x * blockDim.x + threadIdx.x; if (id < total) body.
    Value id = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(b, loc, launch.getBlockIds().x,
                              launch.getBlockSize().x),
        launch.getThreadIds().x);
    Value inRange =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, id, total);
    auto guard = scf::IfOp::create(b, loc, inRange, /*withElse=*/false);
    b.setInsertionPoint(guard.thenBlock()->getTerminator());

    // Delinearise, the last dimension fastest (row-major, as the loops ran).
    IRMapping map;
    Value rest = id;
    for (int d = rank - 1; d >= 0; --d) {
      Value i = d == 0 ? rest : arith::RemUIOp::create(b, loc, rest, counts[d]);
      Value iv = arith::AddIOp::create(
          b, loc, loop.getLowerBound()[d],
          arith::MulIOp::create(b, loc, i, loop.getStep()[d]));
      map.map(loop.getInductionVars()[d], iv);
      if (d > 0)
        rest = arith::DivUIOp::create(b, loc, rest, counts[d]);
    }
    for (Operation &op : loop.getBody()->without_terminator())
      b.clone(op, map);
    loop.erase();
    return success();
  }

  /// Any host op left that touches memory runs in a one-thread launch.
  LogicalResult launchRest(Block &block) {
    for (Operation &op : llvm::make_early_inc_range(block)) {
      if (isa<gpu::LaunchOp>(op))
        continue;
      if (isa<memref::AllocOp, memref::AllocaOp>(op))
        return op.emitOpError(
            "is a host allocation, which GPU kernels cannot use (only the "
            "planned arena reaches the device)");
      if (!touchesMemory(&op))
        continue;
      if (containsLaunch(&op)) {
        // A host loop around launches: map what else it does inside.
        for (Region &region : op.getRegions())
          for (Block &inner : region)
            if (failed(launchRest(inner)))
              return failure();
        continue;
      }
      if (!op.use_empty())
        return op.emitOpError("touches memory and its results are used on "
                              "the host; it cannot run on the GPU");
      OpBuilder b(&op);
      Value one = indexConst(b, op.getLoc(), 1);
      createLaunch(b, op.getLoc(), one, one);
      op.moveBefore(b.getInsertionBlock(), b.getInsertionPoint());
    }
    return success();
  }
};

} // namespace
