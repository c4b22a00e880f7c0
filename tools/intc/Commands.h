//===- Commands.h - The intc subcommands ------------------------*- C++ -*-===//
//
// Each command returns the process exit code. Options are the llvm::cl
// options declared in intc.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_TOOLS_INTC_COMMANDS_H
#define INTC_TOOLS_INTC_COMMANDS_H

#include "lib/Pipeline/Pipelines.h"
#include "lib/Target/Common/CompileCache.h"
#include "runtime/host/Communicator.h"
#include "runtime/host/InputSpec.h"

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace intc::driver {

struct TrainedWeights;

/// What every command that runs a model shares: the compile cache (null:
/// -no-cache) and -v, which reports where the start-up time goes.
struct RunOptions {
  mlir::intc::CompileCache *cache = nullptr;
  bool verbose = false;
};

/// "compile cache hit" (miss, entry rebuilt, off): what \p cache did, for
/// the -v lines.
inline const char *describeCache(const mlir::intc::CompileCache *cache) {
  return !cache                ? "compile cache off"
         : cache->rejected > 0 ? "compile cache entry rebuilt"
         : cache->misses > 0   ? "compile cache miss"
         : cache->hits > 0     ? "compile cache hit"
                               : "nothing compiled";
}

/// Milliseconds since \p start, for the -v lines.
inline int64_t millisSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now() - start)
      .count();
}

struct CompileOptions {
  std::string input, target, outDir, emit, mcpu, model;
  std::string weights; ///< -weights=FILE: compile a trained checkpoint in
  int64_t batch = 0;
  mlir::intc::CodegenOptions codegen; ///< batch is filled in from the model
  const TrainedWeights *trained = nullptr; ///< read from `weights`
};
/// `intc model.mlir [-target=T -o DIR]`: verify, print the derived
/// constants, and with a target write its code.
int runCompile(const CompileOptions &options);

struct TrainCommandOptions : RunOptions {
  host::Communicator *comm = nullptr; ///< the job's ranks (mpirun), or one
  std::string input, model, target, data, dataDir, outDir, metrics, weights;
  host::DataLayout dataLayout = host::DataLayout::Auto;
  uint32_t epochs = 0;
  uint64_t seed = 42, maxSteps = 0;
  int64_t batch = 0;
  bool noEval = false, resume = false, noProgress = false;
  bool prepareAhead = true; // -prepare-ahead
  /// -pipeline-stages=S (0: not given) and -pipeline-cuts: under mpirun,
  /// train the model as S pipeline stages of N / S ranks each.
  int64_t pipelineStages = 0;
  std::vector<int64_t> pipelineCuts;
  mlir::intc::CodegenOptions codegen;
};
/// `intc train model.mlir ...`
int runTrain(const TrainCommandOptions &options);
/// `intc eval model.mlir -weights=FILE ...`
int runEval(const TrainCommandOptions &options);

struct PredictOptions : RunOptions {
  std::string input, model, target, weights, format;
  host::DataLayout layout = host::DataLayout::Auto;
  std::vector<std::string> inputs;
  int64_t batch = 0;
  mlir::intc::CodegenOptions codegen;
};
/// `intc predict model.mlir -weights=FILE INPUT...`
int runPredict(const PredictOptions &options);

struct CheckOptions : RunOptions {
  std::string input, model, target, data, dataDir;
  host::DataLayout dataLayout = host::DataLayout::Auto;
  int64_t batch = 0;
  uint64_t seed = 42, steps = 20;
  mlir::intc::CodegenOptions codegen;
};
/// `intc check model.mlir -target=T`: trains `steps` steps through the
/// target's generated code and through runtime/c and requires bit-identical
/// weights after every step.
int runCheck(const CheckOptions &options);

struct PlotOptions {
  std::string runDir, out; ///< out "": RUN_DIR/curves.png
};
/// `intc plot RUN_DIR [-o FILE]`: the run's curves (metrics.jsonl) as a PNG
/// or SVG, drawn by the Python package's intc.plot.
int runPlot(const PlotOptions &options);

} // namespace intc::driver

#endif // INTC_TOOLS_INTC_COMMANDS_H
