//===- ImageDecode.cpp - PNG and JPEG files to CHW uint8 pixels -----------===//

#include "runtime/host/ImageDecode.h"

#include "runtime/host/DataFile.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <png.h>
#include <turbojpeg.h>

using namespace llvm;
using namespace intc::host;

static const uint8_t kPngMagic[] = {0x89, 'P',  'N',  'G',
                                    0x0d, 0x0a, 0x1a, 0x0a};
static const uint8_t kJpegMagic[] = {0xff, 0xd8, 0xff};

static bool startsWith(ArrayRef<uint8_t> bytes, ArrayRef<uint8_t> prefix) {
  return bytes.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), bytes.begin());
}

ImageFormat intc::host::detectImageFormat(ArrayRef<uint8_t> bytes) {
  if (startsWith(bytes, kPngMagic))
    return ImageFormat::Png;
  if (startsWith(bytes, kJpegMagic))
    return ImageFormat::Jpeg;
  return ImageFormat::Unknown;
}

static Error imageError(StringRef what, const Twine &msg) {
  return createStringError(
      std::make_error_code(std::errc::illegal_byte_sequence),
      what + ": " + msg);
}

//===----------------------------------------------------------------------===//
// PNG (libpng). Everything between png_create_read_struct and
// png_destroy_read_struct happens in functions whose locals are plain C data:
// libpng reports errors by longjmp, which must not skip a destructor.
//===----------------------------------------------------------------------===//

namespace {
/// The state of one PNG decode; plain data only.
struct PngDecoder {
  const uint8_t *data = nullptr;
  size_t size = 0, pos = 0;
  png_structp png = nullptr;
  png_infop info = nullptr;
  png_uint_32 width = 0, height = 0;
  int bitDepth = 0, colorType = 0;
  std::jmp_buf jump;
  char message[256] = {};
};
} // namespace

extern "C" {
static void pngErrorFn(png_structp png, png_const_charp msg) {
  auto *d = static_cast<PngDecoder *>(png_get_error_ptr(png));
  std::snprintf(d->message, sizeof(d->message), "%s", msg);
  std::longjmp(d->jump, 1);
}

static void pngWarningFn(png_structp, png_const_charp) {
  // Warnings (an odd ancillary chunk, an sRGB profile libpng dislikes) do
  // not change the pixels.
}

static void pngReadFn(png_structp png, png_bytep out, size_t count) {
  auto *d = static_cast<PngDecoder *>(png_get_io_ptr(png));
  if (d->size - d->pos < count)
    png_error(png, "unexpected end of file (the PNG is truncated)");
  std::memcpy(out, d->data + d->pos, count);
  d->pos += count;
}
}

/// Creates the libpng structs and reads the header. False: see d.message.
static bool pngBegin(PngDecoder &d) {
  d.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &d, pngErrorFn,
                                 pngWarningFn);
  if (!d.png) {
    std::snprintf(d.message, sizeof(d.message), "cannot initialise libpng");
    return false;
  }
  if (setjmp(d.jump))
    return false;
  d.info = png_create_info_struct(d.png);
  if (!d.info)
    png_error(d.png, "cannot initialise libpng");
  png_set_read_fn(d.png, &d, pngReadFn);
  png_read_info(d.png, d.info);
  int interlace;
  png_get_IHDR(d.png, d.info, &d.width, &d.height, &d.bitDepth, &d.colorType,
               &interlace, nullptr, nullptr);
  return true;
}

/// Sets up the transforms to \p channels 8-bit channels and decodes into
/// \p out (height rows of width·channels bytes). False: see d.message.
static bool pngReadPixels(PngDecoder &d, unsigned channels, uint8_t *out) {
  if (setjmp(d.jump))
    return false;
  if (d.colorType == PNG_COLOR_TYPE_PALETTE)
    png_set_palette_to_rgb(d.png);
  if (d.colorType == PNG_COLOR_TYPE_GRAY && d.bitDepth < 8)
    png_set_expand_gray_1_2_4_to_8(d.png);
  if (d.bitDepth == 16)
    png_set_scale_16(d.png);
  if (d.colorType & PNG_COLOR_MASK_ALPHA)
    png_set_strip_alpha(d.png);
  if (channels == 3 && !(d.colorType & PNG_COLOR_MASK_COLOR))
    png_set_gray_to_rgb(d.png);
  int passes = png_set_interlace_handling(d.png);
  png_read_update_info(d.png, d.info);
  size_t rowBytes = size_t(d.width) * channels;
  if (png_get_rowbytes(d.png, d.info) != rowBytes ||
      png_get_channels(d.png, d.info) != channels) {
    std::snprintf(d.message, sizeof(d.message),
                  "unexpected row layout after conversion (%u channels)",
                  unsigned(png_get_channels(d.png, d.info)));
    return false;
  }
  for (int pass = 0; pass < passes; ++pass)
    for (png_uint_32 y = 0; y < d.height; ++y)
      png_read_row(d.png, out + y * rowBytes, nullptr);
  return true;
}

