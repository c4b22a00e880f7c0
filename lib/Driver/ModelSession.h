//===- ModelSession.h - A compiled model and its weights, in memory -*- C++ -*-===//
//
// What a front end that keeps a model between calls needs (the Python
// package's Model, `intc predict`): the parsed model, a runner for a target
// (compiled on first use: the JIT takes about a second), and the training
// state once the model has been trained or loaded. Every operation goes
// through the same code as `intc train` / `intc eval` (runtime/host), so the
// weights are the CLI's bit for bit; errors come back as llvm::Error with
// the CLI's messages.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_DRIVER_MODELSESSION_H
#define INTC_LIB_DRIVER_MODELSESSION_H

#include "lib/Driver/ModelLoader.h"
#include "lib/Driver/Runners.h"

#include "runtime/host/Evaluation.h"
#include "runtime/host/Trainer.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace intc::driver {

class ModelSession {
public:
  /// Takes the loaded model; `target` is "cpu" or "ref" (or "cuda" where a
  /// GPU is), `batch` the compiled batch size (0: the model's). The runner
  /// is compiled through `cache` (null: none), which must outlive the
  /// session.
  static llvm::Expected<std::unique_ptr<ModelSession>>
  create(LoadedModel loaded, llvm::StringRef target,
         const mlir::intc::CodegenOptions &codegen, int64_t batch,
         mlir::intc::CompileCache *cache = nullptr);

  const host::ModelInfo &info() const { return modelInfo; }
  const LoadedModel &model() const { return loaded; }
  llvm::StringRef target() const { return targetName; }

  /// Compiles the model for the target, once.
  llvm::Error prepareRunner();

  /// Trains on \p data as `intc train` does with \p options (whose
  /// finalState is set here); the session keeps the final state. With
  /// options.resume, continues from the session's state.
  llvm::Expected<host::RunSummary> train(const host::Dataset &data,
                                         host::TrainOptions options,
                                         llvm::raw_ostream &out);

  /// Scores \p set (images with labels), normalised with the training
  /// statistics.
  llvm::Expected<host::TestCounts> evaluate(const host::ImageSet &set,
                                            llvm::StringRef what);

  /// The scores (n × classes int8) of \p set's images.
  llvm::Expected<std::vector<int8_t>> predict(const host::ImageSet &set,
                                              llvm::StringRef what);

  /// Writes / reads an `intc train` checkpoint (the same file format).
  llvm::Error save(llvm::StringRef path);
  llvm::Error load(llvm::StringRef path);

  /// The trained (or loaded) state, if any.
  const host::TrainState *state() const {
    return trained ? &*trained : nullptr;
  }

private:
  ModelSession(LoadedModel loaded) : loaded(std::move(loaded)) {}
  /// The error for operations that need weights the session does not have.
  llvm::Error needState(llvm::StringRef operation) const;

  LoadedModel loaded;
  host::ModelInfo modelInfo;
  std::string targetName;
  mlir::intc::CodegenOptions codegen;
  mlir::intc::CompileCache *cache = nullptr;
  std::optional<TargetRunner> runner;
  std::optional<host::TrainState> trained;
};

} // namespace intc::driver

#endif // INTC_LIB_DRIVER_MODELSESSION_H
