//===- GradientSteps.cpp - train_grads / apply_grads (and the second pair) ===//
//
// The halves of train_step that data-parallel training runs on each rank:
// the weight-gradient sums of the rank's shard, and the update from the
// summed gradients, with the cache that carries a CNN's forward values to
// the second local step of its linear blocks (§3.6, Q2).
//
//===----------------------------------------------------------------------===//

#include "passes/ExpandTraining/Expander.h"

#include "dialect/IntcLimits.h"

using namespace mlir;
using namespace mlir::intc;
using namespace mlir::intc::expand;

SmallVector<Operation *> Expander::secondStepBlocks() {
  SmallVector<Operation *> blocks;
  if (model.isCnn() && model.getDoubleClassifierUpdate())
    for (auto op : model.getBody().getOps<LocalLinearBlockOp>())
      blocks.push_back(op);
  return blocks;
}

SmallVector<CacheSlot> Expander::cacheLayout(int64_t &bytes) {
  // 64-byte aligned slots, as the memory planner aligns its buffers.
  auto slot = [&](RankedTensorType t) {
    int64_t at = bytes;
    bytes +=
        (t.getNumElements() * (t.getElementTypeBitWidth() / 8) + 63) / 64 * 64;
    return at;
  };
  bytes = 0;
  SmallVector<CacheSlot> slots;
  for (Operation *layer : secondStepBlocks()) {
    CacheSlot c;
    c.layer = layer;
    c.inputType = withBatch(layer->getOperand(0));
    c.outType = withBatch(layer->getResult(0));
    c.input = slot(c.inputType);
    c.pre = slot(c.outType);
    c.out = slot(c.outType);
    slots.push_back(c);
  }
  return slots;
}

Value Expander::cacheView(Value cache, int64_t offset, RankedTensorType type) {
  return memref::ViewOp::create(
      b, loc, MemRefType::get(type.getShape(), type.getElementType()), cache,
      arith::ConstantIndexOp::create(b, loc, offset), ValueRange{});
}

// The gradient halves. Every weight's first update in train_step depends
// only on the pre-step weights and this step's forward, and is
// W − tdiv(G, lr_inv·A) − tdiv(W, decay_inv) with G an exact int64 sum over
// the batch's samples. So per-shard sums, added up in int64 and applied
// once, give train_step's weights bit for bit, for any split of the batch.

void Expander::buildTrainGrads() {
  int64_t cacheBytes = 0;
  SmallVector<CacheSlot> slots = cacheLayout(cacheBytes);
  func::FuncOp fn = startFunc(
      "train_grads",
      {stateType(), inputType(), labelsType(), i64(), i64(), i64(), i64(),
       gradsType(), MemRefType::get({cacheBytes}, i8()), logitsType()},
      "train_grads");
  // The lowered function has bare pointers: the runners read the cache
  // size and the part of `grads` it writes from here.
  fn->setAttr("intc.cache_bytes", b.getI64IntegerAttr(cacheBytes));
  fn->setAttr("intc.grads_offset", b.getI64IntegerAttr(0));
  fn->setAttr("intc.grads_count", b.getI64IntegerAttr(layout.numWeights));
  Value seed = fn.getArgument(3), step = fn.getArgument(4),
        sampleOffset = fn.getArgument(5), globalBatch = fn.getArgument(6),
        grads = fn.getArgument(7), cache = fn.getArgument(8);
  auto [x, labels, target] = batchInputs(fn);

  // The shard's forward, with the global batch's dropout masks.
  TrainingForward f = trainingForward(x, seed, step, /*writable=*/false,
                                      sampleOffset, globalBatch);
  store(f.output, fn.getArgument(9));

  auto write = [&](const StateTensor &t, Value w, Value g) {
    store(g, gradView(grads, t));
    return w;
  };
  if (f.outputLayer) {
    outputStep(f, target, write);
    gradsReady(f.outputLayer);
  }
  // Every block's first local step, last block first, on the pre-step
  // weights (train_step's order up to independent blocks).
  for (const BlockCache &c : llvm::reverse(f.blocks)) {
    localStep(c, weightValue(c.layer, false), weightValue(c.layer, true),
              target, write);
    gradsReady(c.layer);
  }

  // What the second local steps reuse from this forward (§3.6, Q2).
  for (const CacheSlot &slot : slots) {
    const BlockCache *c = llvm::find_if(
        f.blocks, [&](const BlockCache &c) { return c.layer == slot.layer; });
    store(c->input, cacheView(cache, slot.input, slot.inputType));
    store(c->pre, cacheView(cache, slot.pre, slot.outType));
    store(c->out, cacheView(cache, slot.out, slot.outType));
  }
  func::ReturnOp::create(b, loc);
}