static void pngEnd(PngDecoder &d) {
  if (d.png)
    png_destroy_read_struct(&d.png, d.info ? &d.info : nullptr, nullptr);
}

static std::string pngDescription(int colorType, int bitDepth) {
  std::string depth = bitDepth == 16 ? ", 16-bit" : "";
  switch (colorType) {
  case PNG_COLOR_TYPE_GRAY:
    return "grayscale" + depth;
  case PNG_COLOR_TYPE_GRAY_ALPHA:
    return "grayscale with alpha" + depth;
  case PNG_COLOR_TYPE_PALETTE:
    return "a colour palette image (3 channels)";
  case PNG_COLOR_TYPE_RGB:
    return "RGB (3 channels)" + depth;
  case PNG_COLOR_TYPE_RGB_ALPHA:
    return "RGBA (4 channels)" + depth;
  default:
    return "of PNG colour type " + std::to_string(colorType);
  }
}

static Expected<ImageHeader> pngHeader(ArrayRef<uint8_t> bytes,
                                       StringRef what) {
  PngDecoder d;
  d.data = bytes.data();
  d.size = bytes.size();
  bool ok = pngBegin(d);
  pngEnd(d);
  if (!ok)
    return imageError(what, Twine("corrupt PNG: ") + d.message);
  ImageHeader header;
  header.format = ImageFormat::Png;
  header.width = d.width;
  header.height = d.height;
  header.color = d.colorType & PNG_COLOR_MASK_COLOR;
  header.channels = d.colorType == PNG_COLOR_TYPE_PALETTE
                        ? 3
                        : 1 + bool(d.colorType & PNG_COLOR_MASK_COLOR) * 2 +
                              bool(d.colorType & PNG_COLOR_MASK_ALPHA);
  header.description = pngDescription(d.colorType, d.bitDepth);
  return std::move(header);
}

static Error decodePng(ArrayRef<uint8_t> bytes, unsigned channels,
                       DecodedImage &image, StringRef what) {
  PngDecoder d;
  d.data = bytes.data();
  d.size = bytes.size();
  if (!pngBegin(d)) {
    pngEnd(d);
    return imageError(what, Twine("corrupt PNG: ") + d.message);
  }
  image.w = d.width;
  image.h = d.height;
  uint64_t outBytes = uint64_t(d.width) * d.height * channels;
  if (outBytes > kMaxDecodedImageBytes) {
    pngEnd(d);
    return imageError(what, "image is too large: " + Twine(d.width) + "x" +
                                Twine(d.height) + " pixels");
  }
  std::vector<uint8_t> hwc(outBytes);
  bool ok = pngReadPixels(d, channels, hwc.data());
  pngEnd(d);
  if (!ok)
    return imageError(what, Twine("corrupt PNG: ") + d.message);
  image.pixels = std::move(hwc);
  return Error::success();
}

//===----------------------------------------------------------------------===//
// JPEG (libjpeg-turbo's TurboJPEG API: errors are return codes)
//===----------------------------------------------------------------------===//

namespace {
struct TjCloser {
  void operator()(void *handle) const { tjDestroy(handle); }
};
using TjHandle = std::unique_ptr<void, TjCloser>;
} // namespace

static std::string jpegDescription(int colorspace) {
  switch (colorspace) {
  case TJCS_GRAY:
    return "grayscale";
  case TJCS_RGB:
  case TJCS_YCbCr:
    return "RGB (3 channels)";
  case TJCS_CMYK:
  case TJCS_YCCK:
    return "CMYK (4 channels)";
  default:
    return "of JPEG colour space " + std::to_string(colorspace);
  }
}

static Expected<ImageHeader> jpegHeader(void *tj, ArrayRef<uint8_t> bytes,
                                        StringRef what) {
  int width = 0, height = 0, subsamp = 0, colorspace = 0;
  if (tjDecompressHeader3(tj, bytes.data(), bytes.size(), &width, &height,
                          &subsamp, &colorspace) != 0)
    return imageError(what, Twine("corrupt JPEG: ") + tjGetErrorStr2(tj));
  ImageHeader header;
  header.format = ImageFormat::Jpeg;
  header.width = uint32_t(width);
  header.height = uint32_t(height);
  header.color = colorspace != TJCS_GRAY;
  header.channels = colorspace == TJCS_GRAY                              ? 1
                    : colorspace == TJCS_CMYK || colorspace == TJCS_YCCK ? 4
                                                                         : 3;
  header.description = jpegDescription(colorspace);
  return std::move(header);
}

