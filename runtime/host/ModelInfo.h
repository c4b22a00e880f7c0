//===- ModelInfo.h - What the training loop knows about a model -*- C++ -*-===//
//
// The description of a compiled model that `intc train` / `intc eval` need
// besides the ModelRunner: the input shape, the class count, the layout of
// the flat int32 state (one named tensor per weight, as stored in
// checkpoints) and the training hyper-parameters of the model file. The
// driver fills it from the MLIR model; ReferenceRunner.h fills it from a
// runtime/c descriptor. Defaults are the reference values (ALGORITHM.md §4.3,
// §7, §9.1).
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_MODELINFO_H
#define INTC_RUNTIME_HOST_MODELINFO_H

#include "runtime/host/Checkpoint.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace intc::host {

/// One weight tensor of the flat state: elements [offset, offset + numel).
struct StateTensorInfo {
  std::string name;
  std::vector<int64_t> shape;
  int64_t offset = 0; // In int32 elements.

  int64_t numElements() const;
};

struct ModelInfo {
  std::string name, dataset; // dataset: the default for -data.
  uint32_t c = 0, h = 0, w = 0;
  uint32_t numClasses = 0;
  int64_t numWeights = 0;
  std::vector<StateTensorInfo> tensors;
  int64_t lrInv = 512;
  uint32_t maxEpochs = 150;
  uint32_t batch = 64;
  uint32_t augmentCrop = 0; // RandomCrop padding p; 0: no crop.
  bool augmentFlip = false;
  // ReduceLROnPlateau / EarlyStopping (§4.3): factor, patience, from_epoch.
  int64_t plateauFactor = 3;
  uint32_t plateauPatience = 15, plateauFrom = 10;
  uint32_t earlyStopPatience = 35, earlyStopFrom = 30;

  /// Bytes of one input image (C·H·W int8).
  int64_t imageBytes() const { return int64_t(c) * h * w; }
};

/// Checks that \p info is usable: a positive input shape, class count,
/// batch and lr_inv, at most 256 classes (labels are uint8), and tensors with
/// unique non-empty names and non-negative dimensions that cover the state
/// [0, numWeights) exactly, without gap or overlap — so that a checkpoint
/// holds the whole state.
llvm::Error verifyModelInfo(const ModelInfo &info);

/// The checkpoint tensors the model expects (all I32), in ModelInfo order.
std::vector<TensorSpec> checkpointSpecs(const ModelInfo &info);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_MODELINFO_H
