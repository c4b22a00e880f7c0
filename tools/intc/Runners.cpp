//===- Runners.cpp - Build a ModelRunner for a target ---------------------===//

#include "tools/intc/Runners.h"

#include "lib/Target/CPU/CpuJitRunner.h"
#include "lib/Target/CPU/CpuTarget.h"
#include "runtime/host/ReferenceRunner.h"

using namespace mlir;
using namespace mlir::intc;

namespace intc::driver {

llvm::Expected<TargetRunner> createRunner(const LoadedModel &loaded,
                                          llvm::StringRef target,
                                          const CodegenOptions &codegen) {
  int64_t batch = codegen.batch;
  TargetRunner result;
  if (target == "ref") {
    FailureOr<std::unique_ptr<ReferenceModel>> ref =
        buildReferenceModel(loaded.model);
    if (failed(ref))
      return llvm::createStringError("the reference runtime rejects the model");
    result.reference = std::move(*ref);
    auto runner =
        host::ReferenceRunner::create(result.reference->model, batch);
    if (!runner)
      return runner.takeError();
    result.runner = std::move(*runner);
    return result;
  }
  if (target == "cpu") {
    OwningOpRef<ModuleOp> module = cloneModelModule(loaded);
    if (failed(cpu::lowerToLLVMDialect(*module, codegen)))
      return llvm::createStringError("lowering for the cpu target failed");
    auto runner = cpu::CpuJitRunner::create(
        *module, loaded.model.getSymName(), batch);
    if (!runner)
      return runner.takeError();
    result.runner = std::move(*runner);
    return result;
  }
  if (target == "c" || target == "cuda")
    return llvm::createStringError("target '" + target.str() +
                                   "' is not built yet (cpu and ref are)");
  return llvm::createStringError("unknown target '" + target.str() +
                                 "': expected cpu or ref");
}

} // namespace intc::driver
