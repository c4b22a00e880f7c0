//===- ArrayImagesTest.cpp - Shape and layout rules for array data --------===//

#include "runtime/host/ArrayImages.h"

#include "ArrayTestUtil.h"
#include "TestUtil.h"

#include "gtest/gtest.h"

#include <numeric>

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

InputSpec model(uint32_t c, uint32_t h, uint32_t w, uint32_t classes = 10) {
  return {"m", c, h, w, classes};
}

/// n samples of \p sample shape, elements 0, 1, 2, ... (mod 256).
IntArray counting(int64_t n, std::vector<int64_t> sample,
                  DType dtype = DType::U8) {
  std::vector<int64_t> shape = {n};
  shape.insert(shape.end(), sample.begin(), sample.end());
  int64_t count = n;
  for (int64_t d : sample)
    count *= d;
  std::vector<int64_t> values(count);
  for (int64_t i = 0; i < count; ++i)
    values[i] = i % 256;
  return makeArray(dtype, shape, values);
}

void expectLayout(llvm::Expected<SampleLayout> layout, uint32_t c, uint32_t h,
                  uint32_t w, bool nhwc) {
  ASSERT_EXPECTED(layout);
  EXPECT_EQ(layout->c, c);
  EXPECT_EQ(layout->h, h);
  EXPECT_EQ(layout->w, w);
  EXPECT_EQ(layout->nhwc, nhwc);
}

TEST(SampleLayout, ImageModels) {
  InputSpec rgb = model(3, 32, 32);
  expectLayout(resolveSampleLayout({3, 32, 32}, rgb, DataLayout::Auto, "'a'"),
               3, 32, 32, false);
  expectLayout(resolveSampleLayout({32, 32, 3}, rgb, DataLayout::Auto, "'a'"),
               3, 32, 32, true);
  expectLayout(resolveSampleLayout({32, 32, 3}, rgb, DataLayout::NHWC, "'a'"),
               3, 32, 32, true);
  expectLayout(resolveSampleLayout({3, 32, 32}, rgb, DataLayout::NCHW, "'a'"),
               3, 32, 32, false);
  InputSpec gray = model(1, 28, 28);
  expectLayout(resolveSampleLayout({28, 28}, gray, DataLayout::Auto, "'a'"), 1,
               28, 28, false);
  expectLayout(resolveSampleLayout({1, 28, 28}, gray, DataLayout::Auto, "'a'"),
               1, 28, 28, false);
  expectLayout(resolveSampleLayout({28, 28, 1}, gray, DataLayout::Auto, "'a'"),
               1, 28, 28, true);
  // Non-square images: H and W keep their places.
  expectLayout(
      resolveSampleLayout({8, 16, 3}, model(3, 8, 16), DataLayout::Auto, "'a'"),
      3, 8, 16, true);
}

TEST(SampleLayout, AmbiguousIsNchwUnlessForced) {
  InputSpec cube = model(4, 4, 4);
  expectLayout(resolveSampleLayout({4, 4, 4}, cube, DataLayout::Auto, "'a'"), 4,
               4, 4, false);
  expectLayout(resolveSampleLayout({4, 4, 4}, cube, DataLayout::NHWC, "'a'"), 4,
               4, 4, true);
}

TEST(SampleLayout, ForcedLayoutThatDoesNotFit) {
  InputSpec rgb = model(3, 32, 32);
  EXPECT_EQ(errorMessage(resolveSampleLayout({32, 32, 3}, rgb, DataLayout::NCHW,
                                             "'x.npz' x_train")),
            "'x.npz' x_train: samples are [32, 32, 3], but model 'm' takes [3, "
            "32, 32] in NCHW order (-data-layout=nchw)");
  EXPECT_THAT(errorMessage(resolveSampleLayout({3, 32, 32}, rgb,
                                               DataLayout::NHWC, "'a'")),
              HasSubstr("in NHWC order (-data-layout=nhwc)"));
}

TEST(SampleLayout, Mismatches) {
  EXPECT_EQ(
      errorMessage(resolveSampleLayout({3, 32, 32}, model(1, 28, 28),
                                       DataLayout::Auto, "'x.npz' x_train")),
      "'x.npz' x_train: samples are [3, 32, 32], but model 'm' takes [1, "
      "28, 28]");
  // (H, W) only for one-channel models; (F) never for an image model.
  EXPECT_THAT(errorMessage(resolveSampleLayout({32, 32}, model(3, 32, 32),
                                               DataLayout::Auto, "'a'")),
              HasSubstr("samples are [32, 32], but model 'm' takes [3, 32, "
                        "32]"));
  EXPECT_THAT(errorMessage(resolveSampleLayout({784}, model(1, 28, 28),
                                               DataLayout::Auto, "'a'")),
              HasSubstr("samples are [784]"));
  EXPECT_THAT(errorMessage(resolveSampleLayout({1, 1, 28, 28}, model(1, 28, 28),
                                               DataLayout::Auto, "'a'")),
              HasSubstr("samples are [1, 1, 28, 28]"));
}

