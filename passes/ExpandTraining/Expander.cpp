//===- Expander.cpp - init, train_step and predict(_heads) ----------------===//
//
// The Expander's shared helpers (weight views, stores, hooks, the overflow
// proof and guard, the forward and local steps of each kind of block) and
// the functions of the single-process step: init, train_step, predict and
// predict_heads. ALGORITHM.md §3.3-§3.7.
//
//===----------------------------------------------------------------------===//

#include "passes/ExpandTraining/Expander.h"

#include "dialect/IntcLimits.h"

using namespace mlir;
using namespace mlir::intc;
using namespace mlir::intc::expand;

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
      cur = maxPool(mp, cur);
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

Value Expander::maxPool(MaxPool2dOp op, Value x) {
  auto t = llvm::cast<RankedTensorType>(x.getType());
  RankedTensorType outType = withBatch(op.getOutput(), t.getElementType());
  int64_t k = op.getKernel();
  return MaxPoolOp::create(b, loc, outType, outType.clone(i32()), x,
                           b.getDenseI64ArrayAttr({k, k}),
                           b.getDenseI64ArrayAttr({0, 0}),
                           b.getI64IntegerAttr(0))
      .getOutput();
}

BatchInputs Expander::batchInputs(func::FuncOp fn) {
  BatchInputs in;
  in.x = bufferization::ToTensorOp::create(
      b, loc, withBatch(model.getInput()), fn.getArgument(1),
      /*restrict=*/true, /*writable=*/false);
  in.labels = bufferization::ToTensorOp::create(
      b, loc, tensor({batch}, i8()), fn.getArgument(2), /*restrict=*/true,
      /*writable=*/false);
  in.target =
      OneHotOp::create(b, loc, tensor({batch, model.getNumClasses()}, i8()),
                       in.labels, b.getI64IntegerAttr(model.getOneHot()));
  return in;
}

void Expander::buildTrainStep() {
  func::FuncOp fn = startFunc("train_step",
                              {stateType(), inputType(), labelsType(), i64(),
                               i64(), i64(), logitsType()},
                              "train_step");
  Value lrInv = fn.getArgument(3), seed = fn.getArgument(4),
        step = fn.getArgument(5);
  stepArg = step;
  // train_step holds every accumulation of the model: prove them once.
  proving = checkOverflow;
  auto [x, labels, target] = batchInputs(fn);

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
      cur = maxPool(mp, cur);
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
