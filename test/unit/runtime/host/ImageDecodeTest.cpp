//===- ImageDecodeTest.cpp - PNG and JPEG decoding to CHW pixels ----------===//

#include "runtime/host/ImageDecode.h"

#include "ImageTestUtil.h"
#include "TestUtil.h"

#include "gtest/gtest.h"

#include <cstdlib>

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

/// 3×2 pixels: gray values 0, 10, ..., 50.
std::vector<uint8_t> grayRamp() { return {0, 10, 20, 30, 40, 50}; }

/// 3×2 RGB pixels (HWC): pixel p = (p, 100 + p, 200 + p).
std::vector<uint8_t> rgbRamp() {
  std::vector<uint8_t> out;
  for (uint8_t p = 0; p < 6; ++p)
    for (uint8_t base : {0, 100, 200})
      out.push_back(base + p);
  return out;
}

/// rgbRamp() in CHW.
std::vector<uint8_t> rgbRampChw() {
  std::vector<uint8_t> out;
  for (uint8_t base : {0, 100, 200})
    for (uint8_t p = 0; p < 6; ++p)
      out.push_back(base + p);
  return out;
}

void expectImage(llvm::Expected<DecodedImage> image, uint32_t c,
                 const std::vector<uint8_t> &pixels) {
  ASSERT_EXPECTED(image);
  EXPECT_EQ(image->c, c);
  EXPECT_EQ(image->w, 3u);
  EXPECT_EQ(image->h, 2u);
  EXPECT_EQ(image->pixels, pixels);
}

TEST(ImageDecode, DetectsFormatByMagic) {
  EXPECT_EQ(detectImageFormat(makePng(3, 2, 1, grayRamp())), ImageFormat::Png);
  EXPECT_EQ(detectImageFormat(makeJpeg(3, 2, 1, grayRamp())),
            ImageFormat::Jpeg);
  std::vector<uint8_t> gif = {'G', 'I', 'F', '8', '9', 'a'};
  EXPECT_EQ(detectImageFormat(gif), ImageFormat::Unknown);
  EXPECT_EQ(errorMessage(decodeImage(gif, 3, "'a.png'")),
            "'a.png': not a PNG or JPEG image (unrecognised magic bytes)");
}

TEST(ImageDecode, PngGray) {
  expectImage(decodeImage(makePng(3, 2, 1, grayRamp()), 1, "'g'"), 1,
              grayRamp());
  // Expanded to R = G = B for an RGB model.
  std::vector<uint8_t> ramp = grayRamp(), rgb = ramp;
  rgb.insert(rgb.end(), ramp.begin(), ramp.end());
  rgb.insert(rgb.end(), ramp.begin(), ramp.end());
  expectImage(decodeImage(makePng(3, 2, 1, grayRamp()), 3, "'g'"), 3, rgb);
}

TEST(ImageDecode, PngGrayAlphaDropsAlpha) {
  std::vector<uint8_t> ga;
  for (uint8_t v : grayRamp()) {
    ga.push_back(v);
    ga.push_back(v == 20 ? 0 : 128);
  }
  expectImage(decodeImage(makePng(3, 2, 2, ga), 1, "'ga'"), 1, grayRamp());
}

TEST(ImageDecode, PngRgbAndRgba) {
  expectImage(decodeImage(makePng(3, 2, 3, rgbRamp()), 3, "'c'"), 3,
              rgbRampChw());
  std::vector<uint8_t> rgba;
  std::vector<uint8_t> rgb = rgbRamp();
  for (size_t p = 0; p < 6; ++p) {
    rgba.insert(rgba.end(), rgb.begin() + 3 * p, rgb.begin() + 3 * p + 3);
    rgba.push_back(p == 2 ? 0 : 200); // Dropped when reading.
  }
  expectImage(decodeImage(makePng(3, 2, 4, rgba), 3, "'c'"), 3, rgbRampChw());
}

