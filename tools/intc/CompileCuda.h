//===- CompileCuda.h - intc model.mlir -target=cuda -o DIR ------*- C++ -*-===//

#ifndef INTC_TOOLS_INTC_COMPILECUDA_H
#define INTC_TOOLS_INTC_COMPILECUDA_H

#include "tools/intc/Commands.h"
#include "lib/Driver/ModelLoader.h"

namespace intc::driver {

/// Writes the cuda target's files for `loaded` at `batch` into
/// options.outDir. Returns the exit code.
int compileCuda(const LoadedModel &loaded, const CompileOptions &options,
                int64_t batch);

} // namespace intc::driver

#endif // INTC_TOOLS_INTC_COMPILECUDA_H
