//===- JitEntryPoints.cpp - A JIT-compiled model's entry points -----------===//

#include "lib/Target/Common/JitEntryPoints.h"

using namespace mlir;

llvm::Expected<intc::JitEntryPoints>
intc::lookupEntryPoints(ExecutionEngine &engine, StringRef modelName) {
  JitEntryPoints entries;
  for (auto [suffix, fn] :
       {std::pair<StringRef, void **>{"init", &entries.init},
        {"train_step", &entries.trainStep},
        {"predict", &entries.predict}}) {
    auto address = engine.lookup((modelName + "_" + suffix).str());
    if (!address)
      return address.takeError();
    *fn = *address;
  }
  return entries;
}

int64_t intc::maxArenaBytes(ModuleOp module, int64_t atLeast) {
  int64_t bytes = atLeast;
  module.walk([&](Operation *op) {
    if (auto attr = op->getAttrOfType<IntegerAttr>("intc.arena_bytes"))
      bytes = std::max(bytes, attr.getInt());
  });
  return bytes;
}