TEST(SampleLayout, FlatModels) {
  InputSpec flat = model(784, 1, 1);
  // Features: F channels of 1x1.
  expectLayout(resolveSampleLayout({784}, flat, DataLayout::Auto, "'a'"), 784,
               1, 1, false);
  // Images of F elements, normalised per image channel.
  expectLayout(resolveSampleLayout({28, 28}, flat, DataLayout::Auto, "'a'"), 1,
               28, 28, false);
  expectLayout(resolveSampleLayout({1, 28, 28}, flat, DataLayout::Auto, "'a'"),
               1, 28, 28, false);
  expectLayout(resolveSampleLayout({28, 28, 1}, flat, DataLayout::NHWC, "'a'"),
               1, 28, 28, true);
  expectLayout(resolveSampleLayout({16, 16, 3}, model(768, 1, 1),
                                   DataLayout::NHWC, "'a'"),
               3, 16, 16, true);
  EXPECT_EQ(errorMessage(
                resolveSampleLayout({28, 27}, flat, DataLayout::Auto, "'a'")),
            "'a': samples are [28, 27], but model 'm' takes [784]");
  EXPECT_THAT(
      errorMessage(resolveSampleLayout({0, 28}, flat, DataLayout::Auto, "'a'")),
      HasSubstr("samples are [0, 28]"));
}

TEST(ImagesFromArray, CopiesNchwAndTransposesNhwc) {
  IntArray nchw = counting(2, {3, 2, 2});
  llvm::Expected<ImageSet> set =
      imagesFromArray(nchw, model(3, 2, 2), DataLayout::Auto, "'a'");
  ASSERT_EXPECTED(set);
  EXPECT_EQ(set->n, 2u);
  EXPECT_EQ(set->pixels, nchw.bytes);
  EXPECT_TRUE(set->labels.empty());

  // NHWC [2, 2, 2, 3]: pixel (y, x) channel ch of image n is at
  // n*12 + (y*2 + x)*3 + ch.
  IntArray nhwc = counting(2, {2, 2, 3});
  set = imagesFromArray(nhwc, model(3, 2, 2), DataLayout::Auto, "'a'");
  ASSERT_EXPECTED(set);
  EXPECT_EQ(set->c, 3u);
  for (int n = 0; n < 2; ++n)
    for (int ch = 0; ch < 3; ++ch)
      for (int p = 0; p < 4; ++p)
        EXPECT_EQ(set->pixels[n * 12 + ch * 4 + p], n * 12 + p * 3 + ch);
}

TEST(ImagesFromArray, Int8IsShiftedUint8AndOtherDTypesAreRefused) {
  IntArray array = makeArray(DType::I8, {1, 2, 2}, {-128, -1, 0, 127});
  llvm::Expected<ImageSet> set =
      imagesFromArray(array, model(1, 2, 2), DataLayout::Auto, "'a'");
  ASSERT_EXPECTED(set);
  // x - 128 (ALGORITHM.md §7) gives the int8 values back.
  EXPECT_EQ(set->pixels, (std::vector<uint8_t>{0, 127, 128, 255}));

  IntArray wide = makeArray(DType::I16, {1, 2, 2}, {0, 1, 2, 3});
  EXPECT_EQ(
      errorMessage(imagesFromArray(wide, model(1, 2, 2), DataLayout::Auto,
                                   "'x.npz' x_train")),
      "'x.npz' x_train: images are int16; intc reads uint8 or int8 images "
      "(convert with .astype(numpy.uint8))");
  IntArray vector = makeArray(DType::U8, {4}, {0, 1, 2, 3});
  EXPECT_THAT(errorMessage(imagesFromArray(vector, model(1, 2, 2),
                                           DataLayout::Auto, "'a'")),
              HasSubstr("shape [4] holds no samples of [1, 2, 2]"));
}

TEST(LabelsFromArray, AnyIntegerDTypeInRange) {
  for (DType dtype : allDTypes()) {
    SCOPED_TRACE(dtypeName(dtype).str());
    llvm::Expected<std::vector<uint8_t>> labels = labelsFromArray(
        makeArray(dtype, {3}, {0, 9, 5}), model(1, 2, 2), 3, "'y'");
    ASSERT_EXPECTED(labels);
    EXPECT_EQ(*labels, (std::vector<uint8_t>{0, 9, 5}));
  }
  EXPECT_EQ(errorMessage(labelsFromArray(makeArray(DType::I32, {3}, {0, -1, 5}),
                                         model(1, 2, 2), 3, "'y'")),
            "'y': label -1 of sample 1 is out of range: model 'm' has 10 "
            "classes (0..9)");
  EXPECT_THAT(
      errorMessage(labelsFromArray(makeArray(DType::U8, {3}, {0, 10, 5}),
                                   model(1, 2, 2), 3, "'y'")),
      HasSubstr("label 10 of sample 1"));
  EXPECT_THAT(errorMessage(labelsFromArray(makeArray(DType::U8, {2}, {0, 1}),
                                           model(1, 2, 2), 3, "'y'")),
              HasSubstr("'y': 2 labels for 3 images"));
  EXPECT_THAT(
      errorMessage(labelsFromArray(makeArray(DType::U8, {3, 1}, {0, 1, 2}),
                                   model(1, 2, 2), 3, "'y'")),
      HasSubstr("labels have shape [3, 1], expected a 1-D array"));
  // A uint64 above INT64_MAX is out of range, not negative.
  IntArray huge = makeArray(DType::U64, {1}, {-1});
  EXPECT_THAT(errorMessage(labelsFromArray(huge, model(1, 2, 2), 1, "'y'")),
              HasSubstr("is out of range"));
}

} // namespace
