//===- TrainCommand.cpp - intc train / intc eval --------------------------===//

#include "lib/Driver/ModelLoader.h"
#include "lib/Driver/PipelineStages.h"
#include "lib/Driver/Runners.h"
#include "lib/Target/CUDA/CudaRunner.h"
#include "tools/intc/Commands.h"

#include "runtime/host/DataParallelRunner.h"
#include "runtime/host/PipelineRunner.h"
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

/// What rank 0 reports about a distributed run.
struct DistributedRun {
  std::string header; ///< printed before training
  host::PipelineRunner *pipeline = nullptr;
  host::DataParallelRunner *dataParallel = nullptr;
};

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

/// -pipeline-stages=S under mpirun -np N: this rank's stage of S, D = N / S
/// ranks per stage, in a PipelineRunner. Every check comes before any
/// compilation, so a run that cannot go on stops at once.
llvm::Expected<std::unique_ptr<host::ModelRunner>>
createPipelineRunner(const TrainCommandOptions &o, const LoadedModel &loaded,
                     const host::ModelInfo &info, TargetRunner &keepAlive,
                     DistributedRun &run) {
  const int64_t batch = info.batch;
  host::Communicator *comm = o.comm;
  const int64_t stages = o.pipelineStages
                             ? o.pipelineStages
                             : static_cast<int64_t>(o.pipelineCuts.size()) + 1;
  if (stages < 1)
    return llvm::createStringError("-pipeline-stages must be at least 1, got " +
                                   std::to_string(stages));
  if (!comm || !comm->distributed())
    return llvm::createStringError(
        "-pipeline-stages=" + std::to_string(stages) +
        " needs several processes: run it under mpirun -np N, with N a "
        "multiple of " +
        std::to_string(stages) + " (N / " + std::to_string(stages) +
        " ranks per stage)");
  const int ranks = comm->size();
  if (ranks % stages)
    return llvm::createStringError(
        std::to_string(ranks) + " ranks cannot form " + std::to_string(stages) +
        " pipeline stages of equal size: N must be " + "a multiple of " +
        std::to_string(stages) + " (N = stages x ranks per stage)");
  const int dataRanks = ranks / static_cast<int>(stages);
  if (o.target != "cpu")
    return llvm::createStringError("pipeline stages run on -target=cpu only, "
                                   "not '" +
                                   o.target + "'");
  if (batch < dataRanks)
    return llvm::createStringError(
        std::to_string(dataRanks) + " ranks per pipeline stage, but a batch " +
        "holds " + std::to_string(batch) +
        " samples: every rank of a stage needs at least one sample of each "
        "batch (use fewer ranks or a larger -batch)");
  auto plan = planPipeline(loaded, stages, o.pipelineCuts, dataRanks, batch);
  if (!plan)
    return plan.takeError();
  const int stage = comm->rank() / dataRanks;
  auto stageModel = loadStage(loaded, *plan, stage);
  if (!stageModel)
    return stageModel.takeError();
  host::Shard shard =
      host::Shard::of(batch, comm->rank() % dataRanks, dataRanks);
  auto local = createRunner(*stageModel, o.target,
                            withBatch(o.codegen, shard.count), o.cache);
  if (!local)
    return local.takeError();
  keepAlive = std::move(*local);
  run.header = "pipeline: " + std::to_string(stages) + " stages x " +
               std::to_string(dataRanks) + " rank" +
               (dataRanks > 1 ? "s" : "") + " (" + comm->description() +
               "), shards of " + std::to_string(batch) + ":";
  for (int d = 0; d < dataRanks; ++d)
    run.header += (d ? " + " : " ") +
                  std::to_string(host::Shard::of(batch, d, dataRanks).count);
  run.header += "\npipeline: " + describeStages(loaded, *plan);
  auto runner = host::PipelineRunner::create(std::move(keepAlive.runner), *comm,
                                             std::move(*plan));
  if (!runner)
    return runner.takeError();
  run.pipeline = runner->get();
  return std::unique_ptr<host::ModelRunner>(std::move(*runner));
}

