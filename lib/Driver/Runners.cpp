//===- Runners.cpp - Build a ModelRunner for a target ---------------------===//

#include "lib/Driver/Runners.h"

#include "lib/Target/CPU/CpuJitRunner.h"
#include "lib/Target/CPU/CpuTarget.h"
#include "lib/Target/CUDA/CudaHostRunner.h"
#include "lib/Target/CUDA/CudaRunner.h"
#include "lib/Target/CUDA/CudaTarget.h"
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
    auto runner = host::ReferenceRunner::create(result.reference->model, batch);
    if (!runner)
      return runner.takeError();
    result.runner = std::move(*runner);
    return result;
  }
  if (target == "cpu") {
    OwningOpRef<ModuleOp> module = cloneModelModule(loaded);
    // The JIT binds intc_grads_ready: data-parallel all-reduces start as
    // each block's gradients are final.
    CodegenOptions jit = codegen;
    jit.gradsReadyHook = true;
    if (failed(cpu::lowerToLLVMDialect(*module, jit)))
      return llvm::createStringError("lowering for the cpu target failed");
    auto runner =
        cpu::CpuJitRunner::create(*module, loaded.model.getSymName(), batch);
    if (!runner)
      return runner.takeError();
    result.runner = std::move(*runner);
    return result;
  }
  if (target == "cuda") {
    // Fail fast (before compiling) when no GPU can run the result.
    if (llvm::Error err = cuda::checkCudaDevice())
      return std::move(err);
    OwningOpRef<ModuleOp> module = cloneModelModule(loaded);
    if (failed(cuda::lowerToGpuBinary(*module, codegen)))
      return llvm::createStringError("lowering for the cuda target failed");
    host::ModelInfo info = makeModelInfo(loaded, batch);
    cuda::RunnerShape shape;
    shape.batch = batch;
    shape.numWeights = info.numWeights;
    shape.imageBytes = info.imageBytes();
    shape.numClasses = info.numClasses;
    auto runner =
        cuda::createCudaRunner(*module, loaded.model.getSymName(), shape);
    if (!runner)
      return runner.takeError();
    result.runner = std::move(*runner);
    return result;
  }
  if (target == "cuda-host") {
    OwningOpRef<ModuleOp> module = cloneModelModule(loaded);
    auto runner =
        cuda::createCudaHostRunner(*module, loaded.model.getSymName(), codegen,
                                   makeModelInfo(loaded, batch).numWeights);
    if (!runner)
      return runner.takeError();
    result.runner = std::move(*runner);
    return result;
  }
  if (target == "c")
    return llvm::createStringError("target 'c' is not built yet (cpu, cuda "
                                   "and ref are)");
  return llvm::createStringError("unknown target '" + target.str() +
                                 "': expected cpu, cuda or ref");
}

} // namespace intc::driver
