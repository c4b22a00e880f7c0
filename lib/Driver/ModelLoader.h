//===- ModelLoader.h - Read and verify a model file -------------*- C++ -*-===//

#ifndef INTC_LIB_DRIVER_MODELLOADER_H
#define INTC_LIB_DRIVER_MODELLOADER_H

#include "dialect/IntcModelLayout.h"
#include "lib/Pipeline/Pipelines.h"
#include "runtime/host/ModelInfo.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "mlir/Support/LogicalResult.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>

namespace intc::driver {

/// A parsed, verified model file whose models went through
/// intc-verify-model. Diagnostics are printed with file:line:col.
struct LoadedModel {
  std::string path;
  mutable mlir::OwningOpRef<mlir::ModuleOp> module;
  mutable mlir::intc::ModelOp model; ///< the selected model (op handles are
                                     /// used through non-const methods)
  mlir::intc::ModelLayout layout;
};

/// The context every command uses (all dialects the pipelines need).
mlir::MLIRContext &context();

/// Every model read goes here, so that diagnostics can quote source lines.
llvm::SourceMgr &sourceMgr();

/// Parses `path`, verifies it, runs intc-verify-model and selects the model
/// named `name` (or the only one). Fails after printing diagnostics (with
/// file:line:col and the source line) on `diag`.
mlir::FailureOr<LoadedModel> loadModel(llvm::StringRef path,
                                       llvm::StringRef name = "",
                                       llvm::raw_ostream &diag = llvm::errs());

/// The same for model text held in memory; `bufferName` stands for the file
/// name in messages.
mlir::FailureOr<LoadedModel>
loadModelSource(llvm::StringRef source, llvm::StringRef bufferName,
                llvm::StringRef name = "",
                llvm::raw_ostream &diag = llvm::errs());

/// What the two loaders above do once the text is in the main buffer of
/// `mgr`: parse it in `ctx`, verify it, run intc-verify-model and select the
/// model `name` (or the only one); `path` names it in messages. Diagnostics
/// go to the handlers of `ctx`, and nothing is kept after the call: the model
/// fuzz target (test/fuzz) loads millions of texts through it.
mlir::FailureOr<LoadedModel> parseModel(llvm::SourceMgr &mgr,
                                        mlir::MLIRContext &ctx,
                                        llvm::StringRef path,
                                        llvm::StringRef name = "");

/// The host-side description of a model compiled for `batch`.
host::ModelInfo makeModelInfo(const LoadedModel &loaded, int64_t batch);

/// A fresh copy of the module holding only the selected model, for a
/// pipeline to consume.
mlir::OwningOpRef<mlir::ModuleOp> cloneModelModule(const LoadedModel &loaded);

/// The batch to compile for: `requested` if positive, else the model's.
/// Fails, with an error printed on `diag`, for a negative or too large
/// `requested`.
mlir::FailureOr<int64_t> chooseBatch(const LoadedModel &loaded,
                                     int64_t requested,
                                     llvm::raw_ostream &diag = llvm::errs());

/// `codegen` with its batch set.
inline mlir::intc::CodegenOptions withBatch(mlir::intc::CodegenOptions codegen,
                                            int64_t batch) {
  codegen.batch = batch;
  return codegen;
}

} // namespace intc::driver

#endif // INTC_LIB_DRIVER_MODELLOADER_H
