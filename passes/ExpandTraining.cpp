//===- ExpandTraining.cpp - Model -> init / train_step / predict(_heads) --===//
//
// intc-expand-training: writes the NITRO-D training step of every model in
// step-level ops (ALGORITHM.md §3.3–§3.7), and the evaluation forward with
// and without the blocks' heads. The state is one flat int32 memref
// (dialect/IntcModelLayout.h); each weight is read through a view of it and
// written back in place.
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

  void buildInit();
  void buildTrainStep();
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
  MemRefType inputType() {
    return MemRefType::get(withBatch(model.getInput()).getShape(), i8());
  }

  func::FuncOp startFunc(StringRef suffix, ArrayRef<Type> args, StringRef role);
  Value view(const StateTensor &t);
  Value readWeight(const StateTensor &t, bool writable = true);
  void writeWeight(const StateTensor &t, Value value);
  const StateTensor &weight(Operation *layer, bool head) {
    return *layout.find(layer, head);
  }

  /// Encoder forward of a block: (pre-activation, output).
  std::pair<Value, Value> encoderForward(Operation *layer, Value x, Value w);
  Value outputForward(OutputLayerOp op, Value x, Value w);
  HeadForward headForward(Operation *layer, Value out, Value wHead);
  /// One local step of a block; returns the updated (encoder, head) weights.
  std::pair<Value, Value> localStep(const BlockCache &c, Value wEnc,
                                    Value wHead, Value target, Value lrInv);
  Value lossGrad(Value prediction, Value target);
  Value sgd(Value w, Value grad, Value lrInv, int64_t lrAmp, int64_t decay);
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
  views.clear();
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

std::pair<Value, Value> Expander::encoderForward(Operation *layer, Value x,
                                                 Value w) {
  auto derived = layer->getAttrOfType<DerivedAttr>("derived");
  RankedTensorType outType = withBatch(layer->getResult(0));
  Value z;
  ActivationAttr act;
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

Value Expander::sgd(Value w, Value grad, Value lrInv, int64_t lrAmp,
                    int64_t decay) {
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
  Value z = LinearOp::create(b, loc, tensor({batch, classes}, i64()),
                             head.input, wHead);
  head.output = RescaleOp::create(b, loc, tensor({batch, classes}, i8()), z,
                                  b.getI64IntegerAttr(derived.getHeadFactor()));
  return head;
}

std::pair<Value, Value> Expander::localStep(const BlockCache &c, Value wEnc,
                                            Value wHead, Value target,
                                            Value lrInv) {
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
  Value delta = LinearInputGradOp::create(
      b, loc, tensor({batch, derived.getDimInDecoder()}, i32()), e, wHead);
  Value gHead = LinearWeightGradOp::create(
      b, loc, llvm::cast<RankedTensorType>(wHead.getType()).clone(i64()), e,
      headIn);
  int64_t headLrAmp, headDecay, lrAmp, decay;
  if (conv) {
    headLrAmp = conv.getHeadLrAmp();
    headDecay = conv.getHeadDecayInv();
    lrAmp = effectiveConvLrAmp(conv, derived);
    decay = conv.getDecayInv();
  } else {
    auto lin = llvm::cast<LocalLinearBlockOp>(layer);
    headLrAmp = lin.getHeadLrAmp();
    headDecay = lin.getHeadDecayInv();
    lrAmp = lin.getLrAmp();
    decay = lin.getDecayInv();
  }
  Value newHead = sgd(wHead, gHead, lrInv, headLrAmp, headDecay);

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
  if (conv)
    gEnc = Conv2dWeightGradOp::create(b, loc, wEncType.clone(i64()), delta,
                                      c.input,
                                      b.getI64IntegerAttr(conv.getPadding()));
  else
    gEnc = LinearWeightGradOp::create(b, loc, wEncType.clone(i64()), delta,
                                      c.input);
  Value newEnc = sgd(wEnc, gEnc, lrInv, lrAmp, decay);
  return {newEnc, newHead};
}

void Expander::buildInit() {
  func::FuncOp fn = startFunc("init", {stateType(), i64()}, "init");
  Value seed = fn.getArgument(1);
  for (auto [index, t] : llvm::enumerate(layout.tensors)) {
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
                                    b.getI64IntegerAttr(index));
    writeWeight(t, value);
  }
  func::ReturnOp::create(b, loc);
}

