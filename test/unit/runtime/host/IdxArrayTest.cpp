//===- IdxArrayTest.cpp - IDX of any rank and type, and IDX folders -------===//

#include "runtime/host/ArrayDatasets.h"
#include "runtime/host/Idx.h"

#include "TestUtil.h"

#include "llvm/Support/FileSystem.h"

#include "gtest/gtest.h"

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

uint32_t magic(uint8_t type, uint8_t rank) {
  return uint32_t(type) << 8 | rank;
}

TEST(IdxArray, TypesAreBigEndianInTheFile) {
  // int8, rank 1.
  llvm::Expected<IntArray> array =
      parseIdxArray(makeIdx(magic(0x09, 1), {3}, {0xff, 0x80, 0x7f}), "'a'");
  ASSERT_EXPECTED(array);
  EXPECT_EQ(array->dtype, DType::I8);
  EXPECT_EQ(array->element(0), -1);
  EXPECT_EQ(array->element(1), -128);
  // int16, rank 2.
  array = parseIdxArray(
      makeIdx(magic(0x0B, 2), {1, 2}, {0x12, 0x34, 0xff, 0xfe}), "'a'");
  ASSERT_EXPECTED(array);
  EXPECT_EQ(array->dtype, DType::I16);
  EXPECT_EQ(array->shape, (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(array->element(0), 0x1234);
  EXPECT_EQ(array->element(1), -2);
  // int32, rank 1.
  array = parseIdxArray(
      makeIdx(magic(0x0C, 1), {2}, {0, 0, 1, 0, 0xff, 0xff, 0xff, 0xf6}),
      "'a'");
  ASSERT_EXPECTED(array);
  EXPECT_EQ(array->dtype, DType::I32);
  EXPECT_EQ(array->element(0), 256);
  EXPECT_EQ(array->element(1), -10);
  // uint8, rank 4 (N, H, W, C).
  std::vector<uint8_t> pixels(2 * 2 * 2 * 3);
  for (size_t i = 0; i < pixels.size(); ++i)
    pixels[i] = uint8_t(i);
  array = parseIdxArray(makeIdx(magic(0x08, 4), {2, 2, 2, 3}, pixels), "'a'");
  ASSERT_EXPECTED(array);
  EXPECT_EQ(array->shape, (std::vector<int64_t>{2, 2, 2, 3}));
  EXPECT_EQ(array->bytes, pixels);
}

// Found by intc-fuzz-idx (test/fuzz/reproducers/idx/zero-dim-overflow.idx):
// a zero dimension makes the file hold no data, so the reader accepts huge
// other dimensions, and numElements() multiplied them (signed overflow).
TEST(IdxArray, ZeroDimensionWithHugeOthersHasNoElements) {
  llvm::Expected<IntArray> array = parseIdxArray(
      makeIdx(magic(0x0B, 4), {0, 0xffffffff, 0xffffffff, 0xffffffff}, {}),
      "'a'");
  ASSERT_EXPECTED(array);
  EXPECT_EQ(array->numElements(), 0);
  EXPECT_TRUE(array->bytes.empty());
}

TEST(IdxArray, Errors) {
  EXPECT_EQ(errorMessage(parseIdxArray(
                makeIdx(magic(0x0D, 1), {1}, {0, 0, 0, 0}), "'f.idx'")),
            "'f.idx': IDX data type 0x0d (float32): intc is integer-only: "
            "convert to uint8 or int8");
  EXPECT_THAT(
      errorMessage(parseIdxArray(makeIdx(magic(0x0E, 1), {1}, {}), "'f'")),
      HasSubstr("0x0e (float64): intc is integer-only"));
  EXPECT_THAT(
      errorMessage(parseIdxArray(makeIdx(magic(0x0A, 1), {1}, {0}), "'f'")),
      HasSubstr("unsupported IDX data type 0x0a"));
  EXPECT_THAT(errorMessage(parseIdxArray(makeIdx(0x01020801, {1}, {0}), "'f'")),
              HasSubstr("not an IDX file"));
  EXPECT_THAT(
      errorMessage(parseIdxArray(makeIdx(magic(0x08, 0), {}, {}), "'f'")),
      HasSubstr("0 dimensions"));
  EXPECT_THAT(errorMessage(parseIdxArray(
                  makeIdx(magic(0x0B, 1), {2}, {0, 1, 2}), "'t.idx'")),
              HasSubstr("'t.idx': truncated: shape [2] needs 4 data bytes, the "
                        "file has 3"));
  EXPECT_THAT(
      errorMessage(parseIdxArray(makeIdx(magic(0x08, 1), {1}, {0, 1}), "'f'")),
      HasSubstr("1 trailing bytes"));
  std::vector<uint8_t> header = makeIdx(magic(0x08, 3), {1, 2}, {});
  EXPECT_THAT(errorMessage(parseIdxArray(header, "'f'")),
              HasSubstr("too short for the 16-byte IDX header"));
  EXPECT_THAT(
      errorMessage(parseIdxArray(
          makeIdx(magic(0x08, 3), {0xffffffff, 0xffffffff, 0xffffffff}, {}),
          "'f'")),
      HasSubstr("is too large"));
}

TEST(IdxArray, FileMayBeGzipped) {
  TempDir dir;
  std::string path = dir.file("a.idx.gz");
  writeFile(path, gzip(makeIdx(magic(0x08, 1), {2}, {7, 8})));
  llvm::Expected<IntArray> array = readIdxArray(path);
  ASSERT_EXPECTED(array);
  EXPECT_EQ(array->element(1), 8);
}

/// An IDX folder of NHWC colour images (4, 2, 2, 3) and int16 labels.
struct IdxFolder : ::testing::Test {
  TempDir dir;
  InputSpec model{"m", 3, 2, 2, 5};

  void write(llvm::StringRef name, std::vector<uint8_t> bytes) {
    writeFile(dir.file(name), bytes);
  }
  void writeAll(llvm::StringRef testPrefix = "t10k") {
    std::vector<uint8_t> pixels(4 * 12);
    for (size_t i = 0; i < pixels.size(); ++i)
      pixels[i] = uint8_t(i);
    write("train-images-idx4-ubyte",
          makeIdx(magic(0x08, 4), {4, 2, 2, 3}, pixels));
    write("train-labels-idx1-short.gz",
          gzip(makeIdx(magic(0x0B, 1), {4}, {0, 4, 0, 1, 0, 2, 0, 3})));
    write((testPrefix + "-images.idx").str(),
          makeIdx(magic(0x08, 4), {1, 2, 2, 3}, std::vector<uint8_t>(12, 9)));
    write((testPrefix + "-labels.idx").str(),
          makeIdx(magic(0x08, 1), {1}, {4}));
  }
};

TEST_F(IdxFolder, ReadsAnyNamesAndLayouts) {
  writeAll();
  write(".train-images-hidden", {1, 2, 3});
  EXPECT_TRUE(looksLikeIdxFolder(dir.path()));
  llvm::Expected<Dataset> data =
      loadIdxFolder(dir.path(), model, DataLayout::Auto);
  ASSERT_EXPECTED(data);
  EXPECT_EQ(data->train.n, 4u);
  EXPECT_EQ(data->train.c, 3u);
  EXPECT_EQ(data->train.labels, (std::vector<uint8_t>{4, 1, 2, 3}));
  // NHWC was transposed: channel 1 of image 0 holds elements 1, 4, 7, 10.
  EXPECT_EQ(data->train.pixels[4], 1);
  EXPECT_EQ(data->train.pixels[5], 4);
  EXPECT_EQ(data->test.labels, (std::vector<uint8_t>{4}));
}

TEST_F(IdxFolder, TestPrefixAlsoWorks) {
  writeAll("test");
  ASSERT_EXPECTED(loadIdxFolder(dir.path(), model, DataLayout::Auto));
}

TEST_F(IdxFolder, MissingAndAmbiguousFiles) {
  writeAll();
  llvm::sys::fs::remove(dir.file("t10k-labels.idx"));
  EXPECT_THAT(errorMessage(findIdxFiles(dir.path())),
              HasSubstr("'" + dir.path() +
                        "': no file matching t10k-labels* or test-labels*"));
  writeAll();
  write("test-labels-copy", makeIdx(magic(0x08, 1), {1}, {4}));
  EXPECT_THAT(errorMessage(findIdxFiles(dir.path())),
              HasSubstr("2 files match t10k-labels* or test-labels*: "
                        "t10k-labels.idx, test-labels-copy (keep one)"));
}

TEST_F(IdxFolder, ShapeAndLabelErrorsNameTheFile) {
  writeAll();
  InputSpec gray{"m", 1, 2, 2, 5};
  EXPECT_THAT(errorMessage(loadIdxFolder(dir.path(), gray, DataLayout::Auto)),
              HasSubstr("train-images-idx4-ubyte': samples are [2, 2, 3], but "
                        "model 'm' takes [1, 2, 2]"));
  InputSpec fewer{"m", 3, 2, 2, 4};
  EXPECT_THAT(
      errorMessage(loadIdxFolder(dir.path(), fewer, DataLayout::Auto)),
      HasSubstr("train-labels-idx1-short.gz': label 4 of sample 0 is out "
                "of range"));
  EXPECT_THAT(errorMessage(loadIdxFolder(dir.path(), model, DataLayout::NCHW)),
              HasSubstr("(-data-layout=nchw)"));
}

} // namespace
