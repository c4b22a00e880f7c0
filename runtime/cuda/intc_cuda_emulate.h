//===- intc_cuda_emulate.h - The tensor-core GEMM, run on the host -*- C++ -*-//
//
// Executes the kernels of intc_cuda_gemm.cu on the CPU with the very same
// blocking (intc_cuda_gemm.h: staging, limbs, fragment addressing, chunked
// int32 accumulation, the exact fallback, split-K), emulating mma.sync from
// the PTX ISA's fragment layout table. The unit tests compare it with
// runtime/c, so the exact arithmetic of the GPU path is tested on machines
// without a GPU. Slow (a scalar loop per lane); for tests only.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_CUDA_INTC_CUDA_EMULATE_H
#define INTC_RUNTIME_CUDA_INTC_CUDA_EMULATE_H

#include "runtime/cuda/intc_cuda_gemm.h"

namespace intc_cuda {

/// One mma.sync.aligned.m16n8k32.row.col.s32.{a}.{b}.s32 of a warp: a[lane],
/// b[lane], c[lane] are the 32 lanes' registers; aSigned/bSigned select
/// .s8/.u8. int32 accumulation wraps modulo 2^32 as the PTX ISA specifies
/// for integer mma without .satfinite.
void emulateMma(uint32_t a[32][4], uint32_t b[32][2], int32_t c[32][4],
                bool aSigned, bool bSigned);

/// Runs the tensor-core kernel intc_gemm_<kind>_<i8|i16> (xBytes 1 or 2) on
/// the host on p (host pointers), over `splits` K slices as the launcher
/// would (p.kTilesPerSplit is set here). Returns the number of tiles that
/// took the exact fallback.
uint64_t emulateGemm(int kind, int xBytes, GemmParams p, int32_t splits);

} // namespace intc_cuda

#endif // INTC_RUNTIME_CUDA_INTC_CUDA_EMULATE_H
