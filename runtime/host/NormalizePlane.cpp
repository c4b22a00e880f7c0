//===- NormalizePlane.cpp - Normalise a channel plane with SIMD -----------===//

#include "runtime/host/NormalizePlane.h"

#include "runtime/c/intc_data.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

using namespace intc::host;

/// What the vector code computes for pixel value \p v, lane by lane.
static int32_t divide(const PlaneDivision &d, int32_t v) {
  const int32_t q = (v - d.offset) * INTC_DATA_NORM_SCALE;
  const uint32_t a = uint32_t(q < 0 ? -q : q);
  const int32_t r = int32_t(((a * d.magic) >> 16) >> d.shift);
  const int32_t s = q < 0 ? -r : r;
  return s < -128 ? -128 : s > 127 ? 127 : s;
}

std::optional<PlaneDivision>
intc::host::planeDivision(const int8_t *table, int32_t mean, int32_t mad) {
  // |q| <= 255 * 51 stays in int16 for any offset in [0, 255].
  if (mad < 2 || mean < -128 || mean > 127)
    return std::nullopt;
  for (int shift = 15; shift >= 0; --shift) {
    const uint64_t magic = ((uint64_t(1) << (16 + shift)) + mad - 1) / mad;
    if (magic > 0xffff)
      continue;
    PlaneDivision d;
    d.offset = int16_t(128 + mean);
    d.magic = uint16_t(magic);
    d.shift = uint16_t(shift);
    bool exact = true;
    for (int32_t v = 0; v < 256 && exact; ++v)
      exact = divide(d, v) == table[v];
    if (exact)
      return d;
  }
  return std::nullopt;
}

void intc::host::normalizePlane(const uint8_t *in, int8_t *out, int64_t n,
                                const PlaneDivision &d, const int8_t *table) {
  int64_t i = 0;
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  const __m128i offset = _mm_set1_epi16(d.offset);
  const __m128i scale = _mm_set1_epi16(INTC_DATA_NORM_SCALE);
  const __m128i magic = _mm_set1_epi16(int16_t(d.magic));
  const __m128i shift = _mm_cvtsi32_si128(d.shift);
  auto half = [&](__m128i v16) {
    const __m128i q = _mm_mullo_epi16(_mm_sub_epi16(v16, offset), scale);
    const __m128i sign = _mm_srai_epi16(q, 15);
    const __m128i a = _mm_sub_epi16(_mm_xor_si128(q, sign), sign);
    const __m128i r = _mm_srl_epi16(_mm_mulhi_epu16(a, magic), shift);
    return _mm_sub_epi16(_mm_xor_si128(r, sign), sign);
  };
  for (; i + 16 <= n; i += 16) {
    const __m128i v =
        _mm_loadu_si128(reinterpret_cast<const __m128i *>(in + i));
    const __m128i lo = half(_mm_unpacklo_epi8(v, zero));
    const __m128i hi = half(_mm_unpackhi_epi8(v, zero));
    // packs saturates to [-128, 127]: the clip.
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out + i),
                     _mm_packs_epi16(lo, hi));
  }
#else
  (void)d;
#endif
  for (; i < n; ++i)
    out[i] = table[in[i]];
}
