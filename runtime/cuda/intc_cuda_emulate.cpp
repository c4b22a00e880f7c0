//===- intc_cuda_emulate.cpp - The tensor-core GEMM, run on the host ------===//

#include "runtime/cuda/intc_cuda_emulate.h"

#include <algorithm>
#include <memory>
#include <vector>

namespace intc_cuda {

void emulateMma(uint32_t a[32][4], uint32_t b[32][2], int32_t c[32][4],
                bool aSigned, bool bSigned) {
  // Rebuild A (16 x 32) and B (32 x 8) from the lanes' registers with the
  // PTX ISA's element tables (element i of a lane is byte i % 4 of register
  // i / 4):
  //   A: row = g for i < 4 or 8 <= i < 12, else g + 8;
  //      col = 4t + (i & 3), plus 16 for i >= 8
  //   B: row = 4t + (i & 3), plus 16 for i >= 4; col = g
  //   C: row = g for i < 2, else g + 8; col = 2t + (i & 1)
  int32_t A[16][32], B[32][8];
  auto byteValue = [](uint32_t reg, int q, bool isSigned) {
    uint32_t u = (reg >> (8 * q)) & 0xFFu;
    return isSigned ? int32_t(int8_t(uint8_t(u))) : int32_t(u);
  };
  for (int lane = 0; lane < 32; ++lane) {
    const int g = lane >> 2, t = lane & 3;
    for (int i = 0; i < 16; ++i) {
      const int row = (i < 4 || (i >= 8 && i < 12)) ? g : g + 8;
      const int col = 4 * t + (i & 3) + (i >= 8 ? 16 : 0);
      A[row][col] = byteValue(a[lane][i / 4], i % 4, aSigned);
    }
    for (int i = 0; i < 8; ++i) {
      const int row = 4 * t + (i & 3) + (i >= 4 ? 16 : 0);
      B[row][g] = byteValue(b[lane][i / 4], i % 4, bSigned);
    }
  }
  for (int lane = 0; lane < 32; ++lane) {
    const int g = lane >> 2, t = lane & 3;
    for (int i = 0; i < 4; ++i) {
      const int row = i < 2 ? g : g + 8, col = 2 * t + (i & 1);
      uint32_t sum = uint32_t(c[lane][i]);
      for (int k = 0; k < 32; ++k)
        sum += uint32_t(A[row][k] * B[k][col]);
      c[lane][i] = int32_t(sum);
    }
  }
}

namespace {

template <int NLA, int NLB>
void warpMma(const Tiles<NLA, NLB> &s, Acc<NLA, NLB> *lanes, int warp) {
  for (int ks = 0; ks < kBK; ks += 32)
    for (int i = 0; i < kMI; ++i)
      for (int j = 0; j < kNI; ++j)
        for (int la = 0; la < NLA; ++la)
          for (int lb = 0; lb < NLB; ++lb) {
            uint32_t a[32][4], b[32][2];
            int32_t c[32][4];
            const int q = la * NLB + lb;
            for (int lane = 0; lane < 32; ++lane) {
              fragA(s, la, lane, warpRow(warp) + 16 * i, ks, a[lane]);
              fragB(s, lb, lane, warpCol(warp) + 8 * j, ks, b[lane]);
              std::copy_n(lanes[lane].c[q][i][j], 4, c[lane]);
            }
            emulateMma(a, b, c, limbSigned<NLA>(la), limbSigned<NLB>(lb));
            for (int lane = 0; lane < 32; ++lane)
              std::copy_n(c[lane], 4, lanes[lane].c[q][i][j]);
          }
}

/// One thread block of gemmBlock (intc_cuda_gemm.cu), thread by thread.
template <int KIND, class XT, int NLA, int NLB>
bool emulateBlock(const GemmParams &p, int32_t bx, int32_t by, int32_t bz) {
  auto s = std::make_unique<Tiles<NLA, NLB>>();
  std::vector<Acc<NLA, NLB>> acc(kThreads);
  const int32_t m0 = bx * kBM, n0 = by * kBN;
  const int32_t kTiles = (p.K + kBK - 1) / kBK;
  const int32_t t0 = bz * p.kTilesPerSplit;
  const int32_t t1 = std::min(kTiles, t0 + p.kTilesPerSplit);
  const int32_t kBegin = t0 * kBK, kEnd = std::min(p.K, t1 * kBK);
  for (auto &a : acc)
    clearAcc(a);
  bool fits = true;
  for (int32_t tile = t0; tile < t1 && fits; ++tile) {
    for (int t = 0; t < kThreads; ++t)
      fits &= stageTile<KIND, XT, NLA, NLB>(p, *s, t, m0, n0, tile * kBK, kEnd);
    if (!fits)
      break;
    for (int warp = 0; warp < kThreads / 32; ++warp)
      warpMma(*s, &acc[warp * 32], warp);
    if ((tile - t0 + 1) % kChunkTiles == 0)
      for (auto &a : acc)
        flushChunk(a);
  }
  if (fits) {
    for (int t = 0; t < kThreads; ++t) {
      const int warp = t >> 5, lane = t & 31;
      flushChunk(acc[t]);
      for (int i = 0; i < kMI; ++i)
        for (int j = 0; j < kNI; ++j)
          for (int r = 0; r < 4; ++r) {
            const int32_t m = m0 + warpRow(warp) + 16 * i + fragCRow(lane, r);
            const int32_t n = n0 + warpCol(warp) + 8 * j + fragCCol(lane, r);
            if (m < p.M && n < p.N)
              p.out[outIndex<KIND>(p, m, n)] += acc[t].total[i][j][r];
          }
    }
    return true;
  }
  for (int e = 0; e < kBM * kBN; ++e) {
    const int32_t m = m0 + e / kBN, n = n0 + e % kBN;
    if (m < p.M && n < p.N)
      p.out[outIndex<KIND>(p, m, n)] +=
          exactDot<KIND, XT>(p, m, n, kBegin, kEnd);
  }
  return false;
}

template <int KIND, class XT> uint64_t emulate(GemmParams p, int32_t splits) {
  constexpr int NLA = LimbCounts<KIND, XT>::A, NLB = LimbCounts<KIND, XT>::B;
  const int32_t kTiles = (p.K + kBK - 1) / kBK;
  splits = std::max<int32_t>(1, std::min(splits, std::max<int32_t>(kTiles, 1)));
  p.kTilesPerSplit = (kTiles + splits - 1) / splits;
  uint64_t fallbacks = 0;
  for (int32_t bz = 0; bz < splits; ++bz)
    for (int32_t bx = 0; bx * kBM < p.M; ++bx)
      for (int32_t by = 0; by * kBN < p.N; ++by)
        fallbacks += emulateBlock<KIND, XT, NLA, NLB>(p, bx, by, bz) ? 0 : 1;
  return fallbacks;
}

} // namespace

uint64_t emulateGemm(int kind, int xBytes, GemmParams p, int32_t splits) {
  const bool i8 = xBytes == 1;
  switch (kind) {
  case kLinFwd:
    return i8 ? emulate<kLinFwd, int8_t>(p, splits)
              : emulate<kLinFwd, int16_t>(p, splits);
  case kLinWgrad:
    return i8 ? emulate<kLinWgrad, int8_t>(p, splits)
              : emulate<kLinWgrad, int16_t>(p, splits);
  case kConvFwd:
    return i8 ? emulate<kConvFwd, int8_t>(p, splits)
              : emulate<kConvFwd, int16_t>(p, splits);
  default:
    return i8 ? emulate<kConvWgrad, int8_t>(p, splits)
              : emulate<kConvWgrad, int16_t>(p, splits);
  }
}

} // namespace intc_cuda