void Expander::buildTrainStep() {
  int64_t classes = model.getNumClasses();
  func::FuncOp fn =
      startFunc("train_step",
                {stateType(), inputType(), MemRefType::get({batch}, i8()),
                 i64(), i64(), i64(), MemRefType::get({batch, classes}, i8())},
                "train_step");
  Value lrInv = fn.getArgument(3), seed = fn.getArgument(4),
        step = fn.getArgument(5);
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
  // The current value of every weight tensor, keyed by (layer, is-head).
  llvm::DenseMap<std::pair<Operation *, unsigned>, Value> weights;
  auto w = [&](Operation *layer, bool head) -> Value & {
    return weights[{layer, head ? 1u : 0u}];
  };
  SmallVector<BlockCache> blocks;
  Value cur = x, yhat, outInput;
  OutputLayerOp outputLayer;
  int64_t dropoutIndex = 0;
  for (Operation &op : model.getBody().front().without_terminator()) {
    if (auto f = llvm::dyn_cast<FlattenOp>(op)) {
      auto t = llvm::cast<RankedTensorType>(cur.getType());
      cur = FlattenOp::create(
          b, loc, withBatch(f.getOutput(), t.getElementType()), cur);
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
                                   step, b.getI64IntegerAttr(d.getRate()),
                                   b.getI64IntegerAttr(dropoutIndex++));
    } else if (auto o = llvm::dyn_cast<OutputLayerOp>(op)) {
      outputLayer = o;
      outInput = cur;
      w(&op, false) = readWeight(weight(&op, false));
      yhat = outputForward(o, cur, w(&op, false));
    } else {
      w(&op, false) = readWeight(weight(&op, false));
      w(&op, true) = readWeight(weight(&op, true));
      auto [pre, out] = encoderForward(&op, cur, w(&op, false));
      blocks.push_back({&op, cur, pre, out});
      cur = out;
    }
  }

  // The training-mode output, for the running train accuracy (§8).
  auto writeLogits = bufferization::MaterializeInDestinationOp::create(
      b, loc, yhat, fn.getArgument(6));
  writeLogits.setRestrict(true);
  writeLogits.setWritable(true);

  // The output layer learns from e_out = ŷ − y (§3.4).
  {
    Value e = lossGrad(yhat, target);
    Value wOut = w(outputLayer, false);
    Value g = LinearWeightGradOp::create(
        b, loc, llvm::cast<RankedTensorType>(wOut.getType()).clone(i64()), e,
        outInput);
    w(outputLayer, false) =
        sgd(wOut, g, lrInv, outputLayer.getLrAmp(), outputLayer.getDecayInv());
  }

  // Local steps, last block first (§3.5). In a CNN the reference updates
  // every linear block a second time with its updated weights (§3.6, Q2).
  auto step1 = [&](const BlockCache &c) {
    auto [enc, head] =
        localStep(c, w(c.layer, false), w(c.layer, true), target, lrInv);
    w(c.layer, false) = enc;
    w(c.layer, true) = head;
  };
  bool doubleUpdate = model.isCnn() && model.getDoubleClassifierUpdate();
  for (const BlockCache &c : llvm::reverse(blocks))
    if (!doubleUpdate || llvm::isa<LocalLinearBlockOp>(c.layer))
      step1(c);
  if (doubleUpdate) {
    for (const BlockCache &c : llvm::reverse(blocks))
      if (llvm::isa<LocalLinearBlockOp>(c.layer))
        step1(c);
    for (const BlockCache &c : llvm::reverse(blocks))
      if (llvm::isa<LocalConvBlockOp>(c.layer))
        step1(c);
  }

  for (const StateTensor &t : layout.tensors)
    writeWeight(t, w(t.layer, t.isHead));
  func::ReturnOp::create(b, loc);
}

int64_t Expander::numHeads() {
  return llvm::count_if(model.getBody().front(), [](Operation &op) {
    return llvm::isa<LocalLinearBlockOp, LocalConvBlockOp>(op);
  });
}

void Expander::buildPredict(bool withHeads) {
  int64_t classes = model.getNumClasses(), heads = numHeads();
  SmallVector<Type> args = {stateType(), inputType(),
                            MemRefType::get({batch, classes}, i8())};
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
  auto write = [&](Value value, Value dest) {
    auto op =
        bufferization::MaterializeInDestinationOp::create(b, loc, value, dest);
    op.setRestrict(true);
    op.setWritable(true);
  };
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
      write(outputForward(o, cur, readWeight(weight(&op, false), false)),
            fn.getArgument(2));
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
      // Created in reverse so they appear as init, train_step, predict,
      // predict_heads. A model without blocks has no heads to report.
      if (predictHeads && expander.numHeads() > 0)
        expander.buildPredict(/*withHeads=*/true);
      expander.buildPredict(/*withHeads=*/false);
      expander.buildTrainStep();
      expander.buildInit();
      if (!keepModel)
        model.erase();
    }
  }
};
} // namespace
