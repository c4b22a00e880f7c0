//===- Runners.h - Build a ModelRunner for a target -------------*- C++ -*-===//

#ifndef INTC_LIB_DRIVER_RUNNERS_H
#define INTC_LIB_DRIVER_RUNNERS_H

#include "lib/Pipeline/Pipelines.h"
#include "lib/Target/Common/ReferenceModel.h"
#include "runtime/host/ModelRunner.h"
#include "lib/Driver/ModelLoader.h"

#include "llvm/Support/Error.h"

namespace intc::driver {

/// A runner and whatever it needs to stay alive.
struct TargetRunner {
  std::unique_ptr<mlir::intc::ReferenceModel> reference; ///< -target=ref
  std::unique_ptr<host::ModelRunner> runner;
};

/// Compiles the loaded model for `target` ("cpu" JIT, or "ref" for the
/// runtime/c reference trainer) with batch `batch`.
llvm::Expected<TargetRunner>
createRunner(const LoadedModel &loaded, llvm::StringRef target,
             const mlir::intc::CodegenOptions &codegen);

} // namespace intc::driver

#endif // INTC_LIB_DRIVER_RUNNERS_H
