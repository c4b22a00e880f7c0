//===- JitEntryPoints.cpp - A JIT-compiled model's entry points -----------===//

#include "lib/Target/Common/JitEntryPoints.h"

using namespace mlir;

int64_t intc::numPredictHeads(ModuleOp module) {
  int64_t heads = 0;
  module.walk([&](Operation *op) {
    auto entry = op->getAttrOfType<StringAttr>("intc.entry");
    auto count = op->getAttrOfType<IntegerAttr>("intc.num_heads");
    if (entry && entry.getValue() == "predict_heads" && count)
      heads = count.getInt();
  });
  return heads;
}

llvm::Expected<intc::JitEntryPoints>
intc::lookupEntryPoints(ExecutionEngine &engine, StringRef modelName,
                        bool withHeads) {
  JitEntryPoints entries;
  SmallVector<std::pair<StringRef, void **>, 4> wanted = {
      {"init", &entries.init},
      {"train_step", &entries.trainStep},
      {"predict", &entries.predict}};
  if (withHeads)
    wanted.push_back({"predict_heads", &entries.predictHeads});
  for (auto [suffix, fn] : wanted) {
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