/// The runner `intc train` / `intc eval` drive: the target's, or under
/// mpirun a DataParallelRunner over the rank's shard of every batch, or a
/// PipelineRunner with -pipeline-stages.
llvm::Expected<std::unique_ptr<host::ModelRunner>>
createTrainRunner(const TrainCommandOptions &o, const LoadedModel &loaded,
                  const host::ModelInfo &info, TargetRunner &keepAlive,
                  DistributedRun &run) {
  const int64_t batch = info.batch;
  host::Communicator *comm = o.comm;
  if (o.pipelineStages || !o.pipelineCuts.empty())
    return createPipelineRunner(o, loaded, info, keepAlive, run);
  if (!comm || !comm->distributed()) {
    auto runner =
        createRunner(loaded, o.target, withBatch(o.codegen, batch), o.cache);
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
  // One GPU per rank where there are enough, chosen before the runner
  // initialises the device.
  if (o.target == "cuda")
    if (llvm::Error err = mlir::intc::cuda::selectCudaDevice(*comm))
      return std::move(err);
  auto local = createRunner(loaded, o.target, withBatch(o.codegen, shard.count),
                            o.cache);
  if (!local)
    return local.takeError();
  keepAlive = std::move(*local);
  auto runner = host::DataParallelRunner::create(
      std::move(keepAlive.runner), *comm, batch, info.numWeights,
      info.imageBytes(), info.numClasses);
  if (!runner)
    return runner.takeError();
  run.header = "distributed: " + describeRanks(*comm, batch) +
               "\ngradients: " + (*runner)->reduction();
  run.dataParallel = runner->get();
  return std::unique_ptr<host::ModelRunner>(std::move(*runner));
}

/// After training, rank 0 prints where every pipeline rank's time went:
/// its stage's compute, and the waits that are the bubble and the
/// imbalance between stages. Every rank calls it.
void reportPipeline(host::Communicator &comm,
                    const host::PipelineRunner &pipeline) {
  const host::PipelineStats &mine = pipeline.stats();
  const uint64_t values[4] = {mine.steps, mine.computeMicros, mine.recvMicros,
                              mine.sendMicros};
  std::vector<uint64_t> all(size_t(comm.size()) * 4);
  comm.allGather(values, all.data(),
                 std::vector<size_t>(size_t(comm.size()), sizeof values));
  if (comm.rank() != 0)
    return;
  const int dataRanks = comm.size() / pipeline.numStages();
  for (int r = 0; r < comm.size(); ++r) {
    const uint64_t *v = all.data() + size_t(r) * 4;
    llvm::outs() << "pipeline: rank " << r << " (stage " << r / dataRanks
                 << "): " << v[0] << " batches, compute " << v[1] / 1000
                 << " ms, waiting " << v[2] / 1000 << " ms for input and "
                 << v[3] / 1000 << " ms for send buffers\n";
  }
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
/// `dataset`; without \p withTrain, its test split alone where it can.
llvm::Expected<host::Dataset> loadData(const TrainCommandOptions &o,
                                       const host::ModelInfo &info,
                                       bool withTrain = true) {
  std::string spec = o.data.empty() ? info.dataset : o.data;
  if (spec.empty())
    return llvm::createStringError(
        "model @" + info.name +
        " names no dataset; choose one with -data=" + host::datasetNameList() +
        " or -data=PATH (an image folder, a "
        "folder of IDX files or a .npz file)");
  host::DataRequest request = host::dataRequestFor(
      info, spec, host::DataDirSearch::fromEnvironment(o.dataDir),
      o.dataLayout);
  request.withTrain = withTrain;
  return host::loadDataset(request);
}
} // namespace

/// -v: "intc: start-up: ..." on stderr (rank 0 alone under mpirun).
static void reportStartup(const TrainCommandOptions &o, int64_t modelMs,
                          int64_t dataMs, int64_t codeMs) {
  if (!o.verbose || (o.comm && o.comm->rank() != 0))
    return;
  llvm::errs() << "intc: start-up: model " << modelMs << " ms, data " << dataMs
               << " ms, code " << codeMs << " ms (" << describeCache(o.cache)
               << ")\n";
}

int runTrain(const TrainCommandOptions &o) {
  auto start = std::chrono::steady_clock::now();
  FailureOr<LoadedModel> loaded = loadModel(o.input, o.model);
  if (mlir::failed(loaded))
    return failed(o, 1, "the model failed to load");
  FailureOr<int64_t> chosen = chooseBatch(*loaded, o.batch);
  if (mlir::failed(chosen))
    return failed(o, 2, "bad -batch");
  int64_t batch = *chosen;
  host::ModelInfo info = makeModelInfo(*loaded, batch);
  const int64_t modelMs = millisSince(start);
  auto dataset = loadData(o, info);
  if (!dataset)
    return fail(o, dataset.takeError());
  const int64_t dataMs = millisSince(start) - modelMs;
  if (o.resume && o.outDir.empty()) {
    llvm::errs() << "intc: error: -resume needs the run directory (-o DIR)\n";
    return failed(o, 2, "-resume needs the run directory (-o DIR)");
  }
  TargetRunner keepAlive;
  DistributedRun run;
  auto runner = createTrainRunner(o, *loaded, info, keepAlive, run);
  if (!runner)
    return fail(o, runner.takeError());
  reportStartup(o, modelMs, dataMs, millisSince(start) - modelMs - dataMs);
  const int64_t readyMs = millisSince(start);

  host::TrainOptions options;
  options.epochs = o.epochs;
  options.seed = o.seed;
  options.maxSteps = o.maxSteps;
  options.noEval = o.noEval;
  options.outDir = o.outDir;
  options.resume = o.resume;
  options.metricsPath = o.metrics;
  options.targetName = o.target;
  options.prepareAhead = o.prepareAhead;
  if (o.noProgress)
    options.progress = host::ProgressBar::Style::Lines;
  if (o.verbose && (!o.comm || o.comm->rank() == 0))
    options.onFirstStep = [&] {
      llvm::errs() << "intc: start-up: first step after " << millisSince(start)
                   << " ms (the training loop's data preparation: "
                   << millisSince(start) - readyMs << " ms)\n";
    };
  llvm::raw_ostream *out = &llvm::outs();
  // Every rank runs the same loop on the same data and ends every step with
  // the same weights; rank 0 alone prints and writes the run's files. The
  // others resume from the checkpoint rank 0 reads (the run directory must
  // be visible to every rank).
  host::TrainState resumeState;
  if (o.comm && o.comm->distributed()) {
    if (o.comm->rank() == 0) {
      llvm::outs() << run.header << "\n";
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
  if (run.pipeline)
    reportPipeline(*o.comm, *run.pipeline);
  if (run.dataParallel)
    printAllReduceStats(run.dataParallel->stats(), *out);
  return 0;
}

int runEval(const TrainCommandOptions &o) {
  auto start = std::chrono::steady_clock::now();
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
  const int64_t modelMs = millisSince(start);
  // The statistics come from the checkpoint: the test split is all it needs.
  auto dataset = loadData(o, info, /*withTrain=*/false);
  if (!dataset)
    return fail(o, dataset.takeError());
  const int64_t dataMs = millisSince(start) - modelMs;
  TargetRunner keepAlive;
  DistributedRun run;
  auto runner = createTrainRunner(o, *loaded, info, keepAlive, run);
  if (!runner)
    return fail(o, runner.takeError());
  reportStartup(o, modelMs, dataMs, millisSince(start) - modelMs - dataMs);
  // Under mpirun the test pass is sharded; rank 0 prints it.
  const bool quiet = o.comm && o.comm->rank() != 0;
  auto stats = host::runEvaluation(**runner, info, *dataset, o.weights,
                                   quiet ? llvm::nulls() : llvm::outs());
  if (!stats)
    return fail(o, stats.takeError());
  return 0;
}

} // namespace intc::driver
