//===- IntcModelLayout.h - The trainable state of a model -------*- C++ -*-===//
//
// Every target keeps a model's weights in ONE flat int32 array, in
// construction order (ALGORITHM.md §5): block by block the encoder then the
// head, then the output layer. This is that layout: names, shapes, offsets
// and init bounds. The expansion, the generated headers, checkpoints and the
// reference runtime all use it, so they agree on where every weight lives.
//
// A pipeline stage (#intc.stage) lays out its own tensors from offset 0,
// under the whole model's names and init streams: its state is the whole
// model's from its first tensor's offset on, one contiguous range.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_DIALECT_INTCMODELLAYOUT_H
#define INTC_DIALECT_INTCMODELLAYOUT_H

#include "dialect/IntcOps.h"

#include "llvm/ADT/SmallVector.h"
#include <string>

namespace mlir::intc {

struct StateTensor {
  std::string name;               ///< "block0.encoder", "block0.head", "output"
  llvm::SmallVector<int64_t> shape; ///< row-major
  int64_t offset = 0;             ///< in int32 elements from the state start
  int64_t numel = 0;
  InitScheme init = InitScheme::KaimingLeakyRelu;
  int64_t initBound = 0;
  int64_t initStream = 0;     ///< the RNG stream init draws it from: its
                              ///< index in the whole model's tensors
  Operation *layer = nullptr; ///< the model-level op owning it
  bool isHead = false;
};

struct ModelLayout {
  llvm::SmallVector<StateTensor> tensors;
  int64_t numWeights = 0;

  /// Computes the layout of a verified model. Every block and the output
  /// layer must carry its `derived` constants (run intc-verify-model first);
  /// emits an error at the layer otherwise.
  static FailureOr<ModelLayout> get(ModelOp model);

  /// The tensors of one layer: the encoder (or output) weight and, for
  /// blocks, the head weight.
  const StateTensor *find(Operation *layer, bool head) const;
};

} // namespace mlir::intc

#endif // INTC_DIALECT_INTCMODELLAYOUT_H
