//===- IntcModelStages.cpp - Cutting a model into pipeline stages ---------===//

#include "dialect/IntcModelStages.h"
#include "dialect/IntcModelLayout.h"

#include "llvm/ADT/STLExtras.h"

#include <limits>

using namespace mlir;
using namespace mlir::intc;

SmallVector<Operation *> mlir::intc::localBlocks(ModelOp model) {
  SmallVector<Operation *> blocks;
  for (Operation &op : model.getBody().front().without_terminator())
    if (llvm::isa<LocalLinearBlockOp, LocalConvBlockOp>(op))
      blocks.push_back(&op);
  return blocks;
}

/// Elements of one sample of a batch value.
static int64_t sampleElements(Value v) {
  int64_t n = 1;
  for (int64_t d :
       llvm::cast<RankedTensorType>(v.getType()).getShape().drop_front())
    n *= d;
  return n;
}

SmallVector<int64_t> mlir::intc::blockTrainingMacs(ModelOp model) {
  const int64_t classes = model.getNumClasses();
  const bool doubleUpdate = model.isCnn() && model.getDoubleClassifierUpdate();
  SmallVector<int64_t> costs;
  for (Operation *op : localBlocks(model)) {
    auto derived = op->getAttrOfType<DerivedAttr>("derived");
    const int64_t head = 3 * classes * derived.getDimInDecoder();
    if (auto conv = llvm::dyn_cast<LocalConvBlockOp>(op)) {
      const int64_t k = conv.getKernelSize();
      const int64_t perOutput =
          llvm::cast<RankedTensorType>(conv.getInput().getType())
              .getDimSize(1) *
          k * k;
      const int64_t forward = sampleElements(conv.getOutput()) * perOutput;
      // intc-sparse-wgrad sums over the pooled grid only.
      ArrayRef<int64_t> grid = derived.getHeadGrid();
      const int64_t wgrad =
          grid.empty() ? forward
                       : conv.getOutChannels() * grid[0] * grid[1] * perOutput;
      costs.push_back(forward + wgrad + head);
    } else {
      auto lin = llvm::cast<LocalLinearBlockOp>(op);
      const int64_t forward =
          sampleElements(lin.getInput()) * lin.getOutFeatures();
      int64_t cost = 2 * forward + head;
      if (doubleUpdate)
        cost += forward + head; // The second step reuses the forward.
      costs.push_back(cost);
    }
  }
  if (OutputLayerOp out = model.getOutputLayer(); out && !costs.empty())
    costs.back() += 2 * classes * sampleElements(out.getInput());
  return costs;
}

