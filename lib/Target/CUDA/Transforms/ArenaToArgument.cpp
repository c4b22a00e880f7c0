//===- ArenaToArgument.cpp - Planned arenas become function arguments -----===//
//
// intc-arena-to-argument: the arena global of a function becomes its last
// argument, so the caller can place it in device memory.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CUDA/Transforms/Passes.h"

#include "mlir/IR/SymbolTable.h"

namespace mlir::intc::cuda {
#define GEN_PASS_DEF_ARENATOARGUMENT
#include "lib/Target/CUDA/Transforms/Passes.h.inc"
} // namespace mlir::intc::cuda

using namespace mlir;
using namespace mlir::intc;

namespace {

struct ArenaToArgumentPass
    : cuda::impl::ArenaToArgumentBase<ArenaToArgumentPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);

    // The users of each global, by function.
    llvm::MapVector<
        memref::GlobalOp,
        llvm::MapVector<func::FuncOp, SmallVector<memref::GetGlobalOp>>>
        uses;
    WalkResult walk = module.walk([&](memref::GetGlobalOp get) {
      auto global = symbols.lookup<memref::GlobalOp>(get.getName());
      auto fn = get->getParentOfType<func::FuncOp>();
      if (!global || !fn)
        return WalkResult::advance();
      if (global.getInitialValue()) {
        get.emitOpError("reads a global with an initial value, which kernels "
                        "cannot reach on the GPU");
        return WalkResult::interrupt();
      }
      uses[global][fn].push_back(get);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    for (auto &[global, byFunction] : uses) {
      if (byFunction.size() != 1) {
        global.emitOpError("is used by several functions; an arena must "
                           "belong to one");
        return signalPassFailure();
      }
      auto &[fn, gets] = byFunction.front();
      if (!SymbolTable::symbolKnownUseEmpty(fn, module)) {
        fn.emitOpError("is called, so its arena cannot become an argument");
        return signalPassFailure();
      }
      unsigned index = fn.getNumArguments();
      if (failed(fn.insertArgument(index, global.getType(), DictionaryAttr(),
                                   global.getLoc())))
        return signalPassFailure();
      BlockArgument arg = fn.getArgument(index);
      for (memref::GetGlobalOp get : gets) {
        get.replaceAllUsesWith(arg);
        get.erase();
      }
      fn->setAttr("intc.arena_arg", UnitAttr::get(&getContext()));
      global.erase();
    }
  }
};

} // namespace
