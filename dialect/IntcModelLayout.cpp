//===- IntcModelLayout.cpp - The trainable state of a model ---------------===//

#include "dialect/IntcModelLayout.h"
#include "dialect/IntcLimits.h"

#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace mlir::intc;

FailureOr<ModelLayout> ModelLayout::get(ModelOp model) {
  ModelLayout layout;
  int64_t classes = model.getNumClasses();
  // A pipeline stage continues the numbering of the model it was cut from.
  std::optional<StageAttr> stage = model.getStage();
  int64_t blockIndex = stage ? stage->getFirstBlock() : 0;
  int64_t firstStream = stage ? stage->getFirstTensor() : 0;
  bool tooLarge = false;
  auto add = [&](Operation *layer, std::string name, ArrayRef<int64_t> shape,
                 InitScheme init, int64_t bound, bool head) {
    std::optional<int64_t> numel = limits::boundedElements(shape);
    std::optional<int64_t> total =
        numel ? llvm::checkedAdd(layout.numWeights, *numel) : std::nullopt;
    if (firstStream + int64_t(layout.tensors.size()) >=
        limits::kMaxStateTensors) {
      layer->emitOpError() << "adds weight tensor "
                           << firstStream + layout.tensors.size() + 1 << " ("
                           << name << "); a model has at most "
                           << limits::kMaxStateTensors;
      tooLarge = true;
      return;
    }
    if (!total || *total > limits::kMaxElements) {
      layer->emitOpError() << "makes the model's state (" << name
                           << " included) larger than " << limits::kMaxElements
                           << " weights";
      tooLarge = true;
      return;
    }
    StateTensor t;
    t.name = std::move(name);
    t.shape.assign(shape.begin(), shape.end());
    t.offset = layout.numWeights;
    t.numel = *numel;
    t.init = init;
    t.initBound = bound;
    t.initStream = firstStream + int64_t(layout.tensors.size());
    t.layer = layer;
    t.isHead = head;
    layout.numWeights += t.numel;
    layout.tensors.push_back(std::move(t));
  };
  for (Operation &op : model.getBody().front().without_terminator()) {
    auto derived = op.getAttrOfType<DerivedAttr>("derived");
    bool hasState =
        llvm::isa<LocalLinearBlockOp, LocalConvBlockOp, OutputLayerOp>(op);
    if (!hasState)
      continue;
    if (!derived)
      return op.emitOpError()
             << "has no derived constants; run intc-verify-model first";
    auto in = llvm::cast<RankedTensorType>(op.getOperand(0).getType());
    std::string prefix = "block" + std::to_string(blockIndex);
    if (auto b = llvm::dyn_cast<LocalLinearBlockOp>(op)) {
      add(&op, prefix + ".encoder", {b.getOutFeatures(), in.getDimSize(1)},
          b.getInit(), derived.getInitBound(), false);
      add(&op, prefix + ".head", {classes, b.getOutFeatures()}, b.getHeadInit(),
          derived.getHeadInitBound(), true);
      ++blockIndex;
    } else if (auto b = llvm::dyn_cast<LocalConvBlockOp>(op)) {
      int64_t k = b.getKernelSize();
      add(&op, prefix + ".encoder",
          {b.getOutChannels(), in.getDimSize(1), k, k}, b.getInit(),
          derived.getInitBound(), false);
      add(&op, prefix + ".head", {classes, derived.getDimInDecoder()},
          b.getHeadInit(), derived.getHeadInitBound(), true);
      ++blockIndex;
    } else {
      auto o = llvm::cast<OutputLayerOp>(op);
      add(&op, "output", {classes, in.getDimSize(1)}, o.getInit(),
          derived.getInitBound(), false);
    }
    if (tooLarge)
      return failure();
  }
  return layout;
}

const StateTensor *ModelLayout::find(Operation *layer, bool head) const {
  for (const StateTensor &t : tensors)
    if (t.layer == layer && t.isHead == head)
      return &t;
  return nullptr;
}
