//===- NitroConstants.h - Constants derived from a NITRO model --*- C++ -*-===//
//
// The construction-time arithmetic of NITRO-D (ALGORITHM.md §2.3, §2.8, §3.2,
// §5): scaling factors, learning-head pooling, init bounds and dropout
// factors. Verifiers, `intc-verify-model` and the expansion all use these, so
// every derived constant has one definition.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_DIALECT_NITROCONSTANTS_H
#define INTC_DIALECT_NITROCONSTANTS_H

#include "dialect/IntcAttrs.h"

#include "llvm/ADT/ArrayRef.h"
#include <cstdint>
#include <optional>
#include <string>

namespace mlir::intc::nitro {

/// Every NITRO-Scaling factor is 2^8 times the fan-in of its layer (§2.3).
constexpr int64_t kScaleShift = 256;
/// Init bounds are capped at 64 (§5).
constexpr int64_t kMaxInitBound = 64;
/// The negative slopes the leaky activations accept (§2.4).
llvm::ArrayRef<int32_t> allowedSlopes();
bool isAllowedSlope(int64_t nsi);
/// c[nsi] of NitroLeakyReLU (§2.4), or 0 for a slope not in the table.
int32_t nitroCorrection(int64_t nsi);

/// Floor square root by integer Newton iteration, as the reference (§1.1).
int64_t intSqrt(int64_t n);
/// The uniform init bound b of `scheme` (after the cap of 64), §5.
int64_t initBound(InitScheme scheme, int64_t fanIn, int64_t fanOut);

/// The ×1000 rescale factor of a dropout rate in percent (§2.8), or
/// std::nullopt when the rate is not in the table (5, 10, ..., 95).
std::optional<int64_t> dropoutFactor(int64_t ratePercent);

/// The learning-head pooling of a conv block (§3.2).
struct HeadPooling {
  int64_t kernelH = 1, kernelW = 1; ///< kernel = stride
  int64_t padH = 0, padW = 0;
  int64_t gridH = 0, gridW = 0; ///< pooled spatial size
  int64_t dimInDecoder = 0;     ///< channels·gridH·gridW
  bool pooled() const { return kernelH > 1 || kernelW > 1; }
};
/// Runs the pooling-size algorithm of §3.2 for a `channels`×`h`×`w` block
/// output and target `predDecoderDim`. Returns an error message when the
/// padding would exceed half the kernel (the reference raises there too).
std::optional<HeadPooling> headPooling(int64_t channels, int64_t h, int64_t w,
                                       int64_t predDecoderDim,
                                       std::string *error = nullptr);

} // namespace mlir::intc::nitro

#endif // INTC_DIALECT_NITROCONSTANTS_H
