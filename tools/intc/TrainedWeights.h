//===- TrainedWeights.h - A checkpoint compiled into the output -*- C++ -*-===//
//
// `intc model.mlir -target=c|cpu -weights=FILE -o DIR` compiles a trained
// model: the header gains the training data's normalisation
// (<model>_normalize) and class names, and DIR/<model>_weights.c holds the
// trained state, so firmware predicts with (or fine-tunes from) the weights
// trained on a PC.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_TOOLS_INTC_TRAINEDWEIGHTS_H
#define INTC_TOOLS_INTC_TRAINEDWEIGHTS_H

#include "lib/Driver/ModelLoader.h"
#include "lib/Target/Common/ModelHeader.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace intc::driver {

struct TrainedWeights {
  mlir::intc::HeaderCheckpoint header;
  std::vector<int32_t> state; ///< the flat state, model layout order
};

/// Reads `path`, an `intc train` checkpoint of the loaded model, with the
/// checks `intc eval` makes (tensors, metadata, statistics).
llvm::Expected<TrainedWeights> readTrainedWeights(const LoadedModel &loaded,
                                                  llvm::StringRef path);

/// Writes DIR/<model>_weights.c for `header` (whose checkpoint is set).
/// Returns the exit status (errors already reported).
int writeTrainedWeights(const LoadedModel &loaded,
                        const mlir::intc::HeaderOptions &header,
                        const TrainedWeights &weights, llvm::StringRef path);

} // namespace intc::driver

#endif // INTC_TOOLS_INTC_TRAINEDWEIGHTS_H
