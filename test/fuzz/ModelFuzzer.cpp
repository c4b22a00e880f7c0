//===- ModelFuzzer.cpp - Fuzz model text through the front of the compiler ===//
//
// Reaches what `intc model.mlir` and `intc train` do with a model file before
// any lowering: the MLIR parser on the intc dialect (its custom syntax and the
// generic form, so every verifier sees attributes a custom parser would
// refuse), the op verifiers, intc-verify-model and ModelLayout::get
// (ModelLoader.cpp's parseModel, which loadModel and loadModelSource call),
// the host-side ModelInfo of the model (makeModelInfo, verifyModelInfo), and
// intc-expand-training at the model's batch, as the step pipeline runs it.
//
// Every failure must come with an error diagnostic, and a pass that succeeds
// must leave valid IR: the pass manager's own verifier is off so that this
// target, not the pass manager, notices a pass that produced invalid IR.
// Seeds are the repository's .mlir files; intc.dict lists the dialect's
// keywords.
//
//===----------------------------------------------------------------------===//

#include "FuzzUtil.h"

#include "lib/Driver/ModelLoader.h"
#include "passes/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace ::intc::fuzz;

namespace {

/// Counts the error diagnostics of one input; prints all when verbose.
struct Diagnostics {
  unsigned errors = 0;
  ScopedDiagnosticHandler handler;
  explicit Diagnostics(MLIRContext &ctx)
      : handler(&ctx, [this](Diagnostic &diag) {
          if (diag.getSeverity() == DiagnosticSeverity::Error)
            ++errors;
          if (verbose())
            llvm::errs() << diag.getLocation() << ": " << diag << "\n";
          return success();
        }) {}
};

} // namespace

/// ASan's user poisoning off, for this target only. LLVM's BumpPtrAllocator
/// poisons the unused part of a slab when the code that allocates it is
/// compiled with ASan, and unpoisons each allocation. Debian's libMLIR is
/// not, and shares allocators (MLIRContext's storage uniquer) with the inline
/// header code compiled into this target: an allocation libMLIR makes from a
/// slab our code started stays poisoned, and the first write to it is a
/// false use-after-poison. Heap, stack and global checks are unaffected.
extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  // One thread: reproducible runs, and no thread pool per input.
  ::intc::driver::context().disableMultithreading();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext &ctx = ::intc::driver::context();
  llvm::SourceMgr mgr;
  mgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.mlir"),
      llvm::SMLoc());

  Diagnostics diags(ctx);
  FailureOr<::intc::driver::LoadedModel> loaded =
      ::intc::driver::parseModel(mgr, ctx, "fuzz.mlir");
  if (failed(loaded)) {
    INTC_FUZZ_CHECK(diags.errors > 0, "the model was refused without an error");
    return 0;
  }

  // What intc train and the targets know of the model.
  mlir::intc::ModelOp model = loaded->model;
  const int64_t batch = model.getBatch();
  ::intc::host::ModelInfo info = ::intc::driver::makeModelInfo(*loaded, batch);
  if (llvm::Error err = ::intc::host::verifyModelInfo(info))
    checkFailed("verifyModelInfo(info)", llvm::toString(std::move(err)).c_str(),
                __FILE__, __LINE__);
  llvm::ArrayRef<int64_t> sample = model.getSampleShape();
  INTC_FUZZ_CHECK(
      int64_t(info.c) * info.h * info.w ==
              [&] {
                int64_t n = 1;
                for (int64_t d : sample)
                  n *= d;
                return n;
              }() &&
          int64_t(info.numClasses) == model.getNumClasses() &&
          int64_t(info.batch) == batch,
      "ModelInfo truncated the model's shape, classes or batch");

  // The step pipeline's expansion of the selected model.
  OwningOpRef<ModuleOp> module = ::intc::driver::cloneModelModule(*loaded);
  PassManager pm(&ctx);
  pm.enableVerifier(false);
  mlir::intc::ExpandTrainingOptions expand;
  expand.batch = batch;
  expand.keepModel = false;
  pm.addPass(mlir::intc::createExpandTraining(expand));
  diags.errors = 0;
  if (failed(pm.run(*module))) {
    INTC_FUZZ_CHECK(diags.errors > 0,
                    "intc-expand-training failed without an error");
    return 0;
  }
  INTC_FUZZ_CHECK(succeeded(verify(*module)),
                  "intc-expand-training produced invalid IR");
  return 0;
}
