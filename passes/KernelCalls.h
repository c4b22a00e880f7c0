//===- KernelCalls.h - Tagged reductions -> kernel calls -------*- C++ -*-===//
//
// Shared by intc-use-microkernels (runtime/cpu) and intc-use-gpu-kernels
// (runtime/cuda): both replace the linalg.generic reductions that
// intc-lower-to-linalg tagged (`intc.kernel`) by calls with one calling
// convention, each buffer as (base pointer, element offset) and then the
// static sizes as i64.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_PASSES_KERNELCALLS_H
#define INTC_PASSES_KERNELCALLS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinOps.h"

namespace mlir::intc {

/// The linalg.generic reductions intc-lower-to-linalg tagged
/// (`intc.kernel`) that bufferization has turned into buffer ops.
SmallVector<linalg::GenericOp> collectTaggedKernels(ModuleOp module);

/// True for a statically shaped memref whose strides are the row-major ones
/// of its shape (any offset): a view a kernel indexes as one block.
bool isContiguousBuffer(Value buffer);

/// True when the memref value's elements are `width`-bit integers.
bool hasIntElements(Value buffer, unsigned width);

/// Calls `name(base0, off0, base1, off1, ..., sizes..., scalars...)` before
/// `op` (the function is declared private in `module` on first use) and
/// erases `op`. The scalars are i64 values.
void replaceByKernelCall(ModuleOp module, Operation *op, StringRef name,
                         ValueRange buffers, ArrayRef<int64_t> sizes,
                         ValueRange scalars = {});

/// For the dense kinds (linear, linear_wgrad, conv2d, conv2d_wgrad): replaces
/// a tagged generic by a call to `<prefix><kind>_acc_<i8|i16>` when its
/// buffers are contiguous and of the kernels' types (int8/int16
/// activations, int32 weights or deltas, int64 accumulators). With
/// `overwrite`, a linear weight gradient whose accumulator was just filled
/// with zeros (zeroFilledBefore) calls `<prefix>linear_wgrad_<i8|i16>`,
/// which overwrites it, and the fill goes. Returns whether it replaced.
bool replaceDenseKernel(ModuleOp module, linalg::GenericOp op, StringRef prefix,
                        bool overwrite = false);

/// The linalg.fill of zeros into exactly `buffer` that is the last op with
/// memory effects before `op` in its block, if there is one: then `op` may
/// overwrite `buffer` instead of accumulating into it.
linalg::FillOp zeroFilledBefore(Operation *op, Value buffer);

} // namespace mlir::intc

#endif // INTC_PASSES_KERNELCALLS_H
