//===- NitroConstants.cpp - Constants derived from a NITRO model ----------===//

#include "dialect/NitroConstants.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir::intc;

static constexpr int32_t kSlopes[] = {3, 4, 5, 7, 8, 10, 15, 16, 20};
static constexpr int32_t kCorrections[] = {31, 36, 38, 40, 42, 43, 44, 44, 45};

llvm::ArrayRef<int32_t> nitro::allowedSlopes() { return kSlopes; }

bool nitro::isAllowedSlope(int64_t nsi) {
  return llvm::is_contained(kSlopes, nsi);
}

int32_t nitro::nitroCorrection(int64_t nsi) {
  for (auto [slope, c] : llvm::zip_equal(kSlopes, kCorrections))
    if (slope == nsi)
      return c;
  return 0;
}

int64_t nitro::intSqrt(int64_t n) {
  if (n <= 0)
    return 0;
  int64_t x = n, y = (x + 1) / 2;
  while (y < x) {
    x = y;
    y = (x + n / x) / 2;
  }
  return x;
}

int64_t nitro::initBound(InitScheme scheme, int64_t fanIn, int64_t fanOut) {
  if (fanIn < 1 || fanOut < 0)
    return 0;
  int64_t b = 0;
  switch (scheme) {
  case InitScheme::KaimingLeakyRelu:
    // The gain 1372 = 1000·sqrt(2 / (1 + 1/4²)): the reference hard-codes
    // negative_slope_inv = 4 whatever the activation (§5).
    b = (1372LL * 128 * 1732) / (intSqrt(fanIn) * 1000000LL);
    break;
  case InitScheme::KaimingRelu:
    b = (1414LL * 128 * 1732) / (intSqrt(fanIn) * 1000000LL);
    break;
  case InitScheme::Xavier:
    b = (1667LL * 128 * 2449) / (intSqrt(fanIn + fanOut) * 1000000LL);
    break;
  case InitScheme::Std:
    b = intSqrt((64LL * 32767) / fanIn);
    break;
  case InitScheme::Fixed:
    b = 64;
    break;
  case InitScheme::Zeros:
  case InitScheme::Ones:
    return 0;
  }
  return std::min(b, kMaxInitBound);
}

std::optional<int64_t> nitro::dropoutFactor(int64_t ratePercent) {
  static constexpr int64_t kFactors[] = {
      1052, 1111, 1176, 1250, 1333, 1428, 1538, 1666, 1818, 2000,
      2222, 2500, 2857, 3333, 4000, 5000, 6666, 10000, 20000};
  if (ratePercent < 5 || ratePercent > 95 || ratePercent % 5 != 0)
    return std::nullopt;
  return kFactors[ratePercent / 5 - 1];
}

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

std::optional<nitro::HeadPooling>
nitro::headPooling(int64_t channels, int64_t h, int64_t w,
                   int64_t predDecoderDim, std::string *error) {
  HeadPooling p;
  int64_t dh = h, dw = w;
  int64_t n = channels * dh * dw;
  // The reference halves the height first, then the width, until the pooled
  // features fit pred_decoder_dim (§3.2). Its maps are square; we use the
  // height as the loop bound as it does.
  while (n > predDecoderDim && p.kernelH < h) {
    p.kernelH *= 2;
    dh = ceilDiv(h, p.kernelH);
    n = channels * dh * dw;
    if (n > predDecoderDim) {
      p.kernelW *= 2;
      dw = ceilDiv(w, p.kernelW);
      n = channels * dh * dw;
    }
  }
  if (p.pooled()) {
    p.padH = (p.kernelH * (dh - h / p.kernelH)) / 2;
    p.padW = (p.kernelW * (dw - w / p.kernelW)) / 2;
    if (2 * p.padH > p.kernelH || 2 * p.padW > p.kernelW) {
      if (error)
        *error = "learning-head pooling needs padding [" +
                 std::to_string(p.padH) + ", " + std::to_string(p.padW) +
                 "], more than half its kernel [" + std::to_string(p.kernelH) +
                 ", " + std::to_string(p.kernelW) + "]";
      return std::nullopt;
    }
  }
  p.gridH = (h + 2 * p.padH - p.kernelH) / p.kernelH + 1;
  p.gridW = (w + 2 * p.padW - p.kernelW) / p.kernelW + 1;
  p.dimInDecoder = channels * p.gridH * p.gridW;
  return p;
}
