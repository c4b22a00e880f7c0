//===- ImageTestUtil.h - Writers of PNG and JPEG test images ----*- C++ -*-===//
//
// The image readers are tested on images made inside the tests with the
// libraries that read them (libpng's simplified writer, TurboJPEG), so no
// binary test data is committed and every pixel is known.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_TEST_UNIT_RUNTIME_HOST_IMAGETESTUTIL_H
#define INTC_TEST_UNIT_RUNTIME_HOST_IMAGETESTUTIL_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace intc::host::test {

/// A PNG of interleaved (HWC) pixels of \p channels 8-bit channels: 1 gray,
/// 2 gray + alpha, 3 RGB, 4 RGBA.
std::vector<uint8_t> makePng(uint32_t width, uint32_t height, unsigned channels,
                             llvm::ArrayRef<uint8_t> pixels);

/// A 16-bit grayscale PNG.
std::vector<uint8_t> makePng16(uint32_t width, uint32_t height,
                               llvm::ArrayRef<uint16_t> pixels);

/// A palette PNG: \p indices into \p palette (RGB triples).
std::vector<uint8_t> makePalettePng(uint32_t width, uint32_t height,
                                    llvm::ArrayRef<uint8_t> indices,
                                    llvm::ArrayRef<uint8_t> palette);

/// An Adam7-interlaced 8-bit grayscale PNG (libpng's simplified writer
/// cannot interlace).
std::vector<uint8_t> makeInterlacedPng(uint32_t width, uint32_t height,
                                       llvm::ArrayRef<uint8_t> pixels);

/// A JPEG of 1 (grayscale) or 3 (RGB) interleaved channels, quality 100.
std::vector<uint8_t> makeJpeg(uint32_t width, uint32_t height,
                              unsigned channels,
                              llvm::ArrayRef<uint8_t> pixels);

/// width·height·channels bytes of one value (\p value per channel, repeated).
std::vector<uint8_t> solid(uint32_t width, uint32_t height, unsigned channels,
                           llvm::ArrayRef<uint8_t> value);

} // namespace intc::host::test

#endif // INTC_TEST_UNIT_RUNTIME_HOST_IMAGETESTUTIL_H