TEST(ImageDecode, PngPaletteIsLookedUp) {
  std::vector<uint8_t> palette = {255, 0, 0, 0, 255, 0, 0, 0, 255};
  std::vector<uint8_t> indices = {0, 1, 2, 2, 1, 0};
  llvm::Expected<DecodedImage> image =
      decodeImage(makePalettePng(3, 2, indices, palette), 3, "'p'");
  ASSERT_EXPECTED(image);
  std::vector<uint8_t> expected = {255, 0,   0,   0,   0,   255, // R
                                   0,   255, 0,   0,   255, 0,   // G
                                   0,   0,   255, 255, 0,   0};  // B
  EXPECT_EQ(image->pixels, expected);
  EXPECT_THAT(errorMessage(decodeImage(makePalettePng(3, 2, indices, palette),
                                       1, "'p.png'")),
              HasSubstr("'p.png': is a colour palette image (3 channels), but "
                        "model takes 1 channel"));
}

TEST(ImageDecode, PngInterlaced) {
  std::vector<uint8_t> pixels(13 * 11);
  for (size_t i = 0; i < pixels.size(); ++i)
    pixels[i] = uint8_t(i * 7);
  std::vector<uint8_t> png = makeInterlacedPng(13, 11, pixels);
  ASSERT_GT(png.size(), 28u);
  EXPECT_EQ(png[28], 1); // IHDR interlace method: Adam7.
  llvm::Expected<DecodedImage> image = decodeImage(png, 1, "'i.png'");
  ASSERT_EXPECTED(image);
  EXPECT_EQ(image->w, 13u);
  EXPECT_EQ(image->h, 11u);
  EXPECT_EQ(image->pixels, pixels);
}

TEST(ImageDecode, Png16BitIsScaledWithRounding) {
  std::vector<uint16_t> wide = {0, 65535, 257 * 100, 32767, 32768, 128};
  llvm::Expected<DecodedImage> image =
      decodeImage(makePng16(3, 2, wide), 1, "'w'");
  ASSERT_EXPECTED(image);
  // v * 255 / 65535 rounded: 0, 255, 100, 127.5 -> 127 or 128, 128, 0.
  EXPECT_EQ(image->pixels[0], 0);
  EXPECT_EQ(image->pixels[1], 255);
  EXPECT_EQ(image->pixels[2], 100);
  EXPECT_NEAR(image->pixels[3], 127.5, 0.5);
  EXPECT_EQ(image->pixels[4], 128);
  EXPECT_EQ(image->pixels[5], 0);
}

TEST(ImageDecode, ColourImageForAOneChannelModel) {
  EXPECT_EQ(
      errorMessage(
          decodeImage(makePng(3, 2, 3, rgbRamp()), 1, "'train/cat/1.png'")),
      "'train/cat/1.png': is RGB (3 channels), but model takes 1 channel");
  EXPECT_THAT(
      errorMessage(decodeImage(makeJpeg(3, 2, 3, rgbRamp()), 1, "'1.jpg'")),
      HasSubstr("'1.jpg': is RGB (3 channels), but model takes 1 "
                "channel"));
  EXPECT_THAT(errorMessage(decodeImage(makePng(3, 2, 1, grayRamp()), 4, "'g'")),
              HasSubstr("cannot decode to 4 channels"));
}

TEST(ImageDecode, JpegGrayAndRgb) {
  // Solid colours survive JPEG's lossy coding up to rounding.
  llvm::Expected<DecodedImage> gray =
      decodeImage(makeJpeg(16, 8, 1, solid(16, 8, 1, {77})), 1, "'g.jpg'");
  ASSERT_EXPECTED(gray);
  EXPECT_EQ(gray->c, 1u);
  EXPECT_EQ(gray->w, 16u);
  EXPECT_EQ(gray->h, 8u);
  for (uint8_t v : gray->pixels)
    EXPECT_NEAR(v, 77, 1);

  llvm::Expected<DecodedImage> rgb = decodeImage(
      makeJpeg(16, 8, 3, solid(16, 8, 3, {200, 30, 90})), 3, "'c.jpg'");
  ASSERT_EXPECTED(rgb);
  EXPECT_EQ(rgb->c, 3u);
  const uint8_t want[] = {200, 30, 90};
  for (unsigned ch = 0; ch < 3; ++ch)
    for (size_t p = 0; p < 16 * 8; ++p)
      EXPECT_NEAR(rgb->pixels[ch * 16 * 8 + p], want[ch], 2);

  // A grayscale JPEG expands to three equal planes.
  llvm::Expected<DecodedImage> expanded =
      decodeImage(makeJpeg(16, 8, 1, solid(16, 8, 1, {77})), 3, "'g.jpg'");
  ASSERT_EXPECTED(expanded);
  EXPECT_EQ(expanded->pixels.size(), 3u * 16 * 8);
  EXPECT_EQ(expanded->pixels[0], gray->pixels[0]);
  EXPECT_EQ(expanded->pixels[2 * 16 * 8], gray->pixels[0]);
}

