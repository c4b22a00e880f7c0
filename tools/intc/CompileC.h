//===- CompileC.h - intc model.mlir -target=c -o DIR ------------*- C++ -*-===//

#ifndef INTC_TOOLS_INTC_COMPILEC_H
#define INTC_TOOLS_INTC_COMPILEC_H

#include "tools/intc/Commands.h"
#include "lib/Driver/ModelLoader.h"

namespace intc::driver {

/// Writes the C target's files for `loaded` at `batch` into options.outDir
/// and prints the peak RAM and code size. Returns the exit code.
int compileC(const LoadedModel &loaded, const CompileOptions &options,
             int64_t batch);

} // namespace intc::driver

#endif // INTC_TOOLS_INTC_COMPILEC_H
