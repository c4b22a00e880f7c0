//===- Expander.h - intc-expand-training's function builder -----*- C++ -*-===//
//
// Private to intc-expand-training: the Expander writes one model's step-level
// functions. Expander.cpp has the shared helpers, init, train_step and
// predict(_heads); GradientSteps.cpp the data-parallel halves (train_grads,
// apply_grads and the second pair).
//
//===----------------------------------------------------------------------===//

#ifndef INTC_PASSES_EXPANDTRAINING_EXPANDER_H
#define INTC_PASSES_EXPANDTRAINING_EXPANDER_H

#include "dialect/IntcModelLayout.h"
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::intc::expand {

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

/// A training function's batch: x (argument 1) and the labels (argument 2)
/// as tensors, and the labels one-hot encoded.
struct BatchInputs {
  Value x, labels, target;
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
  /// Reads the batch of a training function whose arguments 1 and 2 are
  /// x and the labels.
  BatchInputs batchInputs(func::FuncOp fn);
  /// The step-level max pool of the model's \p op on \p x (training and
  /// evaluation forwards alike).
  Value maxPool(MaxPool2dOp op, Value x);

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

/// The elements of the state that the tensors of \p layers occupy: one
/// range, because a model's linear blocks follow one another in the layout.
std::pair<int64_t, int64_t> tensorRange(const ModelLayout &layout,
                                        ArrayRef<Operation *> layers);

} // namespace mlir::intc::expand

#endif // INTC_PASSES_EXPANDTRAINING_EXPANDER_H
