//===- ImageDecode.h - PNG and JPEG files to CHW uint8 pixels ---*- C++ -*-===//
//
// Image folders hold PNG and JPEG files; libpng and libjpeg-turbo decode
// them. The format is recognised by its magic bytes, never by the file name.
// Sample values are taken as stored, without gamma or colour-profile
// correction (as PIL and torchvision read them), so the same file gives the
// same pixels everywhere:
//   * 3 channels (RGB): grayscale is expanded to R = G = B, palettes are
//     looked up, alpha (an alpha channel or a tRNS chunk) is dropped;
//   * 1 channel: grayscale images only (alpha dropped); a colour image is an
//     error, since converting it would invent a weighting the user did not
//     choose;
//   * 16-bit samples are scaled to 8 bits with rounding (v·255/65535), and
//     1-, 2- and 4-bit grayscale to the full 0..255 range.
// Corrupt or truncated files are errors with libpng's or libjpeg's text. A
// libpng error longjmps only within C-style functions that hold no C++
// objects, so no destructor is ever skipped.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_IMAGEDECODE_H
#define INTC_RUNTIME_HOST_IMAGEDECODE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace intc::host {

enum class ImageFormat { Unknown, Png, Jpeg };

/// Recognises PNG (89 50 4E 47 0D 0A 1A 0A) and JPEG (FF D8 FF).
ImageFormat detectImageFormat(llvm::ArrayRef<uint8_t> bytes);

/// What an image file's header says.
struct ImageHeader {
  ImageFormat format = ImageFormat::Unknown;
  uint32_t width = 0, height = 0;
  unsigned channels = 0;   // In the file: 1 gray, 2 gray+alpha, 3, 4.
  bool color = false;      // RGB, palette or CMYK rather than grayscale.
  std::string description; // "grayscale", "RGB (3 channels)", ...
};

/// Reads only the header of a PNG or JPEG image (cheap: no pixels).
llvm::Expected<ImageHeader> readImageHeader(llvm::ArrayRef<uint8_t> bytes,
                                            llvm::StringRef what);

/// Largest image decoded, in bytes of output (a guard against a forged
/// header asking for gigabytes).
constexpr uint64_t kMaxDecodedImageBytes = uint64_t(1) << 28;

/// A decoded image, C×H×W uint8 in CHW order.
struct DecodedImage {
  uint32_t c = 0, h = 0, w = 0;
  std::vector<uint8_t> pixels;
};

/// Decodes a PNG or JPEG image to \p channels (1 or 3) channels; \p what
/// names it in errors ("'dir/cat/1.png'").
llvm::Expected<DecodedImage> decodeImage(llvm::ArrayRef<uint8_t> bytes,
                                         unsigned channels,
                                         llvm::StringRef what);

/// Reads and decodes the image file \p path.
llvm::Expected<DecodedImage> decodeImageFile(llvm::StringRef path,
                                             unsigned channels);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_IMAGEDECODE_H
