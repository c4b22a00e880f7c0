//===- TrainData.h - Normalised in-memory data for the loop -----*- C++ -*-===//
//
// ALGORITHM.md §7 steps 2-7, in integers, from a loaded uint8 Dataset:
//  * the load-time shuffle of the training set with the run seed
//    (intc_data_shuffle_load);
//  * per-channel mean and mean absolute deviation of the first
//    min(N, 25000) shuffled training images (intc_data_stats);
//  * normalisation of both splits to int8 (intc_data_normalize), done as
//    the loop reads each batch (NormalizedSet).
// The images stay in file order: the loop addresses them through the
// permutation, which the epoch shuffles then re-shuffle cumulatively. Indexing
// the file-order set with the shuffled permutation is the same as the
// reference's shuffled array indexed by its own cumulative index permutation,
// so no reordered copy is made.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_TRAINDATA_H
#define INTC_RUNTIME_HOST_TRAINDATA_H

#include "runtime/host/Datasets.h"
#include "runtime/host/ModelInfo.h"
#include "runtime/host/NormalizePlane.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace intc::host {

/// One split, normalised as it is read: the images stay uint8 as loaded
/// (shared with the ImageSet they came from, or with a mapped cache entry),
/// and copyImages() maps them through the per-channel tables of
/// intc_data_norm_table, so a batch holds exactly what intc_data_normalize
/// would have stored for it. Keeping no normalised copy saves a start-up
/// the copy's size in fresh memory (184 MB for CIFAR-10, 0.1-0.3 s of page
/// faults on a VM) for a table lookup per pixel of each batch.
struct NormalizedSet {
  uint32_t n = 0;
  int64_t imageBytes = 0;
  std::vector<uint8_t> labels;
  std::shared_ptr<const uint8_t> raw; // n * imageBytes bytes, NCHW
  int32_t channels = 0;               // imageBytes = channels * planeBytes
  int64_t planeBytes = 0;
  std::vector<int8_t> table; // channels * 256: value of pixel v in channel ch
  /// Per channel, the table as SIMD arithmetic where that is exact
  /// (NormalizePlane.h); empty, or nullopt for a channel: the table.
  std::vector<std::optional<PlaneDivision>> division;

  /// The uint8 pixels of image \p i, as loaded (for prefetching).
  const uint8_t *rawImage(uint32_t i) const {
    return raw.get() + int64_t(i) * imageBytes;
  }
  /// Writes images [first, first + count) normalised to \p out
  /// (count * imageBytes values).
  void copyImages(uint32_t first, uint32_t count, int8_t *out) const;
};

struct TrainData {
  std::string datasetName; // Dataset::name (a registry name or a path).
  std::string dir;         // The folder the files were read from.
  NormalizedSet train, test;
  std::vector<int32_t> mean, mad; // Per channel.
  /// The load-time shuffle (§7 step 2); the epoch shuffles continue from it.
  std::vector<uint32_t> loadOrder;
};

/// The request for the data \p spec (a dataset name or a path) to train or
/// evaluate the model \p info on.
DataRequest dataRequestFor(const ModelInfo &info, llvm::StringRef spec,
                           DataDirSearch search,
                           DataLayout layout = DataLayout::Auto);

/// Checks that the dataset's images have the model's shape and labels below
/// its class count, then shuffles and normalises with \p seed.
llvm::Expected<TrainData>
prepareTrainData(const Dataset &dataset, const ModelInfo &info, uint64_t seed);

/// Normalises \p set with given statistics (those a checkpoint recorded,
/// §7 step 6): what `intc eval`, `intc predict` and the Python package do
/// with data the model was not trained on. Checks the images' shape (and,
/// with \p checkLabels, the labels) against the model and the statistics'
/// channel count against the images'. \p what prefixes every message.
llvm::Expected<NormalizedSet>
normalizeWithStats(const ImageSet &set, const ModelInfo &info,
                   llvm::ArrayRef<int32_t> mean, llvm::ArrayRef<int32_t> mad,
                   const llvm::Twine &what, bool checkLabels = true);

/// The per-epoch permutation after \p epochs epoch shuffles (epochs 1 ...
/// \p epochs applied to the load order): what the loop holds at the start of
/// epoch \p epochs + 1 before its own shuffle.
std::vector<uint32_t> replayShuffles(const TrainData &data, uint64_t seed,
                                     uint32_t epochs);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_TRAINDATA_H