FailureOr<SmallVector<int64_t>>
mlir::intc::partitionStages(ModelOp model, int64_t stages,
                            ArrayRef<int64_t> cuts, std::string &error) {
  const int64_t blocks = static_cast<int64_t>(localBlocks(model).size());
  auto fail = [&](const Twine &why) {
    error = why.str();
    return failure();
  };
  if (stages < 1)
    return fail("the number of pipeline stages must be at least 1, got " +
                Twine(stages));
  if (stages > blocks)
    return fail("model '" + model.getSymName() + "' has " + Twine(blocks) +
                " local block" + (blocks == 1 ? "" : "s") + ", too few for " +
                Twine(stages) +
                " pipeline stages: every stage needs at least one block");
  SmallVector<int64_t> first = {0};
  if (!cuts.empty()) {
    if (static_cast<int64_t>(cuts.size()) != stages - 1)
      return fail(Twine(stages) + " pipeline stages need " + Twine(stages - 1) +
                  " cut" + (stages == 2 ? "" : "s") +
                  " (the first block of each stage after the first), got " +
                  Twine(cuts.size()));
    for (int64_t c : cuts) {
      if (c <= first.back() || c >= blocks)
        return fail("pipeline cuts must be strictly increasing block "
                    "indices in [1, " +
                    Twine(blocks - 1) + "] (model '" + model.getSymName() +
                    "' has " + Twine(blocks) + " local blocks), got " +
                    Twine(c) + " after " + Twine(first.back()));
      first.push_back(c);
    }
    return first;
  }
  // Contiguous split of the blocks' costs minimising the largest stage:
  // best[s][i] is the least largest cost of blocks [0, i) in s stages.
  SmallVector<int64_t> costs = blockTrainingMacs(model);
  SmallVector<int64_t> prefix(blocks + 1, 0);
  for (int64_t i = 0; i < blocks; ++i)
    prefix[i + 1] = prefix[i] + costs[i];
  constexpr int64_t kInf = std::numeric_limits<int64_t>::max();
  std::vector<std::vector<int64_t>> best(
      stages + 1, std::vector<int64_t>(blocks + 1, kInf));
  std::vector<std::vector<int64_t>> from(stages + 1,
                                         std::vector<int64_t>(blocks + 1, 0));
  for (int64_t i = 1; i <= blocks; ++i)
    best[1][i] = prefix[i];
  for (int64_t s = 2; s <= stages; ++s)
    for (int64_t i = s; i <= blocks; ++i)
      for (int64_t j = s - 1; j < i; ++j) {
        int64_t cost = std::max(best[s - 1][j], prefix[i] - prefix[j]);
        if (cost < best[s][i]) { // Strict: the earliest j wins ties.
          best[s][i] = cost;
          from[s][i] = j;
        }
      }
  SmallVector<int64_t> reversed;
  for (int64_t s = stages, i = blocks; s > 1; --s) {
    i = from[s][i];
    reversed.push_back(i);
  }
  first.append(reversed.rbegin(), reversed.rend());
  return first;
}

LogicalResult mlir::intc::extractStage(ModelOp model, int64_t index,
                                       ArrayRef<int64_t> firstBlocks) {
  if (model.getStage())
    return model.emitOpError()
           << "is already a pipeline stage; cut the whole model";
  const int64_t count = static_cast<int64_t>(firstBlocks.size());
  if (index < 0 || index >= count)
    return model.emitOpError()
           << "has no pipeline stage " << index << " of " << count;
  SmallVector<Operation *> blocks = localBlocks(model);
  FailureOr<ModelLayout> layout = ModelLayout::get(model);
  if (failed(layout))
    return failure();

  Operation *begin = blocks[firstBlocks[index]];
  Operation *end = index + 1 < count ? blocks[firstBlocks[index + 1]] : nullptr;
  // What the layers before the stage used up of the whole model's names
  // and RNG streams.
  const int64_t firstTensor =
      index ? layout->find(begin, /*head=*/false) - layout->tensors.begin() : 0;
  int64_t firstDropout = 0;
  if (index)
    for (Operation &op : model.getBody().front()) {
      if (&op == begin)
        break;
      firstDropout += llvm::isa<DropoutOp>(op);
    }
  const bool cnn = model.isCnn();

  Block &body = model.getBody().front();
  // The tail: the next stage's first block and everything after it, the
  // yield taking the activation entering that block.
  if (end) {
    YieldOp yield = model.getYield();
    yield->setOperand(0, end->getOperand(0));
    SmallVector<Operation *> tail;
    for (Operation *op = end; op != yield; op = op->getNextNode())
      tail.push_back(op);
    for (Operation *op : llvm::reverse(tail))
      op->erase();
  }
  // The head: everything before the stage's first block, whose input
  // becomes the model's.
  if (index) {
    Value in = begin->getOperand(0);
    BlockArgument arg = body.getArgument(0);
    arg.setType(in.getType());
    in.replaceAllUsesWith(arg);
    SmallVector<Operation *> head;
    for (Operation *op = &body.front(); op != begin; op = op->getNextNode())
      head.push_back(op);
    for (Operation *op : llvm::reverse(head))
      op->erase();
    model.removeDatasetAttr();
    model.setAugmentCrop(0);
    model.setAugmentFlip(false);
  }
  model.setStageAttr(StageAttr::get(model.getContext(), index, count,
                                    index ? firstBlocks[index] : 0, firstTensor,
                                    firstDropout, cnn));
  return success();
}
