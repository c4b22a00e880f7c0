//===- JitEntryPoints.cpp - A JIT-compiled model's entry points -----------===//

#include "lib/Target/Common/JitEntryPoints.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"

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
intc::lookupEntryPoints(SymbolLookup lookup, StringRef modelName,
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
    auto address = lookup((modelName + "_" + suffix).str());
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

static bool hasArenaArgument(ModuleOp module, StringRef entry) {
  bool found = false;
  module.walk([&](Operation *op) {
    auto e = op->getAttrOfType<StringAttr>("intc.entry");
    if (e && e.getValue() == entry && op->hasAttr("intc.arena_arg"))
      found = true;
  });
  return found;
}

intc::CompiledModelInfo intc::describeCompiledModule(ModuleOp module) {
  CompiledModelInfo info;
  info.numHeads = numPredictHeads(module);
  info.grads = gradientStepsInfo(module);
  info.maxArenaBytes = maxArenaBytes(module, 0);
  module->walk([&](Operation *op) {
    if (auto bytes = op->getAttrOfType<IntegerAttr>("intc.arena_bytes"))
      info.totalArenaBytes += bytes.getValue().getZExtValue();
  });
  info.initArena = hasArenaArgument(module, "init");
  info.trainStepArena = hasArenaArgument(module, "train_step");
  info.predictArena = hasArenaArgument(module, "predict");
  info.trainGradsArena = hasArenaArgument(module, "train_grads");
  info.applyGradsArena = hasArenaArgument(module, "apply_grads");
  info.trainGrads2Arena = hasArenaArgument(module, "train_grads2");
  info.applyGrads2Arena = hasArenaArgument(module, "apply_grads2");
  return info;
}

namespace {
/// The fields of CompiledModelInfo by name, as int64 (booleans 0 / 1).
template <typename Info, typename Fn> void forEachField(Info &info, Fn fn) {
  fn("num_heads", info.numHeads);
  fn("grads", info.grads.present);
  fn("grads2", info.grads.second);
  fn("cache_bytes", info.grads.cacheBytes);
  fn("grads2_offset", info.grads.grads2Offset);
  fn("grads2_count", info.grads.grads2Count);
  fn("max_arena_bytes", info.maxArenaBytes);
  fn("total_arena_bytes", info.totalArenaBytes);
  fn("init_arena", info.initArena);
  fn("train_step_arena", info.trainStepArena);
  fn("predict_arena", info.predictArena);
  fn("train_grads_arena", info.trainGradsArena);
  fn("apply_grads_arena", info.applyGradsArena);
  fn("train_grads2_arena", info.trainGrads2Arena);
  fn("apply_grads2_arena", info.applyGrads2Arena);
}
} // namespace

std::string intc::CompiledModelInfo::serialize() const {
  std::string text;
  forEachField(*this, [&](StringRef name, const auto &value) {
    text += (name + "=" + Twine(int64_t(value)) + "\n").str();
  });
  return text;
}

llvm::Expected<intc::CompiledModelInfo>
intc::CompiledModelInfo::parse(StringRef text) {
  llvm::StringMap<int64_t> values;
  SmallVector<StringRef> lines;
  text.split(lines, '\n', -1, /*KeepEmpty=*/false);
  for (StringRef line : lines) {
    auto [name, value] = line.split('=');
    int64_t v;
    if (value.getAsInteger(10, v) || !values.try_emplace(name, v).second)
      return llvm::createStringError("bad model info line '" + line + "'");
  }
  CompiledModelInfo info;
  llvm::Error err = llvm::Error::success();
  size_t used = 0;
  forEachField(info, [&](StringRef name, auto &field) {
    auto it = values.find(name);
    if (it == values.end()) {
      if (!err)
        err = llvm::createStringError("model info lacks '" + name + "'");
      return;
    }
    ++used;
    field = static_cast<std::remove_reference_t<decltype(field)>>(it->second);
  });
  if (err)
    return std::move(err);
  if (used != values.size())
    return llvm::createStringError("model info has unknown fields");
  return info;
}
