/* intc_cuda_gemm.h - the exact int8 tensor-core GEMM of runtime/cuda.
 *
 * The four matmul-like reductions of a training step (ALGORITHM.md §2.1-2.2)
 * are one accumulating GEMM   C[m][n] += sum_k A(m, k) * B(k, n)   (int64 C):
 *
 *   kind        M           N          K           A(m,k)        B(k,n)
 *   LinFwd      batch       OUT        IN          x[m][k]       w[n][k]
 *   LinWgrad    OUT         IN         batch       d[k][m]       x[k][n]
 *   ConvFwd     B*Ho*Wo     F          C*KK*KK     xp[b][c][i+u][j+v]  w[n][k]
 *   ConvWgrad   F           C*KK*KK    B*Ho*Wo     d[b][m][i][j]
 * xp[b][c][i+u][j+v]
 *
 * This header holds everything about HOW the sum is computed - operand
 * loading, the limb split, the shared-memory tile layout, the mma.sync
 * fragment addressing, the int32 chunking and the int64 combination - as
 * plain functions compiled both by nvcc (intc_cuda_gemm.cu, the kernels) and
 * by the host compiler (intc_cuda_emulate.cpp, an emulation of the very same
 * blocking that the unit tests compare with runtime/c on machines without a
 * GPU). Only the mma instruction itself differs: inline PTX on the device, an
 * emulation of the PTX ISA's fragment semantics on the host.
 *
 * EXACTNESS. Every operand value v is split into NL int8 limbs,
 *   v = sum_l 256^l * limb_l,  limb_l = (v >> 8l) & 255 (unsigned byte) for
 *   l < NL - 1 and the top limb v >> 8(NL-1) a signed byte,
 * which needs -2^(8NL-1) <= v < 2^(8NL-1):
 *   - int8 activations: NL = 1 (the signed byte itself);
 *   - int32 weights and int16 activations: NL = 2, v = 256 * hi + lo with
 *     hi signed and lo unsigned: |v| < 2^15 (W < 2^15 in practice,
 *     ALGORITHM.md §11.2);
 *   - int32 deltas of the weight gradients: NL = 3: |v| < 2^23 (a hidden
 *     delta e^T W_learn is ~10 * 159 * |W_learn|, 7e5 for the median
 *     weight, ALGORITHM.md §11.1; two limbs would send most tiles to the
 *     fallback).
 * Then A(m,k) * B(k,n) = sum over limb pairs (la, lb) of
 *   2^(8 * (la + lb)) * limbA(m,k,la) * limbB(k,n,lb),
 * each pair summed by its own mma.sync.m16n8k32 int32 accumulator
 * (s8 x s8, s8 x u8, u8 x s8 or u8 x u8). One product is at most
 * 255 * 255 = 65025 < 2^16 in magnitude, so a run of kChunkK = 2^15 terms
 * stays below 2^15 * 65025 = 2130739200 < 2^31 - 1: no partial sum of an
 * int32 accumulator can overflow, whatever order the hardware adds in (every
 * partial sum is bounded by the sum of the absolute values). After each chunk
 * the accumulators are added, shifted (by at most 24 bits: < 2^55), into
 * int64 totals and cleared; the totals are exact whenever the true sum fits
 * int64 (and equal to the reference's wrapped int64 sum otherwise). Zero
 * padding of tile edges adds zero products.
 *
 * CHECKED FALLBACK. When any loaded value does not fit its limbs (a weight
 * of 2^15 or more, a delta of 2^23 or more, an "int8" operand outside
 * [-128, 127]) the
 * thread block notices it while staging (__syncthreads_or) and recomputes
 * its whole output tile with exact int64 dot products of the original
 * values instead. The choice is made per block and per K range, so the
 * result is exact either way; intc_cuda_fallback_tiles() counts the tiles.
 *
 * SPLIT-K. A call with few output tiles splits K over gridDim.z; each split
 * adds its exact partial sum with a 64-bit integer atomicAdd. Integer
 * addition is associative, so the result does not depend on the order.
 */
#ifndef INTC_RUNTIME_CUDA_INTC_CUDA_GEMM_H
#define INTC_RUNTIME_CUDA_INTC_CUDA_GEMM_H

#include <stdint.h>

#if defined(__CUDACC__)
#define INTC_HD __host__ __device__ __forceinline__
#else
#define INTC_HD inline
#endif