static Expected<TjHandle> jpegDecompressor(StringRef what) {
  TjHandle tj(tjInitDecompress());
  if (!tj)
    return imageError(what, Twine("cannot initialise libjpeg-turbo: ") +
                                tjGetErrorStr2(nullptr));
  return std::move(tj);
}

static Error decodeJpeg(ArrayRef<uint8_t> bytes, unsigned channels,
                        const ImageHeader &header, DecodedImage &image,
                        StringRef what) {
  Expected<TjHandle> tj = jpegDecompressor(what);
  if (!tj)
    return tj.takeError();
  if (header.channels == 4)
    return imageError(what, "is a CMYK JPEG; convert it to RGB or grayscale");
  image.w = header.width;
  image.h = header.height;
  std::vector<uint8_t> hwc(size_t(header.width) * header.height * channels);
  // Warnings (a truncated file, corrupt entropy data) are errors too: the
  // decoder would fill the missing part with gray.
  if (tjDecompress2(tj->get(), bytes.data(), bytes.size(), hwc.data(),
                    int(header.width), 0, int(header.height),
                    channels == 1 ? TJPF_GRAY : TJPF_RGB,
                    TJFLAG_ACCURATEDCT) != 0)
    return imageError(what,
                      Twine("corrupt JPEG: ") + tjGetErrorStr2(tj->get()));
  image.pixels = std::move(hwc);
  return Error::success();
}

//===----------------------------------------------------------------------===//
// Both formats
//===----------------------------------------------------------------------===//

Expected<ImageHeader> intc::host::readImageHeader(ArrayRef<uint8_t> bytes,
                                                  StringRef what) {
  switch (detectImageFormat(bytes)) {
  case ImageFormat::Png:
    return pngHeader(bytes, what);
  case ImageFormat::Jpeg: {
    Expected<TjHandle> tj = jpegDecompressor(what);
    if (!tj)
      return tj.takeError();
    return jpegHeader(tj->get(), bytes, what);
  }
  case ImageFormat::Unknown:
    break;
  }
  return imageError(what, "not a PNG or JPEG image (unrecognised magic "
                          "bytes)");
}

Expected<DecodedImage> intc::host::decodeImage(ArrayRef<uint8_t> bytes,
                                               unsigned channels,
                                               StringRef what) {
  if (channels != 1 && channels != 3)
    return imageError(what, "cannot decode to " + Twine(channels) +
                                " channels: images are read as 1 (grayscale) "
                                "or 3 (RGB) channels");
  Expected<ImageHeader> header = readImageHeader(bytes, what);
  if (!header)
    return header.takeError();
  if (channels == 1 && header->color)
    return imageError(what, "is " + header->description +
                                ", but model takes 1 channel");
  if (uint64_t(header->width) * header->height * channels >
      kMaxDecodedImageBytes)
    return imageError(what, "image is too large: " + Twine(header->width) +
                                "x" + Twine(header->height) + " pixels");

  DecodedImage image;
  Error err = header->format == ImageFormat::Png
                  ? decodePng(bytes, channels, image, what)
                  : decodeJpeg(bytes, channels, *header, image, what);
  if (err)
    return std::move(err);
  image.c = channels;
  if (channels > 1) {
    // Interleaved HWC to planar CHW.
    std::vector<uint8_t> chw(image.pixels.size());
    size_t plane = size_t(image.h) * image.w;
    for (size_t p = 0; p < plane; ++p)
      for (size_t ch = 0; ch < channels; ++ch)
        chw[ch * plane + p] = image.pixels[p * channels + ch];
    image.pixels = std::move(chw);
  }
  return std::move(image);
}

Expected<DecodedImage> intc::host::decodeImageFile(StringRef path,
                                                   unsigned channels) {
  Expected<std::unique_ptr<MemoryBuffer>> buffer =
      readRegularFile(path, kMaxDataFileBytes);
  if (!buffer)
    return buffer.takeError();
  ArrayRef<uint8_t> bytes(
      reinterpret_cast<const uint8_t *>((*buffer)->getBufferStart()),
      (*buffer)->getBufferSize());
  return decodeImage(bytes, channels, "'" + path.str() + "'");
}
