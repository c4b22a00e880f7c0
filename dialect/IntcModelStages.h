//===- IntcModelStages.h - Cutting a model into pipeline stages -*- C++ -*-===//
//
// Pipeline-parallel training runs contiguous runs of a model's local blocks
// on different ranks. No error crosses a block (ALGORITHM.md §3.3), so a
// stage needs from the stage before it only the forward activation entering
// its first block: each stage is a model of its own (#intc.stage), trained
// with the entry points intc-expand-training writes for any model.
//
// Stage k of S holds blocks [first[k], first[k+1]) and the inter-block
// layers (max-pool, dropout, flatten) that follow its last block; stage 0
// also holds the layers before the first block, the last stage the output
// layer. The partition rule is here, used by intc-extract-stage and by the
// driver that checks a run's stages before it starts.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_DIALECT_INTCMODELSTAGES_H
#define INTC_DIALECT_INTCMODELSTAGES_H

#include "dialect/IntcOps.h"

#include "llvm/ADT/SmallVector.h"

#include <string>

namespace mlir::intc {

/// The local blocks (linear and conv) of a model, in order.
llvm::SmallVector<Operation *> localBlocks(ModelOp model);

/// An estimate of each local block's training work, in multiply-accumulates
/// per sample: the encoder's forward and weight gradient (over the head's
/// pooled grid for a pooling conv block, as intc-sparse-wgrad computes it),
/// the head's forward, input gradient and weight gradient (3·K·
/// dim_in_decoder), once more the local step of a linear block that gets
/// the double update (§11 Q2), and, on the last block, the output layer's
/// forward and weight gradient. The model must be verified (its layers
/// carry `derived`).
llvm::SmallVector<int64_t> blockTrainingMacs(ModelOp model);

/// The index of the first block of each of \p stages stages (the first is
/// 0). With \p cuts (the first blocks of stages 1..S-1, strictly
/// increasing), checks and returns them; without, balances
/// blockTrainingMacs: the contiguous split whose costliest stage costs
/// least (of several, the one whose first cut comes earliest). Fails with
/// a readable reason in \p error when the stages do not fit the blocks.
FailureOr<llvm::SmallVector<int64_t>>
partitionStages(ModelOp model, int64_t stages, llvm::ArrayRef<int64_t> cuts,
                std::string &error);

/// Rewrites \p model, a verified model that is not a stage itself, into
/// stage \p index of the stages that begin at blocks \p firstBlocks
/// (partitionStages): drops the other stages' layers, retypes the input to
/// the activation entering the stage and, before the last stage, yields
/// the activation it hands on; records the #intc.stage attribute. A stage
/// after the first loses `dataset`, `augment_crop` and `augment_flip`: its
/// input is not an image (the host augments before stage 0).
LogicalResult extractStage(ModelOp model, int64_t index,
                           llvm::ArrayRef<int64_t> firstBlocks);

} // namespace mlir::intc

#endif // INTC_DIALECT_INTCMODELSTAGES_H
