//===- OutputFiles.h - Writing the driver's output files --------*- C++ -*-===//
//
// Every `intc model.mlir -target=...` back end writes its files the same way:
// through llvm::ToolOutputFile (removed again if the command fails before
// keep()), with errors naming the file.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_TOOLS_INTC_OUTPUTFILES_H
#define INTC_TOOLS_INTC_OUTPUTFILES_H

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

/// Prints `err` as `intc: error: ...` and returns the exit status 1.
int reportError(llvm::Error err);

} // namespace intc::driver

#endif // INTC_TOOLS_INTC_OUTPUTFILES_H
