//===- NitroConstants.cpp - Constants derived from a NITRO model ----------===//
//
// Thin wrappers over runtime/c, which holds the one definition of every
// construction-time constant: the compiler and the reference runtime cannot
// disagree on them.
//
//===----------------------------------------------------------------------===//

#include "dialect/NitroConstants.h"

#include "runtime/c/intc_activations.h"
#include "runtime/c/intc_init.h"
#include "runtime/c/intc_kernels.h"
#include "runtime/c/intc_model.h"

using namespace mlir::intc;

static_assert(static_cast<int>(ActivationKind::NitroLeakyRelu) ==
                      INTC_ACT_NITRO_LEAKY_RELU &&
                  static_cast<int>(ActivationKind::PocketLeakyRelu) ==
                      INTC_ACT_POCKET_LEAKY_RELU &&
                  static_cast<int>(ActivationKind::PocketRelu) ==
                      INTC_ACT_POCKET_RELU &&
                  static_cast<int>(ActivationKind::PocketTanh) ==
                      INTC_ACT_POCKET_TANH &&
                  static_cast<int>(ActivationKind::BipolarPocketRelu) ==
                      INTC_ACT_BIPOLAR_POCKET_RELU &&
                  static_cast<int>(ActivationKind::BipolarLeakyRelu) ==
                      INTC_ACT_BIPOLAR_LEAKY_RELU,
              "ActivationKind must number activations as runtime/c does");
static_assert(static_cast<int>(InitScheme::KaimingLeakyRelu) ==
                      INTC_INIT_KAIMING_LEAKY_RELU &&
                  static_cast<int>(InitScheme::KaimingRelu) ==
                      INTC_INIT_KAIMING_RELU &&
                  static_cast<int>(InitScheme::Xavier) == INTC_INIT_XAVIER &&
                  static_cast<int>(InitScheme::Std) == INTC_INIT_STD &&
                  static_cast<int>(InitScheme::Fixed) == INTC_INIT_FIXED &&
                  static_cast<int>(InitScheme::Zeros) == INTC_INIT_ZEROS &&
                  static_cast<int>(InitScheme::Ones) == INTC_INIT_ONES,
              "InitScheme must number schemes as runtime/c does");

static constexpr int32_t kSlopes[] = {3, 4, 5, 7, 8, 10, 15, 16, 20};

llvm::ArrayRef<int32_t> nitro::allowedSlopes() { return kSlopes; }

bool nitro::isAllowedSlope(int64_t nsi) {
  return nsi > 0 && nsi <= INT32_MAX &&
         intc_nsi_valid(static_cast<int32_t>(nsi));
}

int32_t nitro::nitroCorrection(int64_t nsi) {
  return isAllowedSlope(nsi)
             ? intc_nitro_mean_correction(static_cast<int32_t>(nsi))
             : 0;
}

int64_t nitro::intSqrt(int64_t n) { return intc_int_sqrt(n); }

int64_t nitro::initBound(InitScheme scheme, int64_t fanIn, int64_t fanOut) {
  if (fanIn < 1 || fanOut < 0)
    return 0;
  // The reference computes the Kaiming-leaky gain with slope 4 whatever the
  // activation (§5).
  return intc_init_bound(static_cast<int32_t>(scheme), fanIn, fanOut,
                         INTC_INIT_REFERENCE_GAIN_NSI);
}

std::optional<int64_t> nitro::dropoutFactor(int64_t ratePercent) {
  if (ratePercent < 5 || ratePercent > 95 || ratePercent % 5 != 0)
    return std::nullopt;
  return intc_dropout_factor(static_cast<int32_t>(ratePercent * 10));
}

std::optional<nitro::HeadPooling>
nitro::headPooling(int64_t channels, int64_t h, int64_t w,
                   int64_t predDecoderDim, std::string *error) {
  if (channels > INT32_MAX || h > INT32_MAX || w > INT32_MAX ||
      predDecoderDim > INT32_MAX || channels * h * w > INT32_MAX) {
    if (error)
      *error = "block output is too large for the learning-head pooling";
    return std::nullopt;
  }
  intc_head_pool plan = intc_head_pool_plan(
      static_cast<int32_t>(channels), static_cast<int32_t>(h),
      static_cast<int32_t>(w), static_cast<int32_t>(predDecoderDim));
  if (!plan.valid) {
    if (error)
      *error = "learning-head pooling needs padding [" +
               std::to_string(plan.ph) + ", " + std::to_string(plan.pw) +
               "], more than half its kernel [" + std::to_string(plan.kh) +
               ", " + std::to_string(plan.kw) + "]";
    return std::nullopt;
  }
  HeadPooling p;
  p.kernelH = plan.kh;
  p.kernelW = plan.kw;
  p.padH = plan.ph;
  p.padW = plan.pw;
  p.gridH = plan.gh;
  p.gridW = plan.gw;
  p.dimInDecoder = plan.dim_in_decoder;
  return p;
}
