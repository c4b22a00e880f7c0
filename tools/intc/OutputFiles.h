//===- OutputFiles.h - Writing the driver's output files --------*- C++ -*-===//
//
// Every `intc model.mlir -target=...` back end writes its files the same way:
// through llvm::ToolOutputFile (removed again if the command fails before
// keep()), with errors naming the file.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_TOOLS_INTC_OUTPUTFILES_H
#define INTC_TOOLS_INTC_OUTPUTFILES_H

#include "dialect/IntcOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace intc::driver {

/// Writes `path` with `fn` (text mode unless `binary`).
llvm::Error writeOutputFile(llvm::StringRef path,
                            llvm::function_ref<void(llvm::raw_ostream &)> fn,
                            bool binary = false);

/// Same, for writers that can fail (e.g. mlir-translate's C++ emitter).
llvm::Error writeOutputFileChecked(
    llvm::StringRef path,
    llvm::function_ref<mlir::LogicalResult(llvm::raw_ostream &)> fn);

/// Writes `path`: the runtime/c descriptor (`<name>_reference`) of `model`,
/// which checks generated code against runtime/c or runs the reference.
/// Returns the exit status (diagnostics already reported).
int writeReferenceDescriptor(mlir::intc::ModelOp model, llvm::StringRef name,
                             llvm::StringRef path);

/// Prints `err` as `intc: error: ...` and returns the exit status 1.
int reportError(llvm::Error err);

} // namespace intc::driver

#endif // INTC_TOOLS_INTC_OUTPUTFILES_H
