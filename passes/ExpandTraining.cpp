//===- ExpandTraining.cpp - Model -> init / train_step / predict(_heads) --===//
//
// intc-expand-training: writes the NITRO-D training step of every model in
// step-level ops (ALGORITHM.md §3.3–§3.7), the same step split into gradient
// and update halves for data-parallel training, and the evaluation forward
// with and without the blocks' heads. The state is one flat int32 memref
// (dialect/IntcModelLayout.h); each weight is read through a view of it and
// written back in place.
//
// A pipeline stage (#intc.stage) expands like any model; one before the
// last has no output layer, and its functions write the activation they
// hand to the next stage where a model writes its logits.
//
//===----------------------------------------------------------------------===//

#include "dialect/IntcLimits.h"
#include "dialect/IntcModelLayout.h"
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"

namespace mlir::intc {
#define GEN_PASS_DEF_EXPANDTRAINING
#include "passes/Passes.h.inc"
} // namespace mlir::intc

using namespace mlir;
using namespace mlir::intc;

namespace {

/// What the forward pass of one local block leaves for its local step.
struct BlockCache {
  Operation *layer;
  Value input; ///< the encoder input (int8 or int16)
  Value pre;   ///< the NITRO-Scaling output, the activation's input
  Value out;   ///< the block output h
};

/// The training-mode forward pass: what the output layer's update and the
/// local steps need.
struct TrainingForward {
  SmallVector<BlockCache> blocks;
  OutputLayerOp outputLayer; ///< null in a pipeline stage before the last
  Value outInput;            ///< the output layer's input
  Value yhat;                ///< the network output ŷ, B×K int8
  Value output; ///< what the model yields: ŷ, or a stage's activation
};

/// Where train_grads leaves a linear block's forward values for
/// train_grads2: byte offsets into the cache and the values' types.
struct CacheSlot {
  Operation *layer;
  int64_t input, pre, out;
  RankedTensorType inputType, outType;
};

/// What a step does with a weight gradient: train_step updates the weight
/// and returns the new value; train_grads(2) write the gradient out and
/// return the weight unchanged. Called exactly where train_step has always
/// created its sgd_update, so its IR does not depend on the sink.
using GradSink =
    llvm::function_ref<Value(const StateTensor &t, Value weight, Value grad)>;

/// A block head's forward on the block output h (§3.3 step 1).
struct HeadForward {
  Value input;   ///< the head linear's input: h, or its learning max-pool,
                 ///< flattened to B×dim_in_decoder
  Value indices; ///< the learning max-pool's argmax; null without a pool
  Value output;  ///< ŷ_loc, B×K int8
};

class Expander {
public:
  Expander(ModelOp model, const ModelLayout &layout, int64_t batch,
           unsigned weightBits)
      : model(model), layout(layout), batch(batch), weightBits(weightBits),
        b(model), loc(model.getLoc()) {}

  /// train_grads(2) call intc_grads_ready when each block's gradients are
  /// final (the grads-ready-hook option).
  bool gradsReadyHook = false;
  /// The check-overflow option: prove the int64 accumulations, guard the
  /// int32 updates.
  bool checkOverflow = false;
  /// Set when an accumulation could not be proven (reported already).
  bool proofFailed = false;

  void buildInit();
  void buildTrainStep();
  /// `train_grads`: train_step's forward and first local steps, writing the
  /// weight-gradient sums instead of updating.
  void buildTrainGrads();
  /// `train_grads2`: the linear blocks' second local step of a CNN with the
  /// double update (§3.6, Q2), on the weights after the first update.
  void buildTrainGrads2();
  /// `apply_grads` (every tensor) or, with \p second, `apply_grads2` (the
  /// tensors train_grads2 writes): the IntegerSGD update from given sums.
  void buildApplyGrads(bool second);
  /// The linear blocks of a CNN with double_classifier_update, in model
  /// order: the blocks with a second local step.
  SmallVector<Operation *> secondStepBlocks();
  /// `predict`, or with \p withHeads `predict_heads`: the same evaluation
  /// forward that also writes every block's head output.
  void buildPredict(bool withHeads);
  /// The local blocks, each of which has a head.
  int64_t numHeads();

private:
  ModelOp model;
  const ModelLayout &layout;
  int64_t batch;
  unsigned weightBits;
  OpBuilder b;
  Location loc;
  Value state;
  /// The view of each weight in the current function: reading and writing
  /// through the same SSA value lets bufferization update it in place.
  llvm::DenseMap<const StateTensor *, Value> views;
  /// The current value of every weight tensor in the training functions,
  /// keyed by (layer, is-head).
  llvm::DenseMap<std::pair<Operation *, unsigned>, Value> weights;
  Value &weightValue(Operation *layer, bool head) {
    return weights[{layer, head ? 1u : 0u}];
  }

