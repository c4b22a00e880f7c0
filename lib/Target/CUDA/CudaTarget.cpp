//===- CudaTarget.cpp - The cuda target -----------------------------------===//

#include "lib/Target/CUDA/CudaTarget.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Pass/PassManager.h"

using namespace mlir;
using namespace mlir::intc;

LogicalResult cuda::lowerToGpuBinary(ModuleOp module,
                                     const CodegenOptions &options) {
  // gpu-module-to-binary reports an unknown format without failing.
  StringRef format = options.cuda.format;
  if (format != "isa" && format != "bin" && format != "fatbin")
    return emitError(module.getLoc())
           << "unknown cuda format '" << format
           << "': expected isa (PTX), bin (cubin) or "
              "fatbin";
  DialectRegistry registry;
  registerCudaTargetInterfaces(registry);
  module.getContext()->appendDialectRegistry(registry);
  PassManager pm(module.getContext());
  buildCudaPipeline(pm, options);
  return pm.run(module);
}

FailureOr<std::string> cuda::getDeviceImage(ModuleOp module) {
  SmallVector<gpu::BinaryOp> binaries(module.getOps<gpu::BinaryOp>());
  if (binaries.size() != 1)
    return module.emitError("expected one gpu.binary after the cuda "
                            "pipeline, found ")
           << binaries.size();
  ArrayRef<Attribute> objects = binaries.front().getObjects().getValue();
  if (objects.empty())
    return binaries.front().emitError("has no object");
  auto object = llvm::cast<gpu::ObjectAttr>(objects.front());
  std::string image = object.getObject().getValue().str();
  // PTX may carry the NUL the driver's loader wants; the file does not.
  if (object.getFormat() == gpu::CompilationTarget::Assembly)
    while (!image.empty() && image.back() == '\0')
      image.pop_back();
  return image;
}
