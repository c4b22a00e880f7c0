//===- intc.cpp - The intc driver -----------------------------------------===//
//
//   intc model.mlir                          verify; print derived constants
//   intc model.mlir -target=cpu -o DIR       compile (object + header)
//   intc train model.mlir -data=mnist ...    train and evaluate
//   intc eval model.mlir -weights=FILE ...   evaluate a checkpoint
//   intc predict model.mlir -weights=FILE IN classify images or .npy arrays
//   intc check model.mlir -target=cpu        generated code vs runtime/c
//   intc plot RUN_DIR [-o FILE]              a run's curves (PNG or SVG)
//
//===----------------------------------------------------------------------===//

#include "tools/intc/Commands.h"

#include "lib/Pipeline/Pipelines.h"
#include "lib/Target/Common/DecompressedDataCache.h"
#include "lib/Target/Common/SplitDataCache.h"
#include "passes/Passes.h"

#include "mlir/InitAllPasses.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"

#include <csignal>

using namespace llvm;
using namespace ::intc::driver;

static cl::SubCommand trainCmd("train",
                               "Train a model on a dataset and evaluate it");
static cl::SubCommand evalCmd("eval", "Evaluate a checkpoint on a test set");
static cl::SubCommand
    predictCmd("predict", "Classify images (PNG, JPEG) or .npy arrays with a "
                          "trained checkpoint");
static cl::SubCommand
    checkCmd("check",
             "Check a target's generated code against runtime/c, bit for bit");
static cl::SubCommand plotCmd("plot", "Plot a training run's curves (RUN_DIR/"
                                      "metrics.jsonl) as a PNG or SVG");

static cl::OptionCategory cat("intc options");

// Shared by every command.
static cl::opt<std::string> input(cl::Positional, cl::desc("<model.mlir>"),
                                  cl::Required,
                                  cl::sub(cl::SubCommand::getAll()),
                                  cl::cat(cat));
static cl::opt<std::string>
    modelName("model", cl::desc("Model to use when the file holds several"),
              cl::sub(cl::SubCommand::getAll()), cl::cat(cat));
static cl::opt<int64_t>
    batch("batch",
          cl::desc("Batch size to compile for (0 or unset: the model's)"),
          cl::init(0), cl::sub(cl::SubCommand::getAll()), cl::cat(cat));

// Compile (the top-level command).
static cl::opt<std::string>
    target("target",
           cl::desc("Target: cpu, c or cuda (train/check also take ref, the "
                    "runtime/c reference)"),
           cl::init(""), cl::sub(cl::SubCommand::getAll()), cl::cat(cat));
static cl::opt<std::string> outDir("o", cl::desc("Output directory"),
                                   cl::value_desc("dir"),
                                   cl::sub(cl::SubCommand::getTopLevel()),
                                   cl::sub(trainCmd), cl::sub(plotCmd),
                                   cl::cat(cat));
static cl::opt<std::string>
    emit("emit",
         cl::desc("What -target=cpu writes: obj (default), llvm, mlir "
                  "(-target=c: mlir adds the EmitC module)"),
         cl::init("obj"), cl::sub(cl::SubCommand::getTopLevel()), cl::cat(cat));
static cl::opt<std::string>
    mcpu("mcpu", cl::desc("CPU to compile objects for (default: x86-64-v2)"),
         cl::init("x86-64-v2"), cl::sub(cl::SubCommand::getTopLevel()),
         cl::cat(cat));

// Training, evaluation and checking.
static cl::opt<std::string>
    data("data",
         cl::desc("Dataset: mnist, fashion-mnist or cifar10 (default: the "
                  "model's dataset), or a path: an image folder "
                  "(train/<class>/*.png|jpg, test/<class>/...), a folder of "
                  "IDX files or a .npz (x_train, y_train, x_test, y_test)"),
         cl::sub(trainCmd), cl::sub(evalCmd), cl::sub(checkCmd), cl::cat(cat));
