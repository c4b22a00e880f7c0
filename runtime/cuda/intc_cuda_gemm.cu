// intc_cuda_gemm.cu - exact int8 tensor-core kernels of runtime/cuda.
//
// One kernel per (reduction kind, activation type): a 64 x 64 output tile per
// block of 128 threads, K in slices of 64 staged in shared memory as int8
// limbs, mma.sync.aligned.m16n8k32 with int32 accumulators flushed into int64
// every 2^15 terms, and the exact int64 fallback of a tile whose operands do
// not fit their limbs. The arithmetic and its proof are in intc_cuda_gemm.h;
// this file only adds the block loop and the mma instruction. Integer only:
// test/Target/CUDA/gemm-kernels-ptx.test checks the PTX for float.
//
// Built by nvcc into a fatbin (sm_80 and sm_90 code, compute_90 PTX) that the
// host launcher (intc_cuda_kernels.cpp) loads with the driver API.

#include "runtime/cuda/intc_cuda_gemm.h"

using namespace intc_cuda;

namespace {

// D = A * B + D for one m16n8k32 tile; AS/BS: whether the A/B bytes are
// signed (.s8) or unsigned (.u8).
template <bool AS, bool BS>
__device__ __forceinline__ void mma(int32_t c[4], const uint32_t a[4],
                                    const uint32_t b[2]);

#define INTC_MMA(AS, BS, ATYPE, BTYPE)                                         \
  template <>                                                                  \
  __device__ __forceinline__ void mma<AS, BS>(                                 \
      int32_t c[4], const uint32_t a[4], const uint32_t b[2]) {                \
    asm volatile("mma.sync.aligned.m16n8k32.row.col.s32." ATYPE "." BTYPE      \
                 ".s32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "                \
                 "{%0,%1,%2,%3};\n"                                            \
                 : "+r"(c[0]), "+r"(c[1]), "+r"(c[2]), "+r"(c[3])              \
                 : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]),      \
                   "r"(b[1]));                                                 \
  }
INTC_MMA(true, true, "s8", "s8")
INTC_MMA(true, false, "s8", "u8")
INTC_MMA(false, true, "u8", "s8")
INTC_MMA(false, false, "u8", "u8")
#undef INTC_MMA

template <int NLA, int NLB>
__device__ __forceinline__ void
warpMma(const Tiles<NLA, NLB> &s, Acc<NLA, NLB> &acc, int warp, int lane) {
#pragma unroll
  for (int ks = 0; ks < kBK; ks += 32) {
    uint32_t a[NLA][kMI][4], b[NLB][kNI][2];
#pragma unroll
    for (int l = 0; l < NLA; ++l)
#pragma unroll
      for (int i = 0; i < kMI; ++i)
        fragA(s, l, lane, warpRow(warp) + 16 * i, ks, a[l][i]);
#pragma unroll
    for (int l = 0; l < NLB; ++l)
#pragma unroll
      for (int j = 0; j < kNI; ++j)
        fragB(s, l, lane, warpCol(warp) + 8 * j, ks, b[l][j]);
#pragma unroll
    for (int i = 0; i < kMI; ++i)
#pragma unroll
      for (int j = 0; j < kNI; ++j) {
#pragma unroll
        for (int la = 0; la < NLA; ++la)
#pragma unroll
          for (int lb = 0; lb < NLB; ++lb) {
            int32_t *c = acc.c[la * NLB + lb][i][j];
            const bool as = limbSigned<NLA>(la), bs = limbSigned<NLB>(lb);
            if (as && bs)
              mma<true, true>(c, a[la][i], b[lb][j]);
            else if (as)
              mma<true, false>(c, a[la][i], b[lb][j]);
            else if (bs)
              mma<false, true>(c, a[la][i], b[lb][j]);
            else
              mma<false, false>(c, a[la][i], b[lb][j]);
          }
      }
  }
}

__device__ __forceinline__ void addOut(int64_t *p, int64_t v, bool atomic) {
  if (atomic)
    atomicAdd(reinterpret_cast<unsigned long long *>(p),
              static_cast<unsigned long long>(v));
  else
    *p += v;
}

