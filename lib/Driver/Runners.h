//===- Runners.h - Build a ModelRunner for a target -------------*- C++ -*-===//
//
// The one place every front end turns a loaded model into a runner: the
// reference trainer, or a target's code, compiled or taken from the compile
// cache (lib/Target/Common/CompileCache.h) under a key of the model's text,
// the target, every code generation option, this host and the code
// generator's build.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_DRIVER_RUNNERS_H
#define INTC_LIB_DRIVER_RUNNERS_H

#include "lib/Driver/ModelLoader.h"
#include "lib/Pipeline/Pipelines.h"
#include "lib/Target/Common/CompileCache.h"
#include "lib/Target/Common/ReferenceModel.h"
#include "runtime/host/ModelRunner.h"

#include "llvm/Support/Error.h"

namespace intc::driver {

/// A runner and whatever it needs to stay alive.
struct TargetRunner {
  std::unique_ptr<mlir::intc::ReferenceModel> reference; ///< -target=ref
  std::unique_ptr<host::ModelRunner> runner;
};

/// Compiles the loaded model for `target` ("cpu" JIT, "cuda", "cuda-host",
/// or "ref" for the runtime/c reference trainer) with `codegen` (its batch
/// set), through `cache` when not null.
llvm::Expected<TargetRunner>
createRunner(const LoadedModel &loaded, llvm::StringRef target,
             const mlir::intc::CodegenOptions &codegen,
             mlir::intc::CompileCache *cache = nullptr);

/// The compile cache key of the loaded model's code for `target` with
/// `codegen` (exactly the options the target compiles with).
mlir::intc::CacheKey compiledCodeKey(const LoadedModel &loaded,
                                     llvm::StringRef target,
                                     const mlir::intc::CodegenOptions &codegen);

} // namespace intc::driver

#endif // INTC_LIB_DRIVER_RUNNERS_H
