//===- GpuLaunchToLoops.cpp - gpu.launch -> host loops (testing) ----------===//
//
// intc-gpu-launch-to-loops: a launch runs its body once per (block, thread)
// in nested scf.for loops, for GPU-less tests of the cuda lowering.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CUDA/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::intc::cuda {
#define GEN_PASS_DEF_GPULAUNCHTOLOOPS
#include "lib/Target/CUDA/Transforms/Passes.h.inc"
} // namespace mlir::intc::cuda

using namespace mlir;
using namespace mlir::intc;

namespace {

struct GpuLaunchToLoopsPass
    : cuda::impl::GpuLaunchToLoopsBase<GpuLaunchToLoopsPass> {
  void runOnOperation() override {
    SmallVector<gpu::LaunchOp> launches;
    getOperation().walk([&](gpu::LaunchOp op) { launches.push_back(op); });
    for (gpu::LaunchOp launch : launches)
      if (failed(convert(launch)))
        return signalPassFailure();
  }

  LogicalResult convert(gpu::LaunchOp launch) {
    if (launch.getAsyncToken() || !launch.getAsyncDependencies().empty() ||
        launch.getDynamicSharedMemorySize() ||
        !launch.getWorkgroupAttributions().empty() ||
        !launch.getPrivateAttributions().empty() ||
        launch.getBody().getBlocks().size() != 1)
      return launch.emitOpError("is not a plain launch; cannot emulate it");
    WalkResult collective = launch.getBody().walk([](Operation *op) {
      if (isa<gpu::BarrierOp, gpu::ShuffleOp, gpu::AllReduceOp,
              gpu::SubgroupReduceOp>(op))
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (collective.wasInterrupted())
      return launch.emitOpError("synchronises threads; cannot emulate it");

    OpBuilder b(launch);
    Location loc = launch.getLoc();
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    gpu::KernelDim3 grid = launch.getGridSizeOperandValues();
    gpu::KernelDim3 block = launch.getBlockSizeOperandValues();
    IRMapping map;
    map.map(launch.getGridSize().x, grid.x);
    map.map(launch.getGridSize().y, grid.y);
    map.map(launch.getGridSize().z, grid.z);
    map.map(launch.getBlockSize().x, block.x);
    map.map(launch.getBlockSize().y, block.y);
    map.map(launch.getBlockSize().z, block.z);
    // Blocks z, y, x outside threads z, y, x: any order is valid for
    // independent threads; this one is the row-major one.
    Value sizes[] = {grid.z, grid.y, grid.x, block.z, block.y, block.x};
    Value ids[] = {launch.getBlockIds().z,  launch.getBlockIds().y,
                   launch.getBlockIds().x,  launch.getThreadIds().z,
                   launch.getThreadIds().y, launch.getThreadIds().x};
    for (int i = 0; i < 6; ++i) {
      auto loop = scf::ForOp::create(b, loc, zero, sizes[i], one);
      map.map(ids[i], loop.getInductionVar());
      b.setInsertionPoint(loop.getBody()->getTerminator());
    }
    for (Operation &op : launch.getBody().front().without_terminator())
      b.clone(op, map);
    launch.erase();
    return success();
  }
};

} // namespace
