//===- ModelSession.cpp - A compiled model and its weights, in memory -----===//

#include "lib/Driver/ModelSession.h"

#include "runtime/host/Prediction.h"
#include "runtime/host/TrainData.h"

using namespace llvm;

namespace intc::driver {

Expected<std::unique_ptr<ModelSession>>
ModelSession::create(LoadedModel loaded, StringRef target,
                     const mlir::intc::CodegenOptions &codegen, int64_t batch,
                     mlir::intc::CompileCache *cache) {
  if (target != "cpu" && target != "ref" && target != "cuda")
    return createStringError("unknown target '" + target.str() +
                             "': expected cpu, cuda or ref");
  std::unique_ptr<ModelSession> session(new ModelSession(std::move(loaded)));
  std::string diag;
  raw_string_ostream os(diag);
  mlir::FailureOr<int64_t> chosen = chooseBatch(session->loaded, batch, os);
  if (mlir::failed(chosen))
    return createStringError(StringRef(diag).trim().str());
  session->modelInfo = makeModelInfo(session->loaded, *chosen);
  if (Error err = host::verifyModelInfo(session->modelInfo))
    return std::move(err);
  session->targetName = target.str();
  session->codegen = withBatch(codegen, *chosen);
  session->cache = cache;
  return std::move(session);
}

Error ModelSession::prepareRunner() {
  if (runner)
    return Error::success();
  Expected<TargetRunner> created =
      createRunner(loaded, targetName, codegen, cache);
  if (!created)
    return created.takeError();
  runner = std::move(*created);
  return Error::success();
}

Error ModelSession::needState(StringRef operation) const {
  return createStringError("model '" + modelInfo.name + "' has no weights to " +
                           operation + " yet: train it or load a checkpoint");
}

Expected<host::RunSummary> ModelSession::train(const host::Dataset &data,
                                               host::TrainOptions options,
                                               raw_ostream &out) {
  if (options.resume && !options.resumeFrom && options.outDir.empty()) {
    if (!trained)
      return needState("resume from");
    options.resumeFrom = &*trained;
  }
  if (Error err = prepareRunner())
    return std::move(err);
  host::TrainState final;
  options.finalState = &final;
  options.targetName = targetName;
  Expected<host::RunSummary> summary =
      host::runTraining(*runner->runner, modelInfo, data, options, out);
  if (!summary)
    return summary.takeError();
  trained = std::move(final);
  return summary;
}

Expected<host::TestCounts> ModelSession::evaluate(const host::ImageSet &set,
                                                  StringRef what) {
  if (!trained)
    return needState("evaluate");
  Expected<host::NormalizedSet> normalized =
      host::normalizeWithStats(set, modelInfo, trained->context.mean,
                               trained->context.mad, what);
  if (!normalized)
    return normalized.takeError();
  if (normalized->n == 0)
    return createStringError(what.str() + ": no images to evaluate");
  if (Error err = prepareRunner())
    return std::move(err);
  return host::evaluateTestSet(*runner->runner, trained->weights.data(),
                               *normalized, modelInfo.numClasses);
}

Expected<std::vector<int8_t>> ModelSession::predict(const host::ImageSet &set,
                                                    StringRef what) {
  if (!trained)
    return needState("predict with");
  Expected<host::NormalizedSet> normalized = host::normalizeWithStats(
      set, modelInfo, trained->context.mean, trained->context.mad, what,
      /*checkLabels=*/false);
  if (!normalized)
    return normalized.takeError();
  if (Error err = prepareRunner())
    return std::move(err);
  return host::predictScores(*runner->runner, trained->weights.data(),
                             *normalized, modelInfo.numClasses);
}

Error ModelSession::save(StringRef path) {
  if (!trained)
    return needState("save");
  return host::writeTrainCheckpoint(path, modelInfo, trained->weights.data(),
                                    trained->loop, trained->context);
}

Error ModelSession::load(StringRef path) {
  host::TrainState state;
  state.weights.assign(size_t(modelInfo.numWeights), 0);
  Expected<host::LoadedCheckpoint> loadedCkpt =
      host::readTrainCheckpoint(path, modelInfo, state.weights.data());
  if (!loadedCkpt)
    return loadedCkpt.takeError();
  state.loop = loadedCkpt->loop;
  state.context = loadedCkpt->context;
  trained = std::move(state);
  return Error::success();
}

} // namespace intc::driver
