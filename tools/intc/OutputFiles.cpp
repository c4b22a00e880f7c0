//===- OutputFiles.cpp - Writing the driver's output files ----------------===//

#include "tools/intc/OutputFiles.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace llvm;

namespace intc::driver {

static Error write(StringRef path, bool binary,
                   function_ref<mlir::LogicalResult(raw_ostream &)> fn) {
  std::error_code ec;
  ToolOutputFile out(path, ec, binary ? sys::fs::OF_None : sys::fs::OF_Text);
  if (ec)
    return createFileError(path, ec);
  if (mlir::failed(fn(out.os())))
    return createStringError("cannot write " + path);
  out.keep();
  return Error::success();
}

Error writeOutputFile(StringRef path, function_ref<void(raw_ostream &)> fn,
                      bool binary) {
  return write(path, binary, [&](raw_ostream &os) {
    fn(os);
    return mlir::success();
  });
}

Error writeOutputFileChecked(
    StringRef path, function_ref<mlir::LogicalResult(raw_ostream &)> fn) {
  return write(path, /*binary=*/false, fn);
}

int reportError(Error err) {
  logAllUnhandledErrors(std::move(err), errs(), "intc: error: ");
  return 1;
}

} // namespace intc::driver