  Type i8() { return b.getI8Type(); }
  Type i32() { return b.getI32Type(); }
  Type i64() { return b.getI64Type(); }
  /// The element type weights are stored and used in.
  Type wt() { return b.getIntegerType(weightBits); }

  /// A tensor of `shape` (batch first) with element type `elem`.
  RankedTensorType tensor(ArrayRef<int64_t> shape, Type elem) {
    return RankedTensorType::get(shape, elem);
  }
  /// The step-level type of a model value: its type with the batch fixed.
  RankedTensorType withBatch(Value modelValue, Type elem = {}) {
    auto t = llvm::cast<RankedTensorType>(modelValue.getType());
    SmallVector<int64_t> shape(t.getShape());
    shape[0] = batch;
    return tensor(shape, elem ? elem : t.getElementType());
  }
  MemRefType stateType() { return MemRefType::get({layout.numWeights}, wt()); }
  /// Weight-gradient sums, laid out like the state.
  MemRefType gradsType() { return MemRefType::get({layout.numWeights}, i64()); }
  MemRefType labelsType() { return MemRefType::get({batch}, i8()); }
  /// The `logits` argument: B×K int8, or the activation a pipeline stage
  /// before the last hands on.
  MemRefType logitsType() {
    RankedTensorType t = withBatch(model.getYield().getOutput());
    return MemRefType::get(t.getShape(), t.getElementType());
  }
  /// The input batch: int8 images, or the activation entering a stage
  /// (int8 or int16).
  MemRefType inputType() {
    RankedTensorType t = withBatch(model.getInput());
    return MemRefType::get(t.getShape(), t.getElementType());
  }
  /// The RNG stream of the model's first dropout layer.
  int64_t firstDropoutStream() {
    std::optional<StageAttr> stage = model.getStage();
    return stage ? stage->getFirstDropout() : 0;
  }

  func::FuncOp startFunc(StringRef suffix, ArrayRef<Type> args, StringRef role);
  Value view(const StateTensor &t);
  Value readWeight(const StateTensor &t, bool writable = true);
  void writeWeight(const StateTensor &t, Value value);
  /// Tensor \p t's slice of the int64 `grads` argument \p grads.
  Value gradView(Value grads, const StateTensor &t);
  /// With gradsReadyHook: `call @intc_grads_ready(offset, count)` for the
  /// part of `grads` that \p layer's tensors occupy, now final.
  void gradsReady(Operation *layer);
  /// Declares the external `void name(i64 × numArgs)` once per module.
  void declareHook(StringRef name, unsigned numArgs);
  /// While building train_step with checkOverflow: proves that a sum of
  /// \p k products of \p a's and \p b's element types stays within 2^62,
  /// else reports a located error on \p layer (its tensor \p t).
  void proveAccumulation(const StateTensor &t, StringRef quantity, Value a,
                         Value b, int64_t k);
  bool proving = false;
  /// With checkOverflow, before an int32 update: counts the elements of
  /// that update that leave int32 and calls intc_overflow when any do.
  void guardUpdate(const StateTensor &t, Value w, Value grad, Value lrInv,
                   int64_t lrAmp, int64_t decay);
  /// The current function's step argument (train_step), or null.
  Value stepArg;
  /// `value` into destination memref `dest` (restrict, writable).
  void store(Value value, Value dest);
  /// The byte-buffer view of a cache slot.
  Value cacheView(Value cache, int64_t offset, RankedTensorType type);
  /// The cache layout of train_grads / train_grads2 and its size in bytes.
  SmallVector<CacheSlot> cacheLayout(int64_t &bytes);
  const StateTensor &weight(Operation *layer, bool head) {
    return *layout.find(layer, head);
  }

  /// Encoder forward of a block: (pre-activation, output).
  std::pair<Value, Value> encoderForward(Operation *layer, Value x, Value w);
  Value outputForward(OutputLayerOp op, Value x, Value w);
  HeadForward headForward(Operation *layer, Value out, Value wHead);
  /// The training-mode forward of the whole model on \p x, reading every
  /// weight into `weights`. Dropout draws its masks from (seed, step), for
  /// samples [sampleOffset, sampleOffset + B) of a global batch of
  /// \p globalBatch samples when those are given (a shard).
  TrainingForward trainingForward(Value x, Value seed, Value step,
                                  bool writable, Value sampleOffset = {},
                                  Value globalBatch = {});
  /// The output layer's gradient from e_out = ŷ − y (§3.4), given to
  /// \p sink; returns the sink's weight.
  Value outputStep(const TrainingForward &f, Value target, GradSink sink);
  /// One local step of a block, its two gradients given to \p sink; returns
  /// the sink's (encoder, head) weights.
  std::pair<Value, Value> localStep(const BlockCache &c, Value wEnc,
                                    Value wHead, Value target, GradSink sink);
  Value lossGrad(Value prediction, Value target);
  /// lr_amp A and decay_inv of the update of tensor \p t (§4.2).
  std::pair<int64_t, int64_t> updateRule(const StateTensor &t);
  Value sgd(const StateTensor &t, Value w, Value grad, Value lrInv);
};

} // namespace