TEST(ImageDecode, HeaderOnly) {
  llvm::Expected<ImageHeader> png =
      readImageHeader(makePng(3, 2, 4, std::vector<uint8_t>(24)), "'a'");
  ASSERT_EXPECTED(png);
  EXPECT_EQ(png->format, ImageFormat::Png);
  EXPECT_EQ(png->width, 3u);
  EXPECT_EQ(png->height, 2u);
  EXPECT_EQ(png->channels, 4u);
  EXPECT_TRUE(png->color);
  EXPECT_EQ(png->description, "RGBA (4 channels)");
  llvm::Expected<ImageHeader> jpeg =
      readImageHeader(makeJpeg(3, 2, 1, grayRamp()), "'a'");
  ASSERT_EXPECTED(jpeg);
  EXPECT_EQ(jpeg->format, ImageFormat::Jpeg);
  EXPECT_EQ(jpeg->channels, 1u);
  EXPECT_FALSE(jpeg->color);
}

TEST(ImageDecode, TruncatedAndCorruptPng) {
  std::vector<uint8_t> png = makePng(16, 16, 3, solid(16, 16, 3, {1, 2, 3}));
  for (size_t keep : {size_t(4), size_t(20), png.size() / 2, png.size() - 20}) {
    SCOPED_TRACE(keep);
    std::vector<uint8_t> cut(png.begin(), png.begin() + keep);
    std::string msg = errorMessage(decodeImage(cut, 3, "'t.png'"));
    EXPECT_THAT(msg, HasSubstr("'t.png': "));
    EXPECT_THAT(msg, ::testing::AnyOf(HasSubstr("corrupt PNG"),
                                      HasSubstr("not a PNG or JPEG")));
  }
  std::vector<uint8_t> cut(png.begin(), png.begin() + png.size() / 2);
  EXPECT_THAT(errorMessage(decodeImage(cut, 3, "'t.png'")),
              HasSubstr("corrupt PNG: unexpected end of file (the PNG is "
                        "truncated)"));
  // A flipped byte in the header chunk fails its CRC.
  std::vector<uint8_t> bad = png;
  bad[20] ^= 0xff;
  EXPECT_THAT(errorMessage(decodeImage(bad, 3, "'c.png'")),
              HasSubstr("'c.png': corrupt PNG: "));
}

TEST(ImageDecode, TruncatedJpeg) {
  std::vector<uint8_t> pixels(32 * 32 * 3);
  for (size_t i = 0; i < pixels.size(); ++i)
    pixels[i] = uint8_t(i * 37 % 251);
  std::vector<uint8_t> jpeg = makeJpeg(32, 32, 3, pixels);
  std::vector<uint8_t> cut(jpeg.begin(), jpeg.begin() + jpeg.size() / 2);
  std::string msg = errorMessage(decodeImage(cut, 3, "'t.jpg'"));
  EXPECT_THAT(msg, HasSubstr("'t.jpg': corrupt JPEG: "));
  EXPECT_THAT(msg, HasSubstr("Premature end of JPEG file"));
  std::vector<uint8_t> header(jpeg.begin(), jpeg.begin() + 10);
  EXPECT_THAT(errorMessage(decodeImage(header, 3, "'h.jpg'")),
              HasSubstr("'h.jpg': corrupt JPEG: "));
}

TEST(ImageDecode, FileReaderNamesTheFile) {
  TempDir dir;
  std::string path = dir.file("a.png");
  writeFile(path, makePng(3, 2, 1, grayRamp()));
  expectImage(decodeImageFile(path, 1), 1, grayRamp());
  EXPECT_THAT(errorMessage(decodeImageFile(dir.file("none.png"), 1)),
              HasSubstr("none.png"));
}

} // namespace
