//===- ImageFuzzer.cpp - Fuzz PNG and JPEG decoding
//------------------------===//
//
// Reaches ImageDecode.cpp over libpng and libjpeg-turbo: readImageHeader and
// decodeImage to 1 and to 3 channels, as the image-folder reader decodes a
// file for a grayscale or an RGB model. A grayscale image decoded to RGB
// must be its 1-channel decode three times (ImageDecode.h: R = G = B).
//
//===----------------------------------------------------------------------===//

#include "FuzzUtil.h"

#include "runtime/host/ImageDecode.h"

#include <cstring>

using namespace intc::host;
using namespace intc::fuzz;

static void checkShape(const DecodedImage &image, const ImageHeader &header,
                       unsigned channels) {
  INTC_FUZZ_CHECK(image.c == channels && image.w == header.width &&
                      image.h == header.height,
                  "the decoded shape is not the header's");
  INTC_FUZZ_CHECK(uint64_t(image.c) * image.h * image.w == image.pixels.size(),
                  "pixel count does not match C x H x W");
  INTC_FUZZ_CHECK(image.pixels.size() <= kMaxDecodedImageBytes,
                  "decoded past the image size limit");
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::ArrayRef<uint8_t> bytes = bytesOf(data, size);
  llvm::Expected<ImageHeader> header = readImageHeader(bytes, "'fuzz.img'");
  const ImageHeader *h = accept(header);
  llvm::Expected<DecodedImage> gray = decodeImage(bytes, 1, "'fuzz.img'");
  llvm::Expected<DecodedImage> rgb = decodeImage(bytes, 3, "'fuzz.img'");
  const DecodedImage *g = accept(gray);
  const DecodedImage *c = accept(rgb);
  INTC_FUZZ_CHECK(h || (!g && !c), "an image decoded whose header is bad");
  if (g) {
    checkShape(*g, *h, 1);
    INTC_FUZZ_CHECK(!h->color, "a colour image decoded to 1 channel");
  }
  if (c)
    checkShape(*c, *h, 3);
  if (g && c) {
    size_t plane = g->pixels.size();
    for (unsigned ch = 0; ch < 3; ++ch)
      INTC_FUZZ_CHECK(
          !std::memcmp(c->pixels.data() + ch * plane, g->pixels.data(), plane),
          "RGB of a grayscale image is not R = G = B = gray");
  }
  llvm::Expected<DecodedImage> two = decodeImage(bytes, 2, "'fuzz.img'");
  INTC_FUZZ_CHECK(!two, "decoded to 2 channels");
  reject(two.takeError());
  return 0;
}