std::pair<int64_t, int64_t> expand::tensorRange(const ModelLayout &layout,
                                                ArrayRef<Operation *> layers) {
  int64_t begin = layout.numWeights, end = 0;
  for (const StateTensor &t : layout.tensors)
    if (llvm::is_contained(layers, t.layer)) {
      begin = std::min(begin, t.offset);
      end = std::max(end, t.offset + t.numel);
    }
  return {begin, std::max(begin, end)};
}

void Expander::buildTrainGrads2() {
  int64_t classes = model.getNumClasses(), cacheBytes = 0;
  SmallVector<CacheSlot> slots = cacheLayout(cacheBytes);
  func::FuncOp fn = startFunc("train_grads2",
                              {stateType(), MemRefType::get({cacheBytes}, i8()),
                               labelsType(), gradsType()},
                              "train_grads2");
  auto [begin, end] = tensorRange(layout, secondStepBlocks());
  fn->setAttr("intc.cache_bytes", b.getI64IntegerAttr(cacheBytes));
  fn->setAttr("intc.grads_offset", b.getI64IntegerAttr(begin));
  fn->setAttr("intc.grads_count", b.getI64IntegerAttr(end - begin));
  Value cache = fn.getArgument(1), grads = fn.getArgument(3);
  Value labels = bufferization::ToTensorOp::create(
      b, loc, tensor({batch}, i8()), fn.getArgument(2), /*restrict=*/true,
      /*writable=*/false);
  Value target =
      OneHotOp::create(b, loc, tensor({batch, classes}, i8()), labels,
                       b.getI64IntegerAttr(model.getOneHot()));
  auto write = [&](const StateTensor &t, Value w, Value g) {
    store(g, gradView(grads, t));
    return w;
  };
  // The second local step of every linear block, last first, with the
  // updated weights and train_grads' cached forward values.
  for (const CacheSlot &slot : llvm::reverse(slots)) {
    auto read = [&](int64_t offset, RankedTensorType type) -> Value {
      return bufferization::ToTensorOp::create(
          b, loc, type, cacheView(cache, offset, type), /*restrict=*/true,
          /*writable=*/false);
    };
    BlockCache c{slot.layer, read(slot.input, slot.inputType),
                 read(slot.pre, slot.outType), read(slot.out, slot.outType)};
    localStep(c, readWeight(weight(slot.layer, false), /*writable=*/false),
              readWeight(weight(slot.layer, true), /*writable=*/false), target,
              write);
    gradsReady(slot.layer);
  }
  func::ReturnOp::create(b, loc);
}

void Expander::buildApplyGrads(bool second) {
  StringRef role = second ? "apply_grads2" : "apply_grads";
  func::FuncOp fn = startFunc(role, {stateType(), gradsType(), i64()}, role);
  SmallVector<Operation *> layers;
  if (second)
    layers = secondStepBlocks();
  auto [begin, end] = second ? tensorRange(layout, layers)
                             : std::make_pair(int64_t(0), layout.numWeights);
  fn->setAttr("intc.grads_offset", b.getI64IntegerAttr(begin));
  fn->setAttr("intc.grads_count", b.getI64IntegerAttr(end - begin));
  Value grads = fn.getArgument(1), lrInv = fn.getArgument(2);
  for (const StateTensor &t : layout.tensors) {
    if (second && !llvm::is_contained(layers, t.layer))
      continue;
    Value g = bufferization::ToTensorOp::create(
        b, loc, tensor(t.shape, i64()), gradView(grads, t), /*restrict=*/true,
        /*writable=*/false);
    writeWeight(t, sgd(t, readWeight(t), g, lrInv));
  }
  func::ReturnOp::create(b, loc);
}
