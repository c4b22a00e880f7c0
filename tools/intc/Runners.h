//===- Runners.h - Build a ModelRunner for a target -------------*- C++ -*-===//

#ifndef INTC_TOOLS_INTC_RUNNERS_H
#define INTC_TOOLS_INTC_RUNNERS_H

#include "lib/Pipeline/Pipelines.h"
#include "lib/Target/Common/ReferenceModel.h"
#include "runtime/host/ModelRunner.h"
#include "tools/intc/ModelLoader.h"

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

#endif // INTC_TOOLS_INTC_RUNNERS_H
