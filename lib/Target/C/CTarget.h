//===- CTarget.h - The C target ---------------------------------*- C++ -*-===//
//
// From verified models to one freestanding C99 translation unit: the
// intc-c-pipeline down to EmitC, MLIR's C/C++ emitter for the function
// bodies, and thin entry points with exactly the C ABI of the model header
// (the same as the cpu target's). The generated code needs no runtime, no
// heap and no floating point; it includes only <stdint.h> and <stddef.h>.
//
// Temporaries live in one static int64_t arena that the bodies view as
// int8/int32/int64 arrays at intc-plan-memory's 64-byte-aligned offsets, the
// way TensorFlow Lite Micro's tensor arena is used. Reusing bytes under
// another type is what such arenas do; the tests check GCC at -O2 (host)
// and -Os (Cortex-M), and -fno-strict-aliasing removes any doubt.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_C_CTARGET_H
#define INTC_LIB_TARGET_C_CTARGET_H

#include "lib/Target/Common/ModelHeader.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir::intc::c {

/// Runs intc-c-pipeline on `module` in place (models become EmitC
/// functions). The context must have the ToEmitC dialect interfaces
/// registered (registerAllExtensions does). Diagnostics go to the context.
LogicalResult lowerToEmitC(ModuleOp module, int64_t batch,
                           unsigned weightBits = 32);

struct SourceOptions {
  std::string modelName;  ///< the model symbol, prefix of every entry point
  std::string headerName; ///< the header the source includes, "<m>.h"
  std::string banner;     ///< first comment line
  std::string stateType = "int32_t"; ///< the weight storage type
};

/// Writes the model's C source from a module lowered by lowerToEmitC. The
/// module is modified (function bodies become static `<entry>_body`
/// functions without their unused parameters).
LogicalResult emitModelSource(ModuleOp module, const SourceOptions &options,
                              llvm::raw_ostream &os);

} // namespace mlir::intc::c

#endif // INTC_LIB_TARGET_C_CTARGET_H