template <int KIND, class XT, int NLA, int NLB>
__device__ void gemmBlock(const GemmParams &p) {
  __shared__ Tiles<NLA, NLB> s;
  const int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31;
  const int32_t m0 = blockIdx.x * kBM, n0 = blockIdx.y * kBN;
  const int32_t kTiles = (p.K + kBK - 1) / kBK;
  const int32_t t0 = blockIdx.z * p.kTilesPerSplit;
  const int32_t t1 = min(kTiles, t0 + p.kTilesPerSplit);
  const int32_t kBegin = t0 * kBK, kEnd = min(p.K, t1 * kBK);
  const bool atomic = gridDim.z > 1;

  Acc<NLA, NLB> acc;
  clearAcc(acc);
  int fits = 1;
  for (int32_t tile = t0; tile < t1; ++tile) {
    fits &= stageTile<KIND, XT, NLA, NLB>(p, s, tid, m0, n0, tile * kBK, kEnd);
    // Every thread agrees on whether the whole K range fits; once a value
    // does not, the tile goes to the fallback and the mma work stops.
    if (!__syncthreads_and(fits))
      break;
    warpMma(s, acc, warp, lane);
    if ((tile - t0 + 1) % kChunkTiles == 0)
      flushChunk(acc);
    __syncthreads();
  }
  fits = __syncthreads_and(fits);

  if (fits) {
    flushChunk(acc);
#pragma unroll
    for (int i = 0; i < kMI; ++i)
#pragma unroll
      for (int j = 0; j < kNI; ++j)
#pragma unroll
        for (int r = 0; r < 4; ++r) {
          const int32_t m = m0 + warpRow(warp) + 16 * i + fragCRow(lane, r);
          const int32_t n = n0 + warpCol(warp) + 8 * j + fragCCol(lane, r);
          if (m < p.M && n < p.N)
            addOut(p.out + outIndex<KIND>(p, m, n), acc.total[i][j][r], atomic);
        }
    return;
  }
  // Exact fallback: the block's tile over its K range, in int64.
  if (tid == 0 && p.fallbackTiles)
    atomicAdd(p.fallbackTiles, 1ull);
  for (int e = tid; e < kBM * kBN; e += kThreads) {
    const int32_t m = m0 + e / kBN, n = n0 + e % kBN;
    if (m < p.M && n < p.N)
      addOut(p.out + outIndex<KIND>(p, m, n),
             exactDot<KIND, XT>(p, m, n, kBegin, kEnd), atomic);
  }
}

// The exact wide kernel (no limbs): one output per thread over the whole K,
// for calls the launcher does not give the tensor cores.
template <int KIND, class XT> __device__ void wideBlock(const GemmParams &p) {
  const int64_t e = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  if (e >= int64_t(p.M) * p.N)
    return;
  const int32_t m = int32_t(e / p.N), n = int32_t(e % p.N);
  p.out[outIndex<KIND>(p, m, n)] += exactDot<KIND, XT>(p, m, n, 0, p.K);
}

} // namespace

// Kernel entry points, looked up by name (intc_cuda_kernels.cpp).
#define INTC_GEMM(NAME, KIND, XT)                                              \
  extern "C" __global__ void __launch_bounds__(kThreads)                       \
      intc_gemm_##NAME(GemmParams p) {                                         \
    gemmBlock<KIND, XT, LimbCounts<KIND, XT>::A, LimbCounts<KIND, XT>::B>(p);  \
  }                                                                            \
  extern "C" __global__ void intc_wide_##NAME(GemmParams p) {                  \
    wideBlock<KIND, XT>(p);                                                    \
  }
INTC_GEMM(linear_i8, kLinFwd, int8_t)
INTC_GEMM(linear_i16, kLinFwd, int16_t)
INTC_GEMM(linear_wgrad_i8, kLinWgrad, int8_t)
INTC_GEMM(linear_wgrad_i16, kLinWgrad, int16_t)
INTC_GEMM(conv2d_i8, kConvFwd, int8_t)
INTC_GEMM(conv2d_i16, kConvFwd, int16_t)
INTC_GEMM(conv2d_wgrad_i8, kConvWgrad, int8_t)
INTC_GEMM(conv2d_wgrad_i16, kConvWgrad, int16_t)
#undef INTC_GEMM
