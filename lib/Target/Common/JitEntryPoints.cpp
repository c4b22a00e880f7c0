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

intc::GradientStepsInfo intc::gradientStepsInfo(ModuleOp module) {
  GradientStepsInfo info;
  auto getInt = [](Operation *op, StringRef name) -> int64_t {
    auto attr = op->getAttrOfType<IntegerAttr>(name);
    return attr ? attr.getInt() : 0;
  };
  module.walk([&](Operation *op) {
    auto entry = op->getAttrOfType<StringAttr>("intc.entry");
    if (!entry)
      return;
    if (entry.getValue() == "train_grads") {
      info.present = true;
      info.cacheBytes = getInt(op, "intc.cache_bytes");
    } else if (entry.getValue() == "train_grads2") {
      info.second = true;
      info.grads2Offset = getInt(op, "intc.grads_offset");
      info.grads2Count = getInt(op, "intc.grads_count");
    }
  });
  return info;
}

llvm::Expected<intc::JitEntryPoints>
intc::lookupEntryPoints(ExecutionEngine &engine, StringRef modelName,
                        bool withHeads, const GradientStepsInfo &grads) {
  JitEntryPoints entries;
  SmallVector<std::pair<StringRef, void **>, 8> wanted = {
      {"init", &entries.init},
      {"train_step", &entries.trainStep},
      {"predict", &entries.predict}};
  if (withHeads)
    wanted.push_back({"predict_heads", &entries.predictHeads});
  if (grads.present) {
    wanted.push_back({"train_grads", &entries.trainGrads});
    wanted.push_back({"apply_grads", &entries.applyGrads});
  }
  if (grads.second) {
    wanted.push_back({"train_grads2", &entries.trainGrads2});
    wanted.push_back({"apply_grads2", &entries.applyGrads2});
  }
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