func::FuncOp Expander::startFunc(StringRef suffix, ArrayRef<Type> args,
                                 StringRef role) {
  b.setInsertionPointAfter(model);
  auto fn =
      func::FuncOp::create(b, loc, (model.getSymName() + "_" + suffix).str(),
                           b.getFunctionType(args, {}));
  fn->setAttr("intc.entry", b.getStringAttr(role));
  fn->setAttr("intc.model", b.getStringAttr(model.getSymName()));
  // The C ABI's buffers (state, images, labels, logits) never overlap, and
  // none overlaps the arena. Saying so lets LLVM vectorise loops that read
  // weights and write temporaries without run-time overlap checks.
  for (auto [i, type] : llvm::enumerate(args))
    if (isa<MemRefType>(type))
      fn.setArgAttr(i, "llvm.noalias", b.getUnitAttr());
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  state = entry->getArgument(0);
  stepArg = {};
  views.clear();
  weights.clear();
  return fn;
}

Value Expander::view(const StateTensor &t) {
  Value &cached = views[&t];
  if (cached)
    return cached;
  SmallVector<int64_t> strides(t.shape.size(), 1);
  for (int i = static_cast<int>(t.shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * t.shape[i + 1];
  auto layoutAttr = StridedLayoutAttr::get(b.getContext(), t.offset, strides);
  auto type = MemRefType::get(t.shape, wt(), layoutAttr);
  // Views are created at the top of the function so they dominate every use.
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointAfterValue(state);
  cached = memref::ReinterpretCastOp::create(b, loc, type, state, t.offset,
                                             t.shape, strides);
  return cached;
}

Value Expander::readWeight(const StateTensor &t, bool writable) {
  return bufferization::ToTensorOp::create(
      b, loc, tensor(t.shape, wt()), view(t), /*restrict=*/true, writable);
}

void Expander::writeWeight(const StateTensor &t, Value value) {
  auto op =
      bufferization::MaterializeInDestinationOp::create(b, loc, value, view(t));
  op.setRestrict(true);
  op.setWritable(true);
}

Value Expander::gradView(Value grads, const StateTensor &t) {
  SmallVector<int64_t> strides(t.shape.size(), 1);
  for (int i = static_cast<int>(t.shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * t.shape[i + 1];
  auto type = MemRefType::get(
      t.shape, i64(),
      StridedLayoutAttr::get(b.getContext(), t.offset, strides));
  return memref::ReinterpretCastOp::create(b, loc, type, grads, t.offset,
                                           t.shape, strides);
}

void Expander::store(Value value, Value dest) {
  auto op =
      bufferization::MaterializeInDestinationOp::create(b, loc, value, dest);
  op.setRestrict(true);
  op.setWritable(true);
}

static std::pair<int64_t, int64_t> tensorRange(const ModelLayout &layout,
                                               ArrayRef<Operation *> layers);

void Expander::gradsReady(Operation *layer) {
  if (!gradsReadyHook)
    return;
  auto [begin, end] = tensorRange(layout, {layer});
  if (end <= begin)
    return;
  static constexpr llvm::StringLiteral kHook = "intc_grads_ready";
  declareHook(kHook, 2);
  Value offset = arith::ConstantIntOp::create(b, loc, begin, 64);
  Value count = arith::ConstantIntOp::create(b, loc, end - begin, 64);
  func::CallOp::create(b, loc, kHook, TypeRange{}, ValueRange{offset, count});
}

void Expander::declareHook(StringRef name, unsigned numArgs) {
  // One external declaration per module, at its top.
  auto module = model->getParentOfType<ModuleOp>();
  if (module.lookupSymbol<func::FuncOp>(name))
    return;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  SmallVector<Type> args(numArgs, i64());
  auto decl = func::FuncOp::create(b, loc, name, b.getFunctionType(args, {}));
  decl.setPrivate();
}

void Expander::proveAccumulation(const StateTensor &t, StringRef quantity,
                                 Value a, Value bv, int64_t k) {
  if (!proving)
    return;
  // |x| <= 2^(w-1) for a w-bit signed element. The sum of k products is
  // exact in int64 when k * max|a| * max|b| <= 2^62; the margin also keeps
  // the update's int64 W - tdiv(G, d) - tdiv(W, decay_inv) exact, since
  // |W| and |tdiv(W, decay_inv)| are at most 2^31.
  auto bits = [](Value v) {
    return llvm::cast<ShapedType>(v.getType()).getElementTypeBitWidth() - 1;
  };
  unsigned ea = bits(a), eb = bits(bv);
  unsigned __int128 bound = static_cast<unsigned __int128>(k) << (ea + eb);
  if (bound <= (static_cast<unsigned __int128>(1) << 62))
    return;
  emitError(t.layer->getLoc())
      << "check-overflow: cannot prove that the int64 accumulation of the "
      << quantity << " of '" << t.name << "' fits: " << k
      << " terms of |a| <= 2^" << ea << " and |b| <= 2^" << eb
      << " exceed 2^62; shrink the layer or the batch";
  proofFailed = true;
}

void Expander::guardUpdate(const StateTensor &t, Value w, Value grad,
                           Value lrInv, int64_t lrAmp, int64_t decay) {
  static constexpr llvm::StringLiteral kHook = "intc_overflow";
  declareHook(kHook, 4);
  Value count = SgdOverflowCountOp::create(b, loc, i64(), w, grad, lrInv,
                                           b.getI64IntegerAttr(lrAmp),
                                           b.getI64IntegerAttr(decay));
  Value zero = arith::ConstantIntOp::create(b, loc, 0, 64);
  Value wraps =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, count, zero);
  auto ifOp = scf::IfOp::create(b, loc, wraps, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  // The tensor's index in the layout is its index in the host's ModelInfo
  // and in init's tensor_index; apply_grads has no step argument (-1: the
  // host knows its step).
  Value index = arith::ConstantIntOp::create(
      b, loc, static_cast<int64_t>(&t - layout.tensors.begin()), 64);
  Value quantity = arith::ConstantIntOp::create(b, loc, 0, 64);
  Value step = stepArg ? stepArg : arith::ConstantIntOp::create(b, loc, -1, 64);
  func::CallOp::create(b, loc, kHook, TypeRange{},
                       ValueRange{index, quantity, step, count});
}

Value Expander::cacheView(Value cache, int64_t offset, RankedTensorType type) {
  return memref::ViewOp::create(
      b, loc, MemRefType::get(type.getShape(), type.getElementType()), cache,
      arith::ConstantIndexOp::create(b, loc, offset), ValueRange{});
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

SmallVector<Operation *> Expander::secondStepBlocks() {
  SmallVector<Operation *> blocks;
  if (model.isCnn() && model.getDoubleClassifierUpdate())
    for (auto op : model.getBody().getOps<LocalLinearBlockOp>())
      blocks.push_back(op);
  return blocks;
}

std::pair<Value, Value> Expander::encoderForward(Operation *layer, Value x,
                                                 Value w) {
  auto derived = layer->getAttrOfType<DerivedAttr>("derived");
  RankedTensorType outType = withBatch(layer->getResult(0));
  Value z;
  ActivationAttr act;
  const StateTensor &t = weight(layer, false);
  RankedTensorType wType = llvm::cast<RankedTensorType>(w.getType());
  // Fan-in: a linear row of W, or a conv filter (C_in x kh x kw).
  proveAccumulation(t, "forward", x, w,
                    wType.getNumElements() / wType.getDimSize(0));
  if (auto op = llvm::dyn_cast<LocalLinearBlockOp>(layer)) {
    z = LinearOp::create(b, loc, outType.clone(i64()), x, w);
    act = op.getActivation();
  } else {
    auto conv = llvm::cast<LocalConvBlockOp>(layer);
    z = Conv2dOp::create(b, loc, outType.clone(i64()), x, w,
                         b.getI64IntegerAttr(conv.getPadding()));
    act = conv.getActivation();
  }
  Value pre = RescaleOp::create(b, loc, outType, z,
                                b.getI64IntegerAttr(derived.getFwdFactor()));
  Value out = ActivationOp::create(b, loc, outType, pre, act);
  return {pre, out};
}

Value Expander::outputForward(OutputLayerOp op, Value x, Value w) {
  auto derived = op.getDerivedAttr();
  RankedTensorType outType = withBatch(op.getOutput());
  proveAccumulation(weight(op, false), "forward", x, w,
                    llvm::cast<RankedTensorType>(w.getType()).getDimSize(1));
  Value z = LinearOp::create(b, loc, outType.clone(i64()), x, w);
  return RescaleOp::create(b, loc, outType, z,
                           b.getI64IntegerAttr(derived.getFwdFactor()));
}

Value Expander::lossGrad(Value prediction, Value target) {
  auto type = llvm::cast<RankedTensorType>(prediction.getType()).clone(i32());
  auto op = L2GradOp::create(b, loc, type, prediction, target);
  op.setWrap8(model.getLossGradWrap8());
  return op;
}

std::pair<int64_t, int64_t> Expander::updateRule(const StateTensor &t) {
  if (auto out = llvm::dyn_cast<OutputLayerOp>(t.layer))
    return {out.getLrAmp(), out.getDecayInv()};
  if (auto conv = llvm::dyn_cast<LocalConvBlockOp>(t.layer)) {
    if (t.isHead)
      return {conv.getHeadLrAmp(), conv.getHeadDecayInv()};
    return {
        effectiveConvLrAmp(conv, conv->getAttrOfType<DerivedAttr>("derived")),
        conv.getDecayInv()};
  }
  auto lin = llvm::cast<LocalLinearBlockOp>(t.layer);
  if (t.isHead)
    return {lin.getHeadLrAmp(), lin.getHeadDecayInv()};
  return {lin.getLrAmp(), lin.getDecayInv()};
}

Value Expander::sgd(const StateTensor &t, Value w, Value grad, Value lrInv) {
  auto [lrAmp, decay] = updateRule(t);
  // int16 weights saturate (sgd_update) and need no guard.
  if (checkOverflow && weightBits == 32)
    guardUpdate(t, w, grad, lrInv, lrAmp, decay);
  return SgdUpdateOp::create(b, loc, w.getType(), w, grad, lrInv,
                             b.getI64IntegerAttr(lrAmp),
                             b.getI64IntegerAttr(decay));
}

HeadForward Expander::headForward(Operation *layer, Value out, Value wHead) {
  auto derived = layer->getAttrOfType<DerivedAttr>("derived");
  auto outType = llvm::cast<RankedTensorType>(out.getType());
  HeadForward head;
  head.input = out;
  // Conv blocks: the learning max-pool (padding value 0, §11 Q5), then a
  // flatten.
  ArrayRef<int64_t> pool = derived.getHeadPool();
  if (llvm::isa<LocalConvBlockOp>(layer) && (pool[0] > 1 || pool[1] > 1)) {
    ArrayRef<int64_t> grid = derived.getHeadGrid();
    SmallVector<int64_t> gridShape = {batch, outType.getDimSize(1), grid[0],
                                      grid[1]};
    auto mp = MaxPoolOp::create(
        b, loc, tensor(gridShape, i8()), tensor(gridShape, i32()), out,
        b.getDenseI64ArrayAttr(pool),
        b.getDenseI64ArrayAttr(derived.getHeadPad()), b.getI64IntegerAttr(0));
    head.input = mp.getOutput();
    head.indices = mp.getIndices();
  }
  if (llvm::cast<RankedTensorType>(head.input.getType()).getRank() == 4)
    head.input = FlattenOp::create(
        b, loc, tensor({batch, derived.getDimInDecoder()}, i8()), head.input);
  int64_t classes = model.getNumClasses();
  proveAccumulation(weight(layer, true), "forward", head.input, wHead,
                    derived.getDimInDecoder());
  Value z = LinearOp::create(b, loc, tensor({batch, classes}, i64()),
                             head.input, wHead);
  head.output = RescaleOp::create(b, loc, tensor({batch, classes}, i8()), z,
                                  b.getI64IntegerAttr(derived.getHeadFactor()));
  return head;
}

std::pair<Value, Value> Expander::localStep(const BlockCache &c, Value wEnc,
                                            Value wHead, Value target,
                                            GradSink sink) {
  Operation *layer = c.layer;
  auto derived = layer->getAttrOfType<DerivedAttr>("derived");
  auto outType = llvm::cast<RankedTensorType>(c.out.getType());
  auto conv = llvm::dyn_cast<LocalConvBlockOp>(layer);

  // Head forward on the cached block output (§3.3 step 1).
  HeadForward head = headForward(layer, c.out, wHead);
  Value headIn = head.input, yHead = head.output;

  // The head's error, its input gradient with the pre-update head weight,
  // and the head update (§3.3 steps 2–3).
  Value e = lossGrad(yHead, target);
  proveAccumulation(weight(layer, true), "weight gradient", e, headIn, batch);
  Value delta = LinearInputGradOp::create(
      b, loc, tensor({batch, derived.getDimInDecoder()}, i32()), e, wHead);
  Value gHead = LinearWeightGradOp::create(
      b, loc, llvm::cast<RankedTensorType>(wHead.getType()).clone(i64()), e,
      headIn);
  Value newHead = sink(weight(layer, true), wHead, gHead);

  // Route δ back to the block output: unflatten, then the max-pool backward.
  if (conv) {
    ArrayRef<int64_t> grid = derived.getHeadGrid();
    SmallVector<int64_t> gridShape = {batch, outType.getDimSize(1), grid[0],
                                      grid[1]};
    delta = tensor::ExpandShapeOp::create(
        b, loc, tensor(gridShape, i32()), delta,
        SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
    if (head.indices)
      delta = MaxPoolGradOp::create(
          b, loc, outType.clone(i32()), delta, head.indices,
          b.getDenseI64ArrayAttr(derived.getHeadPool()),
          b.getDenseI64ArrayAttr(derived.getHeadPad()));
  }

  // Activation backward, NITRO-Scaling backward (the identity), and the
  // encoder update (§3.3 step 4). The encoder returns nothing.
  auto act = conv ? conv.getActivation()
                  : llvm::cast<LocalLinearBlockOp>(layer).getActivation();
  delta = ActivationGradOp::create(b, loc, delta.getType(), c.pre, delta, act);
  Value gEnc;
  auto wEncType = llvm::cast<RankedTensorType>(wEnc.getType());
  // Sums over the batch and, in a conv, every output pixel.
  proveAccumulation(weight(layer, false), "weight gradient", delta, c.input,
                    outType.getNumElements() / outType.getDimSize(1));
  if (conv)
    gEnc = Conv2dWeightGradOp::create(b, loc, wEncType.clone(i64()), delta,
                                      c.input,
                                      b.getI64IntegerAttr(conv.getPadding()));
  else
    gEnc = LinearWeightGradOp::create(b, loc, wEncType.clone(i64()), delta,
                                      c.input);
  Value newEnc = sink(weight(layer, false), wEnc, gEnc);
  return {newEnc, newHead};
}

void Expander::buildInit() {
  func::FuncOp fn = startFunc("init", {stateType(), i64()}, "init");
  Value seed = fn.getArgument(1);
  for (const StateTensor &t : layout.tensors) {
    auto type = tensor(t.shape, wt());
    Value value;
    if (t.init == InitScheme::Zeros || t.init == InitScheme::Ones)
      value = arith::ConstantOp::create(
          b, loc,
          DenseElementsAttr::get(
              type, b.getIntegerAttr(wt(), t.init == InitScheme::Ones)));
    else
      value = InitUniformOp::create(b, loc, type, seed,
                                    b.getI64IntegerAttr(t.initBound),
                                    b.getI64IntegerAttr(t.initStream));
    writeWeight(t, value);
  }
  func::ReturnOp::create(b, loc);
}

TrainingForward Expander::trainingForward(Value x, Value seed, Value step,
                                          bool writable, Value sampleOffset,
                                          Value globalBatch) {
  TrainingForward f;
  Value cur = x;
  int64_t dropoutIndex = firstDropoutStream();
  for (Operation &op : model.getBody().front().without_terminator()) {
    if (auto fl = llvm::dyn_cast<FlattenOp>(op)) {
      auto t = llvm::cast<RankedTensorType>(cur.getType());
      cur = FlattenOp::create(
          b, loc, withBatch(fl.getOutput(), t.getElementType()), cur);
    } else if (auto mp = llvm::dyn_cast<MaxPool2dOp>(op)) {
      auto t = llvm::cast<RankedTensorType>(cur.getType());
      RankedTensorType outType = withBatch(mp.getOutput(), t.getElementType());
      int64_t k = mp.getKernel();
      cur = MaxPoolOp::create(b, loc, outType, outType.clone(i32()), cur,
                              b.getDenseI64ArrayAttr({k, k}),
                              b.getDenseI64ArrayAttr({0, 0}),
                              b.getI64IntegerAttr(0))
                .getOutput();
    } else if (auto d = llvm::dyn_cast<DropoutOp>(op)) {
      cur = DropoutApplyOp::create(b, loc, withBatch(d.getOutput()), cur, seed,
                                   step, sampleOffset, globalBatch,
                                   b.getI64IntegerAttr(d.getRate()),
                                   b.getI64IntegerAttr(dropoutIndex++));
    } else if (auto o = llvm::dyn_cast<OutputLayerOp>(op)) {
      f.outputLayer = o;
      f.outInput = cur;
      weightValue(&op, false) = readWeight(weight(&op, false), writable);
      f.yhat = outputForward(o, cur, weightValue(&op, false));
    } else {
      weightValue(&op, false) = readWeight(weight(&op, false), writable);
      weightValue(&op, true) = readWeight(weight(&op, true), writable);
      auto [pre, out] = encoderForward(&op, cur, weightValue(&op, false));
      f.blocks.push_back({&op, cur, pre, out});
      cur = out;
    }
  }
  f.output = f.outputLayer ? f.yhat : cur;
  return f;
}

Value Expander::outputStep(const TrainingForward &f, Value target,
                           GradSink sink) {
  Value e = lossGrad(f.yhat, target);
  Value wOut = weightValue(f.outputLayer, false);
  proveAccumulation(weight(f.outputLayer, false), "weight gradient", e,
                    f.outInput, batch);
  Value g = LinearWeightGradOp::create(
      b, loc, llvm::cast<RankedTensorType>(wOut.getType()).clone(i64()), e,
      f.outInput);
  return sink(weight(f.outputLayer, false), wOut, g);
}

void Expander::buildTrainStep() {
  int64_t classes = model.getNumClasses();
  func::FuncOp fn = startFunc("train_step",
                              {stateType(), inputType(), labelsType(), i64(),
                               i64(), i64(), logitsType()},
                              "train_step");
  Value lrInv = fn.getArgument(3), seed = fn.getArgument(4),
        step = fn.getArgument(5);
  stepArg = step;
  // train_step holds every accumulation of the model: prove them once.
  proving = checkOverflow;
  Value x = bufferization::ToTensorOp::create(
      b, loc, withBatch(model.getInput()), fn.getArgument(1),
      /*restrict=*/true, /*writable=*/false);
  Value labels = bufferization::ToTensorOp::create(
      b, loc, tensor({batch}, i8()), fn.getArgument(2), /*restrict=*/true,
      /*writable=*/false);
  Value target =
      OneHotOp::create(b, loc, tensor({batch, classes}, i8()), labels,
                       b.getI64IntegerAttr(model.getOneHot()));

  // Forward pass in training mode; every block caches what its local step
  // needs.
  TrainingForward f = trainingForward(x, seed, step, /*writable=*/true);

  // The training-mode output, for the running train accuracy (§8), or the
  // activation a pipeline stage hands on.
  store(f.output, fn.getArgument(6));

  auto update = [&](const StateTensor &t, Value w, Value g) {
    return sgd(t, w, g, lrInv);
  };
  // The output layer learns from e_out = ŷ − y (§3.4).
  if (f.outputLayer)
    weightValue(f.outputLayer, false) = outputStep(f, target, update);

  // Local steps, last block first (§3.5). In a CNN the reference updates
  // every linear block a second time with its updated weights (§3.6, Q2).
  auto step1 = [&](const BlockCache &c) {
    auto [enc, head] = localStep(c, weightValue(c.layer, false),
                                 weightValue(c.layer, true), target, update);
    weightValue(c.layer, false) = enc;
    weightValue(c.layer, true) = head;
  };
  bool doubleUpdate = model.isCnn() && model.getDoubleClassifierUpdate();
  for (const BlockCache &c : llvm::reverse(f.blocks))
    if (!doubleUpdate || llvm::isa<LocalLinearBlockOp>(c.layer))
      step1(c);
  if (doubleUpdate) {
    for (const BlockCache &c : llvm::reverse(f.blocks))
      if (llvm::isa<LocalLinearBlockOp>(c.layer))
        step1(c);
    for (const BlockCache &c : llvm::reverse(f.blocks))
      if (llvm::isa<LocalConvBlockOp>(c.layer))
        step1(c);
  }

  for (const StateTensor &t : layout.tensors)
    writeWeight(t, weightValue(t.layer, t.isHead));
  func::ReturnOp::create(b, loc);
  proving = false;
}

// The gradient halves. Every weight's first update in train_step depends
// only on the pre-step weights and this step's forward, and is
// W − tdiv(G, lr_inv·A) − tdiv(W, decay_inv) with G an exact int64 sum over
// the batch's samples. So per-shard sums, added up in int64 and applied
// once, give train_step's weights bit for bit, for any split of the batch.

void Expander::buildTrainGrads() {
  int64_t classes = model.getNumClasses(), cacheBytes = 0;
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
  Value x = bufferization::ToTensorOp::create(
      b, loc, withBatch(model.getInput()), fn.getArgument(1),
      /*restrict=*/true, /*writable=*/false);
  Value labels = bufferization::ToTensorOp::create(
      b, loc, tensor({batch}, i8()), fn.getArgument(2), /*restrict=*/true,
      /*writable=*/false);
  Value target =
      OneHotOp::create(b, loc, tensor({batch, classes}, i8()), labels,
                       b.getI64IntegerAttr(model.getOneHot()));

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

/// The elements of the state that the tensors of \p layers occupy: one
/// range, because a model's linear blocks follow one another in the layout.
static std::pair<int64_t, int64_t> tensorRange(const ModelLayout &layout,
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

int64_t Expander::numHeads() {
  return llvm::count_if(model.getBody().front(), [](Operation &op) {
    return llvm::isa<LocalLinearBlockOp, LocalConvBlockOp>(op);
  });
}

void Expander::buildPredict(bool withHeads) {
  int64_t classes = model.getNumClasses(), heads = numHeads();
  SmallVector<Type> args = {stateType(), inputType(), logitsType()};
  if (withHeads)
    args.push_back(MemRefType::get({heads, batch, classes}, i8()));
  StringRef role = withHeads ? "predict_heads" : "predict";
  func::FuncOp fn = startFunc(role, args, role);
  // The lowered function has bare pointers: the runners read the head count
  // from here.
  if (withHeads)
    fn->setAttr("intc.num_heads", b.getI64IntegerAttr(heads));
  Value cur = bufferization::ToTensorOp::create(
      b, loc, withBatch(model.getInput()), fn.getArgument(1),
      /*restrict=*/true, /*writable=*/false);
  auto write = [&](Value value, Value dest) { store(value, dest); };
  int64_t head = 0;
  for (Operation &op : model.getBody().front().without_terminator()) {
    auto t = llvm::cast<RankedTensorType>(cur.getType());
    if (auto f = llvm::dyn_cast<FlattenOp>(op)) {
      cur = FlattenOp::create(
          b, loc, withBatch(f.getOutput(), t.getElementType()), cur);
    } else if (auto mp = llvm::dyn_cast<MaxPool2dOp>(op)) {
      RankedTensorType outType = withBatch(mp.getOutput(), t.getElementType());
      int64_t k = mp.getKernel();
      cur = MaxPoolOp::create(b, loc, outType, outType.clone(i32()), cur,
                              b.getDenseI64ArrayAttr({k, k}),
                              b.getDenseI64ArrayAttr({0, 0}),
                              b.getI64IntegerAttr(0))
                .getOutput();
    } else if (llvm::isa<DropoutOp>(op)) {
      // Inverted dropout: the identity at evaluation (§2.8).
    } else if (auto o = llvm::dyn_cast<OutputLayerOp>(op)) {
      cur = outputForward(o, cur, readWeight(weight(&op, false), false));
    } else {
      cur = encoderForward(&op, cur, readWeight(weight(&op, false), false))
                .second;
      if (!withHeads)
        continue;
      // The head exactly as the block's local step runs it, into row
      // `head` of the H×B×K output.
      Value y =
          headForward(&op, cur, readWeight(weight(&op, true), false)).output;
      SmallVector<int64_t> offsets = {head++, 0, 0},
                           sizes = {1, batch, classes}, strides = {1, 1, 1};
      auto heads = llvm::cast<MemRefType>(fn.getArgument(3).getType());
      MemRefType rowType = memref::SubViewOp::inferRankReducedResultType(
          {batch, classes}, heads, offsets, sizes, strides);
      write(y, memref::SubViewOp::create(b, loc, rowType, fn.getArgument(3),
                                         offsets, sizes, strides));
    }
  }
  // The logits, or the activation a pipeline stage hands on: int16 if it
  // leaves through a dropout, the identity here.
  auto outType = llvm::cast<MemRefType>(fn.getArgument(2).getType());
  if (outType.getElementType() != getElementTypeOrSelf(cur.getType()))
    cur = WidenOp::create(
        b, loc, tensor(outType.getShape(), outType.getElementType()), cur);
  write(cur, fn.getArgument(2));
  func::ReturnOp::create(b, loc);
}

namespace {
struct ExpandTrainingPass : intc::impl::ExpandTrainingBase<ExpandTrainingPass> {
  using ExpandTrainingBase::ExpandTrainingBase;

  void runOnOperation() override {
    SmallVector<ModelOp> models(getOperation().getOps<ModelOp>());
    for (ModelOp model : models) {
      FailureOr<ModelLayout> layout = ModelLayout::get(model);
      if (failed(layout))
        return signalPassFailure();
      if (batch < 0 || batch > limits::kMaxBatch) {
        model.emitOpError()
            << "batch option must be in [0, " << limits::kMaxBatch << "], got "
            << static_cast<int64_t>(batch);
        return signalPassFailure();
      }
      int64_t b = batch > 0 ? static_cast<int64_t>(batch) : model.getBatch();
      if (weightBits != 16 && weightBits != 32) {
        model.emitOpError() << "weight-bits must be 16 or 32, got "
                            << static_cast<int64_t>(weightBits);
        return signalPassFailure();
      }
      Expander expander(model, *layout, b, static_cast<unsigned>(weightBits));
      expander.gradsReadyHook = gradsReadyHook;
      expander.checkOverflow = checkOverflow;
      // Created in reverse so they appear as init, train_step, train_grads,
      // apply_grads, train_grads2, apply_grads2, predict, predict_heads. A
      // model without blocks has no heads to report; one without a second
      // local step has no train_grads2 / apply_grads2.
      if (predictHeads && expander.numHeads() > 0)
        expander.buildPredict(/*withHeads=*/true);
      expander.buildPredict(/*withHeads=*/false);
      if (gradientSteps) {
        if (!expander.secondStepBlocks().empty()) {
          expander.buildApplyGrads(/*second=*/true);
          expander.buildTrainGrads2();
        }
        expander.buildApplyGrads(/*second=*/false);
        expander.buildTrainGrads();
      }
      expander.buildTrainStep();
      if (expander.proofFailed)
        return signalPassFailure();
      expander.buildInit();
      if (!keepModel)
        model.erase();
    }
  }
};
} // namespace