namespace intc_cuda {

enum GemmKind { kLinFwd = 0, kLinWgrad = 1, kConvFwd = 2, kConvWgrad = 3 };

/* One call. Every size and every element count of a tensor is below 2^31 (the
 * host launcher checks it), so indices are computed in 32 bits. Pointers are
 * already advanced by their element offsets. */
struct GemmParams {
  const void *x;    /* activations: int8 or int16 (see the kernel) */
  const int32_t *w; /* weights (forward kinds) */
  const int32_t *d; /* deltas (weight-gradient kinds) */
  int64_t *out;     /* z or g, accumulated into (+=) */
  unsigned long long *fallbackTiles; /* counter, may be null */
  int32_t M, N, K;
  int32_t B, IN, OUT;               /* linear */
  int32_t C, Hp, Wp, F, KK, Ho, Wo; /* conv (input already padded) */
  int32_t kTilesPerSplit;           /* BK-tiles of K per gridDim.z slice */
};

/* Block tile and thread layout. 128 threads = 4 warps in a 2 x 2 grid, each
 * warp owning a 32 x 32 sub-tile = 2 (m16) x 4 (n8) mma tiles. */
constexpr int kBM = 64, kBN = 64, kBK = 64;
constexpr int kThreads = 128;
constexpr int kWM = 32, kWN = 32;
constexpr int kMI = kWM / 16, kNI = kWN / 8;
/* Shared-memory row: kBK bytes + 16 of padding (80 bytes = 20 words) so that
 * the 32 lanes' 4-byte fragment loads (rows g = 0..7, words t = 0..3) hit 32
 * different banks: 20 g + t mod 32 is a permutation. */
constexpr int kSRow = kBK + 16;
/* int32 accumulation run (see EXACTNESS): 2^15 terms = 512 BK-tiles. */
constexpr int kChunkK = 1 << 15;
constexpr int kChunkTiles = kChunkK / kBK;
static_assert(kChunkK % kBK == 0, "chunks are whole tiles");
static_assert((int64_t)kChunkK * 255 * 255 <= 2147483647LL,
              "an int32 accumulator chunk cannot overflow");

/* ---- Operands ---------------------------------------------------------- */

/* The element A(m, k) / B(k, n) of kind KIND with activations XT, as int32.
 * Callers guarantee m < M, n < N, k < K. */
template <int KIND, class XT>
INTC_HD int32_t loadA(const GemmParams &p, int32_t m, int32_t k) {
  const XT *x = static_cast<const XT *>(p.x);
  if (KIND == kLinFwd)
    return x[m * p.IN + k];
  if (KIND == kLinWgrad)
    return p.d[k * p.OUT + m];
  if (KIND == kConvFwd) {
    const uint32_t hw = uint32_t(p.Ho) * uint32_t(p.Wo);
    const uint32_t kk2 = uint32_t(p.KK) * uint32_t(p.KK);
    const uint32_t b = uint32_t(m) / hw, r = uint32_t(m) % hw;
    const uint32_t i = r / uint32_t(p.Wo), j = r % uint32_t(p.Wo);
    const uint32_t c = uint32_t(k) / kk2, s = uint32_t(k) % kk2;
    const uint32_t u = s / uint32_t(p.KK), v = s % uint32_t(p.KK);
    return x[((b * p.C + c) * p.Hp + i + u) * p.Wp + j + v];
  }
  /* kConvWgrad: A(f, (b, i, j)) = d[b][f][i][j] */
  const uint32_t hw = uint32_t(p.Ho) * uint32_t(p.Wo);
  const uint32_t b = uint32_t(k) / hw, r = uint32_t(k) % hw;
  return p.d[(b * p.F + m) * hw + r];
}

template <int KIND, class XT>
INTC_HD int32_t loadB(const GemmParams &p, int32_t k, int32_t n) {
  const XT *x = static_cast<const XT *>(p.x);
  if (KIND == kLinFwd || KIND == kConvFwd)
    return p.w[n * p.K + k];
  if (KIND == kLinWgrad)
    return x[k * p.IN + n];
  /* kConvWgrad: B((b, i, j), (c, u, v)) = xp[b][c][i + u][j + v] */
  const uint32_t hw = uint32_t(p.Ho) * uint32_t(p.Wo);
  const uint32_t kk2 = uint32_t(p.KK) * uint32_t(p.KK);
  const uint32_t b = uint32_t(k) / hw, r = uint32_t(k) % hw;
  const uint32_t i = r / uint32_t(p.Wo), j = r % uint32_t(p.Wo);
  const uint32_t c = uint32_t(n) / kk2, s = uint32_t(n) % kk2;
  const uint32_t u = s / uint32_t(p.KK), v = s % uint32_t(p.KK);
  return x[((b * p.C + c) * p.Hp + i + u) * p.Wp + j + v];
}

/* Flat index of C(m, n) in the output tensor. */
template <int KIND>
INTC_HD int64_t outIndex(const GemmParams &p, int32_t m, int32_t n) {
  if (KIND == kConvFwd) {
    const uint32_t hw = uint32_t(p.Ho) * uint32_t(p.Wo);
    const uint32_t b = uint32_t(m) / hw, r = uint32_t(m) % hw;
    return (int64_t(b) * p.F + n) * hw + r;
  }
  return int64_t(m) * p.N + n;
}

/* ---- Limbs ------------------------------------------------------------- */

/* Limbs per operand: int8 activations take 1, int16 activations and int32
 * weights take 2, int32 deltas take kDeltaLimbs. A is the activation side of
 * the forward kinds and the delta side of the weight-gradient kinds. */
constexpr int kDeltaLimbs = 3;
template <int KIND, class XT> struct LimbCounts {
  static constexpr int kAct = sizeof(XT) == 1 ? 1 : 2;
  static constexpr bool kFwd = KIND == kLinFwd || KIND == kConvFwd;
  static constexpr int A = kFwd ? kAct : kDeltaLimbs;
  static constexpr int B = kFwd ? 2 : kAct;
};

/* Whether v fits an operand of NL limbs: -2^(8NL-1) <= v < 2^(8NL-1). */
template <int NL> INTC_HD bool fitsLimbs(int32_t v) {
  static_assert(NL >= 1 && NL <= 3, "1 to 3 limbs");
  constexpr int32_t half = int32_t(1) << (8 * NL - 1);
  return v >= -half && v < half;
}
/* Byte of limb l of v: bits [8l, 8l + 8) (the top limb's byte is read as
 * signed, the others as unsigned; see limbSigned). */
template <int NL> INTC_HD uint8_t limbByte(int32_t v, int l) {
  return uint8_t((uint32_t(v) >> (8 * l)) & 0xFFu);
}
/* Whether limb l of an NL-limb operand is signed (the top one), and its
 * weight (bits). */
template <int NL> INTC_HD constexpr bool limbSigned(int l) {
  return l == NL - 1;
}
template <int NL> INTC_HD constexpr int limbShift(int l) { return 8 * l; }

/* ---- Shared-memory tiles ----------------------------------------------- */

/* The staged operands of one BK-slice: A as [limb][row m][k], B as
 * [limb][col n][k] (k contiguous in both: the "row.col" layouts of mma). */
template <int NLA, int NLB> struct Tiles {
  uint8_t a[NLA][kBM][kSRow];
  uint8_t b[NLB][kBN][kSRow];
};

/* Thread t stages row (t >> 1) of A and column (t >> 1) of B, 32 k each:
 * loads the values, splits them into limbs, and reports whether they all fit
 * (out-of-range elements of partial tiles are zeros). */
template <int KIND, class XT, int NLA, int NLB>
INTC_HD bool stageTile(const GemmParams &p, Tiles<NLA, NLB> &s, int t,
                       int32_t m0, int32_t n0, int32_t k0, int32_t kEnd) {
  const int r = t >> 1, h = (t & 1) * 32;
  const int32_t m = m0 + r, n = n0 + r;
  bool ok = true;
  for (int q = 0; q < 32; ++q) {
    const int32_t k = k0 + h + q;
    const bool kin = k < kEnd;
    const int32_t va = kin && m < p.M ? loadA<KIND, XT>(p, m, k) : 0;
    const int32_t vb = kin && n < p.N ? loadB<KIND, XT>(p, k, n) : 0;
    ok = ok && fitsLimbs<NLA>(va) && fitsLimbs<NLB>(vb);
    for (int l = 0; l < NLA; ++l)
      s.a[l][r][h + q] = limbByte<NLA>(va, l);
    for (int l = 0; l < NLB; ++l)
      s.b[l][r][h + q] = limbByte<NLB>(vb, l);
  }
  return ok;
}

/* ---- mma.sync.m16n8k32 fragments (PTX ISA, "Matrix Fragments for
 * mma.m16n8k32" with .s8/.u8): lane = 4 * g + t (g = groupID, t =
 * threadID_in_group);
 *   A (16 x 32, row): a[0] = A[g][4t..4t+3],   a[1] = A[g+8][4t..4t+3],
 *                     a[2] = A[g][16+4t..],    a[3] = A[g+8][16+4t..]
 *   B (32 x 8, col):  b[0] = B[4t..4t+3][g],   b[1] = B[16+4t..][g]
 *   C (16 x 8):       c[0] = C[g][2t], c[1] = C[g][2t+1],
 *                     c[2] = C[g+8][2t], c[3] = C[g+8][2t+1]
 * with the lowest-addressed byte in the lowest bits of each register. */

INTC_HD uint32_t loadWord(const uint8_t *p) {
#if defined(__CUDA_ARCH__)
  return *reinterpret_cast<const uint32_t *>(p);
#else
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 |
         uint32_t(p[3]) << 24;
#endif
}

/* The A fragment of limb l for the m16 tile at row `row0`, k offset `ks`. */
template <int NLA, int NLB>
INTC_HD void fragA(const Tiles<NLA, NLB> &s, int l, int lane, int row0, int ks,
                   uint32_t a[4]) {
  const int g = lane >> 2, t = lane & 3;
  a[0] = loadWord(&s.a[l][row0 + g][ks + 4 * t]);
  a[1] = loadWord(&s.a[l][row0 + g + 8][ks + 4 * t]);
  a[2] = loadWord(&s.a[l][row0 + g][ks + 16 + 4 * t]);
  a[3] = loadWord(&s.a[l][row0 + g + 8][ks + 16 + 4 * t]);
}

/* The B fragment of limb l for the n8 tile at column `col0`. */
template <int NLA, int NLB>
INTC_HD void fragB(const Tiles<NLA, NLB> &s, int l, int lane, int col0, int ks,
                   uint32_t b[2]) {
  const int g = lane >> 2, t = lane & 3;
  b[0] = loadWord(&s.b[l][col0 + g][ks + 4 * t]);
  b[1] = loadWord(&s.b[l][col0 + g][ks + 16 + 4 * t]);
}

/* Tile coordinates (row, col) of accumulator register r of a lane. */
INTC_HD int fragCRow(int lane, int r) { return (lane >> 2) + (r >= 2 ? 8 : 0); }
INTC_HD int fragCCol(int lane, int r) { return 2 * (lane & 3) + (r & 1); }

/* ---- Per-thread accumulators ------------------------------------------- */

template <int NLA, int NLB> struct Acc {
  static constexpr int kPairs = NLA * NLB;
  int32_t c[kPairs][kMI][kNI][4]; /* the current chunk, per limb pair */
  int64_t total[kMI][kNI][4];     /* exact sums of the finished chunks */
};

template <int NLA, int NLB> INTC_HD void clearChunk(Acc<NLA, NLB> &acc) {
  for (int q = 0; q < NLA * NLB; ++q)
    for (int i = 0; i < kMI; ++i)
      for (int j = 0; j < kNI; ++j)
        for (int r = 0; r < 4; ++r)
          acc.c[q][i][j][r] = 0;
}

/* total += sum over pairs of (chunk << shift): exact (|chunk| < 2^31). */
template <int NLA, int NLB> INTC_HD void flushChunk(Acc<NLA, NLB> &acc) {
  for (int la = 0; la < NLA; ++la)
    for (int lb = 0; lb < NLB; ++lb) {
      const int q = la * NLB + lb;
      const int shift = limbShift<NLA>(la) + limbShift<NLB>(lb);
      for (int i = 0; i < kMI; ++i)
        for (int j = 0; j < kNI; ++j)
          for (int r = 0; r < 4; ++r)
            acc.total[i][j][r] +=
                int64_t(acc.c[q][i][j][r]) * (int64_t(1) << shift);
    }
  clearChunk(acc);
}

template <int NLA, int NLB> INTC_HD void clearAcc(Acc<NLA, NLB> &acc) {
  clearChunk(acc);
  for (int i = 0; i < kMI; ++i)
    for (int j = 0; j < kNI; ++j)
      for (int r = 0; r < 4; ++r)
        acc.total[i][j][r] = 0;
}

/* The warp's sub-tile origin inside the block tile. */
INTC_HD int warpRow(int warp) { return (warp >> 1) * kWM; }
INTC_HD int warpCol(int warp) { return (warp & 1) * kWN; }

/* ---- The exact fallback ------------------------------------------------ */

/* sum_{k in [k0, k1)} A(m, k) * B(k, n) in int64 (products of int32 values
 * are exact in int64). */
template <int KIND, class XT>
INTC_HD int64_t exactDot(const GemmParams &p, int32_t m, int32_t n, int32_t k0,
                         int32_t k1) {
  int64_t s = 0;
  for (int32_t k = k0; k < k1; ++k)
    s += int64_t(loadA<KIND, XT>(p, m, k)) * int64_t(loadB<KIND, XT>(p, k, n));
  return s;
}

/* The number of gridDim.z slices for a call: enough blocks to fill the GPU
 * (`targetBlocks`), each slice at least 8 BK-tiles. */
INTC_HD int32_t chooseSplits(int64_t tilesMN, int32_t kTiles,
                             int32_t targetBlocks) {
  int32_t splits = 1;
  while (tilesMN * splits * 2 <= targetBlocks && kTiles / (splits * 2) >= 8)
    splits *= 2;
  return splits;
}

} // namespace intc_cuda

#endif /* INTC_RUNTIME_CUDA_INTC_CUDA_GEMM_H */