static cl::opt<std::string> dataLayout(
    "data-layout",
    cl::desc("How -data=PATH arrays (.npz, IDX) store images: auto (default; "
             "NCHW when both fit), nchw or nhwc"),
    cl::init("auto"), cl::sub(trainCmd), cl::sub(evalCmd), cl::sub(checkCmd),
    cl::sub(predictCmd), cl::cat(cat));
static cl::opt<std::string> dataDir("data-dir",
                                    cl::desc("Where the dataset files are"),
                                    cl::sub(trainCmd), cl::sub(evalCmd),
                                    cl::sub(checkCmd), cl::cat(cat));
static cl::opt<uint32_t>
    epochs("epochs", cl::desc("Epochs to train (default: the model's max)"),
           cl::init(0), cl::sub(trainCmd), cl::cat(cat));
static cl::opt<uint64_t> seed("seed", cl::desc("Random seed"), cl::init(42),
                              cl::sub(trainCmd), cl::sub(checkCmd),
                              cl::cat(cat));
static cl::opt<uint64_t> maxSteps("max-steps",
                                  cl::desc("Stop after N training batches"),
                                  cl::init(0), cl::sub(trainCmd), cl::cat(cat));
static cl::opt<bool> noEval("no-eval", cl::desc("Skip the test passes"),
                            cl::sub(trainCmd), cl::cat(cat));
static cl::opt<bool>
    resume("resume", cl::desc("Continue from DIR/model.safetensors (-o DIR)"),
           cl::sub(trainCmd), cl::cat(cat));
static cl::opt<int64_t> pipelineStages(
    "pipeline-stages",
    cl::desc("Under mpirun -np N: train the model as S pipeline stages "
             "(contiguous runs of its blocks), N / S ranks each"),
    cl::init(0), cl::sub(trainCmd), cl::sub(evalCmd), cl::cat(cat));
static cl::list<int64_t> pipelineCuts(
    "pipeline-cuts",
    cl::desc("With -pipeline-stages: the first block of each stage after "
             "the first (default: balance the blocks' training work)"),
    cl::CommaSeparated, cl::sub(trainCmd), cl::sub(evalCmd), cl::cat(cat));
static cl::opt<std::string>
    metrics("metrics", cl::desc("Write metrics as JSON lines ('-': stdout)"),
            cl::sub(trainCmd), cl::sub(evalCmd), cl::cat(cat));
static cl::opt<bool> noProgress("no-progress",
                                cl::desc("No progress bar, plain lines only"),
                                cl::sub(trainCmd), cl::cat(cat));
static cl::opt<bool> prepareAhead(
    "prepare-ahead",
    cl::desc("Prepare the next training batch (gather, augmentation) on a "
             "helper thread while a step runs (default on; the batches are "
             "the same either way)"),
    cl::init(true), cl::sub(trainCmd), cl::cat(cat));
#ifdef NDEBUG
static constexpr bool kCheckOverflowDefault = false;
#else
// Debug builds check by default: a wrapped weight is a silent wrong answer.
static constexpr bool kCheckOverflowDefault = true;
#endif
static cl::opt<bool> checkOverflow(
    "check-overflow",
    cl::desc("cpu: stop with the layer and step when an SGD update takes a "
             "weight out of int32 instead of training on the wrapped value "
             "(default on in Debug builds)"),
    cl::init(kCheckOverflowDefault), cl::sub(trainCmd), cl::cat(cat));
static cl::opt<std::string> weights(
    "weights",
    cl::desc("Checkpoint (.safetensors) of intc train: the model to evaluate, "
             "or, when compiling for c/cpu, the trained weights and input "
             "normalisation to compile in"),
    cl::sub(evalCmd), cl::sub(predictCmd),
    cl::sub(cl::SubCommand::getTopLevel()), cl::cat(cat));
static cl::list<std::string> predictInputs(cl::Positional,
                                           cl::desc("<input>..."),
                                           cl::sub(predictCmd), cl::cat(cat));
static cl::opt<std::string> format("format",
                                   cl::desc("predict: text (default) or json"),
                                   cl::init("text"), cl::sub(predictCmd),
                                   cl::cat(cat));
