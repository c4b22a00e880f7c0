//===- TrainCommand.cpp - intc train / intc eval --------------------------===//

#include "lib/Driver/ModelLoader.h"
#include "lib/Driver/Runners.h"
#include "tools/intc/Commands.h"

#include "runtime/host/DataParallelRunner.h"
#include "runtime/host/TrainData.h"
#include "runtime/host/Trainer.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace intc::driver {

namespace {
/// Reports \p err and returns the exit status; under mpirun, stops the whole
/// job instead (Communicator::fail), so that no rank waits forever on one
/// that gave up.
int fail(const TrainCommandOptions &o, llvm::Error err) {
  if (o.comm && o.comm->distributed())
    o.comm->fail(llvm::toString(std::move(err)));
  llvm::logAllUnhandledErrors(std::move(err), llvm::errs(), "intc: error: ");
  return 1;
}

/// A failure whose diagnostics are printed already.
int failed(const TrainCommandOptions &o, int status, llvm::StringRef what) {
  if (o.comm && o.comm->distributed())
    o.comm->fail(what);
  return status;
}

/// The runner `intc train` / `intc eval` drive: the target's, or under
/// mpirun a DataParallelRunner over the rank's shard of every batch.
llvm::Expected<std::unique_ptr<host::ModelRunner>>
createTrainRunner(const TrainCommandOptions &o, const LoadedModel &loaded,
                  const host::ModelInfo &info, TargetRunner &keepAlive,
                  host::DataParallelRunner **dataParallel = nullptr) {
  const int64_t batch = info.batch;
  host::Communicator *comm = o.comm;
  if (!comm || !comm->distributed()) {
    auto runner = createRunner(loaded, o.target, withBatch(o.codegen, batch));
    if (!runner)
      return runner.takeError();
    keepAlive = std::move(*runner);
    return std::move(keepAlive.runner);
  }
  if (batch < comm->size())
    return llvm::createStringError(
        std::to_string(comm->size()) + " ranks, but a batch holds " +
        std::to_string(batch) +
        " samples: every rank needs at least one sample of each batch "
        "(use fewer ranks or a larger -batch)");
  host::Shard shard = host::Shard::of(batch, comm->rank(), comm->size());
  auto local =
      createRunner(loaded, o.target, withBatch(o.codegen, shard.count));
  if (!local)
    return local.takeError();
  keepAlive = std::move(*local);
  auto runner = host::DataParallelRunner::create(
      std::move(keepAlive.runner), *comm, batch, info.numWeights,
      info.imageBytes(), info.numClasses);
  if (!runner)
    return runner.takeError();
  if (dataParallel)
    *dataParallel = runner->get();
  return std::unique_ptr<host::ModelRunner>(std::move(*runner));
}

/// "2 ranks (MPI (Open MPI v4.1.4)), shards of 64: 32 + 32"
std::string describeRanks(const host::Communicator &comm, int64_t batch) {
  std::string text = std::to_string(comm.size()) + " ranks (" +
                     comm.description() + "), shards of " +
                     std::to_string(batch) + ":";
  for (int r = 0; r < comm.size(); ++r)
    text += (r ? " + " : " ") +
            std::to_string(host::Shard::of(batch, r, comm.size()).count);
  return text;
}

/// "all-reduce: 73.2 MB a step; rank 0 per step: compute 412 ms, waiting
/// 35 ms": what bench/distributed reads. Integer arithmetic only.
void printAllReduceStats(const host::DataParallelStats &s,
                         llvm::raw_ostream &os) {
  if (!s.steps)
    return;
  uint64_t bytes = s.bytesReduced / s.steps;
  os << "all-reduce: " << bytes << " bytes a step (int64 gradient sums); "
     << "rank 0 per step: compute " << s.computeMicros / s.steps
     << " us, waiting " << s.waitMicros / s.steps << " us\n";
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
  if (mlir::failed(loaded))
    return failed(o, 1, "the model failed to load");
  FailureOr<int64_t> chosen = chooseBatch(*loaded, o.batch);
  if (mlir::failed(chosen))
    return failed(o, 2, "bad -batch");
  int64_t batch = *chosen;
  host::ModelInfo info = makeModelInfo(*loaded, batch);
  auto dataset = loadData(o, info);
  if (!dataset)
    return fail(o, dataset.takeError());
  if (o.resume && o.outDir.empty()) {
    llvm::errs() << "intc: error: -resume needs the run directory (-o DIR)\n";
    return failed(o, 2, "-resume needs the run directory (-o DIR)");
  }
  TargetRunner keepAlive;
  host::DataParallelRunner *dataParallel = nullptr;
  auto runner = createTrainRunner(o, *loaded, info, keepAlive, &dataParallel);
  if (!runner)
    return fail(o, runner.takeError());

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
  llvm::raw_ostream *out = &llvm::outs();
  // Every rank runs the same loop on the same data and ends every step with
  // the same weights; rank 0 alone prints and writes the run's files. The
  // others resume from the checkpoint rank 0 reads (the run directory must
  // be visible to every rank).
  host::TrainState resumeState;
  if (o.comm && o.comm->distributed()) {
    if (o.comm->rank() == 0) {
      llvm::outs() << "distributed: " << describeRanks(*o.comm, batch) << "\n";
    } else {
      if (o.resume) {
        llvm::SmallString<256> path(o.outDir);
        llvm::sys::path::append(path, host::kCheckpointFileName);
        resumeState.weights.assign(size_t(info.numWeights), 0);
        auto read =
            host::readTrainCheckpoint(path, info, resumeState.weights.data());
        if (!read)
          return fail(o, read.takeError());
        resumeState.loop = read->loop;
        resumeState.context = read->context;
        options.resumeFrom = &resumeState;
      }
      options.outDir.clear();
      options.metricsPath.clear();
      options.progress = host::ProgressBar::Style::Off;
      options.progressOut = &llvm::nulls();
      out = &llvm::nulls();
    }
  }
  auto summary = host::runTraining(**runner, info, *dataset, options, *out);
  if (!summary)
    return fail(o, summary.takeError());
  if (dataParallel)
    printAllReduceStats(dataParallel->stats(), *out);
  return 0;
}

int runEval(const TrainCommandOptions &o) {
  if (o.weights.empty()) {
    llvm::errs() << "intc: error: eval needs a checkpoint: -weights=FILE\n";
    return failed(o, 2, "eval needs a checkpoint: -weights=FILE");
  }
  FailureOr<LoadedModel> loaded = loadModel(o.input, o.model);
  if (mlir::failed(loaded))
    return failed(o, 1, "the model failed to load");
  FailureOr<int64_t> chosen = chooseBatch(*loaded, o.batch);
  if (mlir::failed(chosen))
    return failed(o, 2, "bad -batch");
  int64_t batch = *chosen;
  host::ModelInfo info = makeModelInfo(*loaded, batch);
  auto dataset = loadData(o, info);
  if (!dataset)
    return fail(o, dataset.takeError());
  TargetRunner keepAlive;
  auto runner = createTrainRunner(o, *loaded, info, keepAlive);
  if (!runner)
    return fail(o, runner.takeError());
  // Under mpirun the test pass is sharded; rank 0 prints it.
  const bool quiet = o.comm && o.comm->rank() != 0;
  auto stats = host::runEvaluation(**runner, info, *dataset, o.weights,
                                   quiet ? llvm::nulls() : llvm::outs());
  if (!stats)
    return fail(o, stats.takeError());
  return 0;
}

} // namespace intc::driver
