//===- CompileCuda.cpp - intc model.mlir -target=cuda -o DIR --------------===//
//
// Writes DIR/<m>.ptx (format isa; .cubin / .fatbin otherwise: every kernel
// of the model for -cuda-arch), DIR/<m>.o (the host code, which embeds the
// same image and launches it through runtime/cuda; .ll with -emit=llvm),
// DIR/<m>.h (the C ABI on device pointers) and DIR/<m>_reference.c.
//
//===----------------------------------------------------------------------===//

#include "tools/intc/CompileCuda.h"
#include "tools/intc/OutputFiles.h"

#include "lib/Target/CPU/CpuTarget.h"
#include "lib/Target/CUDA/CudaTarget.h"
#include "lib/Target/Common/JitEntryPoints.h"
#include "lib/Target/Common/ModelHeader.h"
#include "lib/Target/Common/ReferenceModel.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::intc;

namespace intc::driver {

int compileCuda(const LoadedModel &loaded, const CompileOptions &o,
                int64_t batch) {
  std::string name = loaded.model.getSymName().str();
  OwningOpRef<ModuleOp> module = cloneModelModule(loaded);
  CodegenOptions codegen = withBatch(o.codegen, batch);
  // The header declares init, train_step and predict: the gradient steps
  // (data-parallel training under intc train) would only cost compile time.
  codegen.gradientSteps = false;
  if (failed(cuda::lowerToGpuBinary(*module, codegen)))
    return 1;
  CompiledModelInfo info = describeCompiledModule(*module);
  if (info.initArena) {
    llvm::errs() << "intc: error: the init function needs an arena, which "
                    "the cuda ABI does not take\n";
    return 1;
  }
  auto path = [&](StringRef ext) {
    llvm::SmallString<256> p(o.outDir);
    llvm::sys::path::append(p, name + ext.str());
    return std::string(p);
  };

  FailureOr<std::string> image = cuda::getDeviceImage(*module);
  if (failed(image))
    return 1;
  const std::string &format = codegen.cuda.format;
  std::string imageExt = format == "isa"   ? ".ptx"
                         : format == "bin" ? ".cubin"
                                           : "." + format;
  if (llvm::Error err = writeOutputFile(
          path(imageExt), [&](llvm::raw_ostream &os) { os << *image; },
          /*binary=*/format != "isa"))
    return reportError(std::move(err));
  if (o.emit == "mlir")
    if (llvm::Error err = writeOutputFile(
            path(".mlir"), [&](llvm::raw_ostream &os) { module->print(os); }))
      return reportError(std::move(err));

  std::string hostFile = o.emit == "llvm" ? path(".ll") : path(".o");
  if (llvm::Error err =
          cpu::writeHostCode(*module, o.mcpu, o.emit == "llvm", hostFile))
    return reportError(std::move(err));

  HeaderOptions header;
  header.targetName = "cuda";
  ArenaSizes arena = getArenaSizes(*module);
  header.trainStepArenaBytes = arena.trainStep;
  header.predictArenaBytes = arena.predict;
  header.sharedArena = true;
  header.trainStepArenaArg = info.trainStepArena;
  header.predictArenaArg = info.predictArena;
  header.arenaNote = "The cuda target takes the arena as the last argument: "
                     "device memory, one\n * buffer of ARENA_BYTES may serve "
                     "both entry points.";
  header.batch = batch;
  header.sourceName = llvm::sys::path::filename(loaded.path).str();
  header.linkNote =
      "cuda: every pointer is a DEVICE pointer (intc_cuda_alloc). The "
      "functions enqueue\n * kernels (" +
      name + imageExt + ", " + codegen.cuda.chip +
      ", embedded in the object) on runtime/cuda's stream and\n * return; "
      "call intc_cuda_synchronize() (runtime/cuda/intc_cuda_runtime.h) "
      "before\n * reading results. Link with libintc_runtime_cuda.a, "
      "-lstdc++ and -ldl (the driver\n * is loaded at run time).";
  if (llvm::Error err = writeOutputFile(path(".h"), [&](llvm::raw_ostream &os) {
        emitModelHeader(loaded.model, loaded.layout, header, os);
      }))
    return reportError(std::move(err));

  // The runtime/c descriptor of the same model, to check the generated code
  // against intc_ref_train_step or to run the reference anywhere.
  if (int rc =
          writeReferenceDescriptor(loaded.model, name, path("_reference.c")))
    return rc;
  llvm::outs() << "intc: wrote " << path(imageExt) << " (" << codegen.cuda.chip
               << "), " << hostFile << ", " << path(".h") << " and "
               << path("_reference.c") << "\n";
  return 0;
}

} // namespace intc::driver