static cl::opt<unsigned> weightBits(
    "weight-bits",
    cl::desc("Weight storage for -target=c/cpu objects: 32 (default, the "
             "reference) or 16 (half the memory; saturating updates)"),
    cl::init(32), cl::sub(cl::SubCommand::getTopLevel()), cl::cat(cat));
static cl::opt<bool> microkernels(
    "microkernels",
    cl::desc("cpu: call the runtime/cpu kernels for matmul-like loops "
             "(default on; off: self-contained plain loops)"),
    cl::init(true), cl::sub(cl::SubCommand::getAll()), cl::cat(cat));
static cl::opt<bool> parallelLoops(
    "parallel-loops",
    cl::desc("cpu: run the large element-wise loops on the runtime/cpu "
             "thread pool too (default on; needs -microkernels)"),
    cl::init(true), cl::sub(cl::SubCommand::getAll()), cl::cat(cat));
static cl::opt<int64_t> fuseScratchBytes(
    "fuse-scratch-bytes",
    cl::desc("Largest int64 accumulator tile intc-fuse leaves (bytes)"),
    cl::init(4 << 20), cl::sub(cl::SubCommand::getAll()), cl::cat(cat),
    cl::Hidden);
static cl::opt<bool> fuseWeightUpdates(
    "fuse-weight-updates",
    cl::desc("Fuse weight gradients into their updates (no gradient buffer)"),
    cl::init(false), cl::sub(cl::SubCommand::getAll()), cl::cat(cat),
    cl::Hidden);
static cl::opt<int64_t> tileCacheBytes(
    "tile-cache-bytes",
    cl::desc("Working-set budget of one reduction tile (intc-tile; 0: off)"),
    cl::init(1 << 20), cl::sub(cl::SubCommand::getAll()), cl::cat(cat),
    cl::Hidden);
static cl::opt<std::string> cudaArch(
    "cuda-arch", cl::desc("cuda: GPU to compile for (sm_80, sm_90, ...)"),
    cl::init("sm_90"), cl::sub(cl::SubCommand::getAll()), cl::cat(cat));
static cl::opt<std::string> cudaFeatures(
    "cuda-features",
    cl::desc("cuda: PTX ISA of the generated code (sm_90 needs +ptx80)"),
    cl::init("+ptx80"), cl::sub(cl::SubCommand::getAll()), cl::cat(cat));
static cl::opt<std::string> cudaFormat(
    "cuda-format",
    cl::desc("cuda: device image: isa (PTX, default), bin (cubin: ptxas) or "
             "fatbin"),
    cl::init("isa"), cl::sub(cl::SubCommand::getAll()), cl::cat(cat));
static cl::opt<bool> gpuKernels(
    "gpu-kernels",
    cl::desc("cuda: exact int8 tensor-core kernels for matmul-like loops "
             "(default on; off: generated loops only)"),
    cl::init(true), cl::sub(cl::SubCommand::getAll()), cl::cat(cat));
static cl::opt<uint64_t> steps("steps", cl::desc("Training steps to compare"),
                               cl::init(20), cl::sub(checkCmd), cl::cat(cat));
static cl::opt<bool> noCache(
    "no-cache",
    cl::desc("Compile the model afresh, without the compile cache "
             "($INTC_CACHE_DIR, else $XDG_CACHE_HOME/intc or ~/.cache/intc)"),
    cl::sub(trainCmd), cl::sub(evalCmd), cl::sub(checkCmd), cl::sub(predictCmd),
    cl::cat(cat));
static cl::opt<bool> verbose(
    "v",
    cl::desc("Say where the start-up time goes (loading the model and the "
             "data, the compile cache's hit or miss) on stderr"),
    cl::sub(trainCmd), cl::sub(evalCmd), cl::sub(checkCmd), cl::sub(predictCmd),
    cl::cat(cat));

