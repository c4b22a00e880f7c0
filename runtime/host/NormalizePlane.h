//===- NormalizePlane.h - Normalise a channel plane with SIMD ---*- C++ -*-===//
//
// The training loop normalises every batch as it gathers it (TrainData.h),
// through intc_data_norm_table's per-channel tables. A byte table lookup
// costs about 2.5 cycles per pixel, which an MLP1 epoch on two threads felt
// (40 ms of 47 M lookups). The same map is arithmetic that 16-bit SIMD
// lanes do a vector at a time:
//
//   q   = (v - offset) * 51                  offset = 128 + mean
//   |r| = (|q| * magic) >> (16 + shift)      ~ |q| / mad, truncated
//   out = clip(sign(q) * |r|, -128, 127)
//
// A division is only made when it gives the table's value for every one of
// the 256 pixel values, so it is exact by construction; a channel without
// one (a MAD of 0 or 1, or no exact pair) keeps the table.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_NORMALIZEPLANE_H
#define INTC_RUNTIME_HOST_NORMALIZEPLANE_H

#include <cstdint>
#include <optional>

namespace intc::host {

struct PlaneDivision {
  int16_t offset = 0;
  uint16_t magic = 0;
  uint16_t shift = 0;
};

/// The division that equals \p table (256 entries: intc_data_norm_table of
/// one channel with \p mean and \p mad) for every pixel value, if any.
std::optional<PlaneDivision> planeDivision(const int8_t *table, int32_t mean,
                                           int32_t mad);

/// out[i] = the normalised in[i], i < n, by \p d (SSE2 where there is one).
void normalizePlane(const uint8_t *in, int8_t *out, int64_t n,
                    const PlaneDivision &d, const int8_t *table);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_NORMALIZEPLANE_H
