//===- TrainedWeights.cpp - A checkpoint compiled into the output ---------===//

#include "tools/intc/TrainedWeights.h"
#include "tools/intc/OutputFiles.h"

#include "runtime/host/TrainCheckpoint.h"

using namespace mlir;
using namespace mlir::intc;

namespace intc::driver {

llvm::Expected<TrainedWeights> readTrainedWeights(const LoadedModel &loaded,
                                                  llvm::StringRef path) {
  host::ModelInfo info = makeModelInfo(loaded, loaded.model.getBatch());
  TrainedWeights weights;
  weights.state.assign(size_t(info.numWeights), 0);
  llvm::Expected<host::LoadedCheckpoint> ckpt =
      host::readTrainCheckpoint(path, info, weights.state.data());
  if (!ckpt)
    return ckpt.takeError();
  const host::RunContext &context = ckpt->context;
  // The statistics are per channel of the data the model was trained on:
  // the model's channels, or one per image channel for a flat-input model
  // trained on images (TrainData.h).
  int64_t sampleSize = info.imageBytes();
  int64_t channels = int64_t(context.mean.size());
  if (channels == 0 || sampleSize % channels)
    return llvm::createFileError(
        path, llvm::createStringError(
                  "has normalisation statistics for " +
                  std::to_string(channels) + " channels, which do not divide "
                  "model '" + info.name + "''s " + std::to_string(sampleSize) +
                  " input values"));
  HeaderCheckpoint &header = weights.header;
  header.path = path.str();
  header.mean = context.mean;
  header.mad = context.mad;
  header.channelSize = sampleSize / channels;
  header.classNames = context.classNames;
  header.epoch = ckpt->loop.epochsDone;
  header.seed = ckpt->loop.seed;
  return std::move(weights);
}

int writeTrainedWeights(const LoadedModel &loaded, const HeaderOptions &header,
                        const TrainedWeights &weights, llvm::StringRef path) {
  if (llvm::Error err =
          writeOutputFileChecked(path, [&](llvm::raw_ostream &os) {
            return emitTrainedWeights(loaded.model, header, weights.state, os);
          }))
    return reportError(std::move(err));
  return 0;
}

} // namespace intc::driver
