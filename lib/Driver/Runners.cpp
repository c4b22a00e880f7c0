//===- Runners.cpp - Build a ModelRunner for a target ---------------------===//

#include "lib/Driver/Runners.h"

#include "lib/Target/CPU/CpuJitRunner.h"
#include "lib/Target/CPU/CpuTarget.h"
#include "lib/Target/CUDA/CudaHostRunner.h"
#include "lib/Target/CUDA/CudaRunner.h"
#include "lib/Target/CUDA/CudaTarget.h"
#include "runtime/host/ReferenceRunner.h"

#include "mlir/IR/OperationSupport.h"

using namespace mlir;
using namespace mlir::intc;

namespace intc::driver {

CacheKey compiledCodeKey(const LoadedModel &loaded, llvm::StringRef target,
                         const CodegenOptions &codegen) {
  CacheKeyBuilder key;
  addCodeGeneratorIdentity(key);
  addHostIdentity(key);
  key.add("target", target);
  addCodegenOptions(key, codegen);
  // The model after parsing: what the pipeline reads (cloneModelModule), not
  // the file, so comments and layout do not matter and a pipeline stage
  // (a model cut from the file's) gets a key of its own.
  std::string text;
  llvm::raw_string_ostream os(text);
  loaded.model->print(os, OpPrintingFlags().enableDebugInfo(false));
  key.add("model", text);
  return key.finish();
}

/// The code of `loaded` for `target` (cpu, cuda or cuda-host) with
/// `codegen`: from `cache`, or lowered and compiled (and stored there).
static llvm::Expected<cpu::HostCode> hostCode(const LoadedModel &loaded,
                                              llvm::StringRef target,
                                              const CodegenOptions &codegen,
                                              CompileCache *cache) {
  auto compile = [&]() -> llvm::Expected<cpu::HostCode> {
    OwningOpRef<ModuleOp> module = cloneModelModule(loaded);
    if (target == "cuda-host")
      return cuda::compileCudaHost(*module, codegen);
    if (failed(target == "cpu" ? cpu::lowerToLLVMDialect(*module, codegen)
                               : cuda::lowerToGpuBinary(*module, codegen)))
      return llvm::createStringError("lowering for the " + target +
                                     " target failed");
    return cpu::compileHostCode(*module);
  };
  return cpu::getHostCode(cache, compiledCodeKey(loaded, target, codegen),
                          compile);
}

llvm::Expected<TargetRunner> createRunner(const LoadedModel &loaded,
                                          llvm::StringRef target,
                                          const CodegenOptions &codegen,
                                          CompileCache *cache) {
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
    // The JIT binds intc_grads_ready: data-parallel all-reduces start as
    // each block's gradients are final.
    CodegenOptions jit = codegen;
    jit.gradsReadyHook = true;
    auto code = hostCode(loaded, target, jit, cache);
    if (!code)
      return code.takeError();
    auto runner =
        cpu::CpuJitRunner::create(*code, loaded.model.getSymName(), batch);
    if (!runner)
      return runner.takeError();
    result.runner = std::move(*runner);
    return result;
  }
  if (target == "cuda") {
    // Fail fast (before compiling) when no GPU can run the result.
    if (llvm::Error err = cuda::checkCudaDevice())
      return std::move(err);
    auto code = hostCode(loaded, target, codegen, cache);
    if (!code)
      return code.takeError();
    host::ModelInfo info = makeModelInfo(loaded, batch);
    cuda::RunnerShape shape;
    shape.batch = batch;
    shape.numWeights = info.numWeights;
    shape.imageBytes = info.imageBytes();
    shape.numClasses = info.numClasses;
    auto runner =
        cuda::createCudaRunner(*code, loaded.model.getSymName(), shape);
    if (!runner)
      return runner.takeError();
    result.runner = std::move(*runner);
    return result;
  }
  if (target == "cuda-host") {
    auto code = hostCode(loaded, target, codegen, cache);
    if (!code)
      return code.takeError();
    auto runner =
        cuda::createCudaHostRunner(*code, loaded.model.getSymName(), batch,
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
