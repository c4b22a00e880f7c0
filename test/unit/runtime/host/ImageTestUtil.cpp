//===- ImageTestUtil.cpp - Writers of PNG and JPEG test images ------------===//

#include "ImageTestUtil.h"

#include "gtest/gtest.h"

#include <cstring>
#include <png.h>
#include <turbojpeg.h>

using namespace llvm;

namespace intc::host::test {

/// png_image_write_to_memory for \p format; \p colormap may be null.
static std::vector<uint8_t> writePng(png_image &image, const void *pixels,
                                     const void *colormap) {
  png_alloc_size_t size = 0;
  EXPECT_TRUE(
      png_image_write_to_memory(&image, nullptr, &size, 0, pixels, 0, colormap))
      << image.message;
  std::vector<uint8_t> out(size);
  EXPECT_TRUE(png_image_write_to_memory(&image, out.data(), &size, 0, pixels, 0,
                                        colormap))
      << image.message;
  out.resize(size);
  png_image_free(&image);
  return out;
}

static png_image newImage(uint32_t width, uint32_t height, uint32_t format) {
  png_image image;
  std::memset(&image, 0, sizeof(image));
  image.version = PNG_IMAGE_VERSION;
  image.width = width;
  image.height = height;
  image.format = format;
  return image;
}

std::vector<uint8_t> makePng(uint32_t width, uint32_t height, unsigned channels,
                             ArrayRef<uint8_t> pixels) {
  static const uint32_t formats[] = {PNG_FORMAT_GRAY, PNG_FORMAT_GA,
                                     PNG_FORMAT_RGB, PNG_FORMAT_RGBA};
  EXPECT_EQ(pixels.size(), size_t(width) * height * channels);
  png_image image = newImage(width, height, formats[channels - 1]);
  return writePng(image, pixels.data(), nullptr);
}

std::vector<uint8_t> makePng16(uint32_t width, uint32_t height,
                               ArrayRef<uint16_t> pixels) {
  png_image image = newImage(width, height, PNG_FORMAT_LINEAR_Y);
  return writePng(image, pixels.data(), nullptr);
}

std::vector<uint8_t> makePalettePng(uint32_t width, uint32_t height,
                                    ArrayRef<uint8_t> indices,
                                    ArrayRef<uint8_t> palette) {
  png_image image = newImage(width, height, PNG_FORMAT_RGB_COLORMAP);
  image.colormap_entries = palette.size() / 3;
  return writePng(image, indices.data(), palette.data());
}

extern "C" {
static void appendPngBytes(png_structp png, png_bytep data, size_t size) {
  auto *out = static_cast<std::vector<uint8_t> *>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + size);
}
static void flushNothing(png_structp) {}
}

/// The classic libpng writer; plain data only between setjmp and longjmp.
static bool writeInterlaced(uint32_t width, uint32_t height,
                            const uint8_t *pixels, std::vector<uint8_t> *out) {
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  png_set_write_fn(png, out, appendPngBytes, flushNothing);
  png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_GRAY,
               PNG_INTERLACE_ADAM7, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  int passes = png_set_interlace_handling(png);
  for (int pass = 0; pass < passes; ++pass)
    for (uint32_t y = 0; y < height; ++y)
      png_write_row(png, pixels + size_t(y) * width);
  png_write_end(png, info);
  png_destroy_write_struct(&png, &info);
  return true;
}

std::vector<uint8_t> makeInterlacedPng(uint32_t width, uint32_t height,
                                       ArrayRef<uint8_t> pixels) {
  std::vector<uint8_t> out;
  EXPECT_TRUE(writeInterlaced(width, height, pixels.data(), &out));
  return out;
}

std::vector<uint8_t> makeJpeg(uint32_t width, uint32_t height,
                              unsigned channels, ArrayRef<uint8_t> pixels) {
  tjhandle tj = tjInitCompress();
  unsigned char *jpeg = nullptr;
  unsigned long size = 0;
  EXPECT_EQ(tjCompress2(tj, pixels.data(), int(width), 0, int(height),
                        channels == 1 ? TJPF_GRAY : TJPF_RGB, &jpeg, &size,
                        channels == 1 ? TJSAMP_GRAY : TJSAMP_444, 100,
                        TJFLAG_ACCURATEDCT),
            0)
      << tjGetErrorStr2(tj);
  std::vector<uint8_t> out(jpeg, jpeg + size);
  tjFree(jpeg);
  tjDestroy(tj);
  return out;
}

std::vector<uint8_t> solid(uint32_t width, uint32_t height, unsigned channels,
                           ArrayRef<uint8_t> value) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i < size_t(width) * height; ++i)
    for (unsigned c = 0; c < channels; ++c)
      out.push_back(value[c % value.size()]);
  return out;
}

} // namespace intc::host::test
