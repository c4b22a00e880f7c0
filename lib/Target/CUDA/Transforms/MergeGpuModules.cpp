//===- MergeGpuModules.cpp - One gpu.module for every kernel --------------===//
//
// intc-merge-gpu-modules: the per-kernel modules of gpu-kernel-outlining
// become one, so a model is one PTX/cubin image.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CUDA/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"

namespace mlir::intc::cuda {
#define GEN_PASS_DEF_MERGEGPUMODULES
#include "lib/Target/CUDA/Transforms/Passes.h.inc"
} // namespace mlir::intc::cuda

using namespace mlir;
using namespace mlir::intc;

namespace {

struct MergeGpuModulesPass
    : cuda::impl::MergeGpuModulesBase<MergeGpuModulesPass> {
  using MergeGpuModulesBase::MergeGpuModulesBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::GPUModuleOp> sources(module.getOps<gpu::GPUModuleOp>());
    if (sources.empty())
      return;
    if (module.lookupSymbol(name) &&
        !llvm::any_of(
            sources, [&](gpu::GPUModuleOp m) { return m.getName() == name; })) {
      module.emitError("intc-merge-gpu-modules: symbol @")
          << name << " exists and is not a gpu.module";
      return signalPassFailure();
    }

    OpBuilder b(sources.front());
    auto merged =
        gpu::GPUModuleOp::create(b, sources.front().getLoc(), "__intc_merged");
    SymbolTable mergedSymbols(merged);
    Block &into = merged.getBodyRegion().front();
    // (source module, symbol) -> name in the merged module.
    llvm::DenseMap<std::pair<StringAttr, StringAttr>, StringAttr> renamed;
    for (gpu::GPUModuleOp source : sources) {
      Block &body = source.getBodyRegion().front();
      auto kernels = llvm::to_vector(body.getOps<gpu::GPUFuncOp>());
      for (Operation &op :
           llvm::make_early_inc_range(body.without_terminator())) {
        auto symbol = dyn_cast<SymbolOpInterface>(op);
        if (!symbol) {
          op.moveBefore(&into, into.without_terminator().end());
          continue;
        }
        StringAttr oldName = symbol.getNameAttr();
        if (symbol.isDeclaration() && mergedSymbols.lookup(oldName)) {
          // The same declaration twice (an external function) is kept once.
          renamed[{source.getNameAttr(), oldName}] = oldName;
          op.erase();
          continue;
        }
        // Outlining uniques module names, not kernel names: a module's only
        // kernel takes the module's name; clashes get a suffix.
        if (kernels.size() == 1 && isa<gpu::GPUFuncOp>(op))
          symbol.setName(source.getNameAttr());
        op.remove();
        renamed[{source.getNameAttr(), oldName}] =
            mergedSymbols.insert(&op, into.without_terminator().end());
      }
    }

    // Retarget the launches, then replace the sources by the merged module.
    WalkResult walk = module.walk([&](gpu::LaunchFuncOp launch) {
      auto it =
          renamed.find({launch.getKernelModuleName(), launch.getKernelName()});
      if (it == renamed.end()) {
        launch.emitOpError("launches a kernel outside the outlined modules");
        return WalkResult::interrupt();
      }
      launch.setKernelAttr(SymbolRefAttr::get(
          &getContext(), name,
          {FlatSymbolRefAttr::get(&getContext(), it->second)}));
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    for (gpu::GPUModuleOp source : sources)
      source.erase();
    merged.setName(name);
  }
};

} // namespace
