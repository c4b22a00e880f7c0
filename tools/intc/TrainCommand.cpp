//===- TrainCommand.cpp - intc train / intc eval --------------------------===//

#include "tools/intc/Commands.h"
#include "lib/Driver/ModelLoader.h"
#include "lib/Driver/Runners.h"

#include "runtime/host/TrainData.h"
#include "runtime/host/Trainer.h"

#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace intc::driver {

namespace {
int fail(llvm::Error err) {
  llvm::logAllUnhandledErrors(std::move(err), llvm::errs(), "intc: error: ");
  return 1;
}

/// Loads the dataset named by -data (a name or a path), or the model's
/// `dataset`.
llvm::Expected<host::Dataset> loadData(const TrainCommandOptions &o,
                                       const host::ModelInfo &info) {
  std::string spec = o.data.empty() ? info.dataset : o.data;
  if (spec.empty())
    return llvm::createStringError(
        "model @" + info.name +
        " names no dataset; choose one with -data=" + host::datasetNameList() +
        " or -data=PATH (an image folder, a "
        "folder of IDX files or a .npz file)");
  return host::loadDataset(host::dataRequestFor(
      info, spec, host::DataDirSearch::fromEnvironment(o.dataDir),
      o.dataLayout));
}
} // namespace

int runTrain(const TrainCommandOptions &o) {
  FailureOr<LoadedModel> loaded = loadModel(o.input, o.model);
  if (failed(loaded))
    return 1;
  FailureOr<int64_t> chosen = chooseBatch(*loaded, o.batch);
  if (failed(chosen))
    return 2;
  int64_t batch = *chosen;
  host::ModelInfo info = makeModelInfo(*loaded, batch);
  auto dataset = loadData(o, info);
  if (!dataset)
    return fail(dataset.takeError());
  if (o.resume && o.outDir.empty()) {
    llvm::errs() << "intc: error: -resume needs the run directory (-o DIR)\n";
    return 2;
  }
  auto runner = createRunner(*loaded, o.target, withBatch(o.codegen, batch));
  if (!runner)
    return fail(runner.takeError());

  host::TrainOptions options;
  options.epochs = o.epochs;
  options.seed = o.seed;
  options.maxSteps = o.maxSteps;
  options.noEval = o.noEval;
  options.outDir = o.outDir;
  options.resume = o.resume;
  options.metricsPath = o.metrics;
  options.targetName = o.target;
  if (o.noProgress)
    options.progress = host::ProgressBar::Style::Lines;
  auto summary =
      host::runTraining(*runner->runner, info, *dataset, options, llvm::outs());
  if (!summary)
    return fail(summary.takeError());
  return 0;
}

int runEval(const TrainCommandOptions &o) {
  if (o.weights.empty()) {
    llvm::errs() << "intc: error: eval needs a checkpoint: -weights=FILE\n";
    return 2;
  }
  FailureOr<LoadedModel> loaded = loadModel(o.input, o.model);
  if (failed(loaded))
    return 1;
  FailureOr<int64_t> chosen = chooseBatch(*loaded, o.batch);
  if (failed(chosen))
    return 2;
  int64_t batch = *chosen;
  host::ModelInfo info = makeModelInfo(*loaded, batch);
  auto dataset = loadData(o, info);
  if (!dataset)
    return fail(dataset.takeError());
  auto runner = createRunner(*loaded, o.target, withBatch(o.codegen, batch));
  if (!runner)
    return fail(runner.takeError());
  auto stats = host::runEvaluation(*runner->runner, info, *dataset, o.weights,
                                   llvm::outs());
  if (!stats)
    return fail(stats.takeError());
  return 0;
}

} // namespace intc::driver