static mlir::intc::CodegenOptions codegenOptions() {
  mlir::intc::CodegenOptions o;
  o.microkernels = microkernels;
  o.parallelLoops = parallelLoops;
  o.weightBits = weightBits;
  o.lowering.fuseScratchBytes = fuseScratchBytes;
  o.lowering.fuseWeightUpdates = fuseWeightUpdates;
  o.lowering.tileCacheBytes = tileCacheBytes;
  o.cuda.chip = cudaArch;
  o.cuda.features = cudaFeatures;
  o.cuda.format = cudaFormat;
  o.cuda.gpuKernels = gpuKernels;
  return o;
}

int main(int argc, char **argv) {
  // Under mpirun this joins the job (MPI_Init may rewrite argv, so it comes
  // first); otherwise it is the one-process communicator.
  std::unique_ptr<::intc::host::Communicator> comm =
      ::intc::host::createCommunicator(&argc, &argv);
  InitLLVM init(argc, argv);
#ifdef SIGXFSZ
  // A write past the file-size limit (ulimit -f) then fails with EFBIG, and
  // the checkpoint writer reports it like a full disk, instead of LLVM's
  // crash handler printing a stack trace (test/tools/intc/disk-full.test).
  std::signal(SIGXFSZ, SIG_IGN);
#endif
  // Pipelines are built from registered passes.
  mlir::registerAllPasses();
  mlir::intc::registerIntcPasses();
  mlir::intc::registerPipelines();
  cl::HideUnrelatedOptions(cat);
  cl::ParseCommandLineOptions(
      argc, argv,
      "intc: integer-only, backpropagation-free training compiler\n\n"
      "  intc model.mlir [-target=cpu|c|cuda -o DIR]\n"
      "  intc train model.mlir [-data=NAME|PATH] [-epochs=N] [-seed=S] "
      "[-o DIR]\n"
      "  intc eval model.mlir -weights=FILE [-data=NAME|PATH]\n"
      "  intc predict model.mlir -weights=FILE INPUT... [-format=json]\n"
      "  intc check model.mlir [-target=cpu|cuda] [-steps=N]\n"
      "  intc plot RUN_DIR [-o curves.png|curves.svg]\n");
  if (plotCmd)
    return runPlot({input, outDir});

  // cl::opt falls back to top-level options inside a subcommand, so an option
  // that only means something when compiling would be silently ignored by
  // train/eval/check: refuse it instead.
  if (trainCmd || evalCmd || checkCmd || predictCmd) {
    const char *command = trainCmd   ? "train"
                          : evalCmd  ? "eval"
                          : checkCmd ? "check"
                                     : "predict";
    for (const cl::Option *opt :
         std::initializer_list<const cl::Option *>{&emit, &mcpu, &weightBits})
      if (opt->getNumOccurrences()) {
        errs() << "intc " << command << ": -" << opt->ArgStr
               << " only applies when compiling (intc model.mlir -target=...)"
               << (opt == &weightBits
                       ? "; training keeps the reference's 32-bit weights"
                       : "")
               << "\n";
        return 1;
      }
  }
  if ((trainCmd || checkCmd) && weights.getNumOccurrences()) {
    errs() << "intc " << (trainCmd ? "train" : "check")
           << ": -weights only applies to eval and when compiling (train "
              "-resume continues a run from its directory)\n";
    return 1;
  }
  if (!trainCmd && !evalCmd && !checkCmd && !predictCmd &&
      weights.getNumOccurrences() && target.empty()) {
    errs() << "intc: -weights needs -target=c or -target=cpu (it compiles a "
              "trained model)\n";
    return 1;
  }
  if ((evalCmd || checkCmd || predictCmd) && outDir.getNumOccurrences()) {
    errs() << "intc "
           << (evalCmd    ? "eval"
               : checkCmd ? "check"
                          : "predict")
           << ": -o only applies when compiling or training (it names the "
              "output directory)\n";
    return 1;
  }
  if (weightBits != 16 && weightBits != 32) {
    errs() << "intc: -weight-bits must be 16 or 32, got " << weightBits << "\n";
    return 1;
  }
  if (weightBits != 32 && target == "cuda") {
    errs() << "intc: -weight-bits=" << weightBits
           << " is for the cpu and c targets; cuda keeps 32-bit weights\n";
    return 1;
  }

  std::optional<::intc::host::DataLayout> layout =
      ::intc::host::parseDataLayout(dataLayout);
  if (!layout) {
    errs() << "intc: -data-layout must be auto, nchw or nhwc, got '"
           << dataLayout << "'\n";
    return 1;
  }

  if (comm->distributed() && !trainCmd && !evalCmd) {
    if (comm->rank() == 0)
      errs() << "intc: only train and eval run on several processes (mpirun "
                "-np "
             << comm->size() << "); run this command without mpirun\n";
    return 1;
  }
  // The compile cache of train, eval, check and predict (null: -no-cache,
  // or no directory to keep it in).
  mlir::intc::CompileCacheOptions cacheOptions;
  cacheOptions.enabled = !noCache;
  cacheOptions.log = verbose ? &errs() : nullptr;
  std::unique_ptr<mlir::intc::CompileCache> cache =
      mlir::intc::CompileCache::create(cacheOptions);
  // Compressed datasets (CIFAR-10's .xz batches) are kept decompressed
  // there too, and the registered datasets' decoded splits, mapped on a hit.
  std::optional<mlir::intc::DecompressedDataCache> dataCache;
  std::optional<mlir::intc::SplitDataCache> splitCache;
  if (cache) {
    dataCache.emplace(*cache);
    ::intc::host::setDecompressedCache(&*dataCache);
    splitCache.emplace(*cache);
    ::intc::host::setSplitCache(&*splitCache);
  }
  if (trainCmd || evalCmd) {
    TrainCommandOptions o;
    o.cache = cache.get();
    o.verbose = verbose;
    o.comm = comm.get();
    o.input = input;
    o.model = modelName;
    o.target = target.empty() ? std::string("cpu") : std::string(target);
    o.data = data;
    o.dataDir = dataDir;
    o.dataLayout = *layout;
    o.outDir = outDir;
    o.metrics = metrics;
    o.weights = weights;
    o.epochs = epochs;
    o.seed = seed;
    o.maxSteps = maxSteps;
    o.batch = batch;
    o.noEval = noEval;
    o.resume = resume;
    o.noProgress = noProgress;
    o.prepareAhead = prepareAhead;
    o.pipelineStages = pipelineStages;
    o.pipelineCuts.assign(pipelineCuts.begin(), pipelineCuts.end());
    o.codegen = codegenOptions();
    if (trainCmd) {
      if (checkOverflow.getNumOccurrences() && checkOverflow &&
          o.target != "cpu") {
        errs() << "intc train: -check-overflow needs -target=cpu (the "
                  "guard is compiled into the cpu JIT's updates)\n";
        return 1;
      }
      o.codegen.checkOverflow = checkOverflow && o.target == "cpu";
    }
    return trainCmd ? runTrain(o) : runEval(o);
  }
  if (predictCmd) {
    PredictOptions o;
    o.cache = cache.get();
    o.verbose = verbose;
    o.input = input;
    o.model = modelName;
    o.target = target.empty() ? std::string("cpu") : std::string(target);
    o.weights = weights;
    o.format = ::format;
    o.layout = *layout;
    o.inputs = predictInputs;
    o.batch = batch;
    o.codegen = codegenOptions();
    return runPredict(o);
  }
  if (checkCmd) {
    CheckOptions o;
    o.cache = cache.get();
    o.verbose = verbose;
    o.input = input;
    o.model = modelName;
    o.target = target.empty() ? std::string("cpu") : std::string(target);
    o.data = data;
    o.dataDir = dataDir;
    o.dataLayout = *layout;
    o.batch = batch;
    o.seed = seed;
    o.steps = steps;
    o.codegen = codegenOptions();
    return runCheck(o);
  }
  CompileOptions o;
  o.input = input;
  o.model = modelName;
  o.target = target;
  o.outDir = outDir;
  o.emit = emit;
  o.mcpu = mcpu;
  o.weights = weights;
  o.batch = batch;
  o.codegen = codegenOptions();
  return runCompile(o);
}
