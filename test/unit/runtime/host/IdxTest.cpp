//===- IdxTest.cpp - IDX reader: good files and every corruption ----------===//

#include "runtime/host/Idx.h"

#include "TestUtil.h"

#include "llvm/Support/FileSystem.h"

#include "gtest/gtest.h"

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

/// 3 images of 2×4 pixels and their labels.
struct SmallIdx : ::testing::Test {
  std::vector<uint8_t> pixels = std::vector<uint8_t>(3 * 2 * 4);
  std::vector<uint8_t> labels = {7, 0, 9};
  TempDir dir;
  std::string images = dir.file("images"), labelsPath = dir.file("labels");

  void SetUp() override {
    for (size_t i = 0; i < pixels.size(); ++i)
      pixels[i] = uint8_t(i * 11);
  }
  std::vector<uint8_t> imageFile() const {
    return makeIdx(kIdxImagesMagic, {3, 2, 4}, pixels);
  }
  std::vector<uint8_t> labelFile() const {
    return makeIdx(kIdxLabelsMagic, {3}, labels);
  }
  /// The error from loading after writing \p imageBytes / \p labelBytes.
  std::string loadError(const std::vector<uint8_t> &imageBytes,
                        const std::vector<uint8_t> &labelBytes) {
    writeFile(images, imageBytes);
    writeFile(labelsPath, labelBytes);
    return errorMessage(loadIdxPair(images, labelsPath, 10));
  }
};

void expectSet(const ImageSet &set, const std::vector<uint8_t> &pixels,
               const std::vector<uint8_t> &labels) {
  EXPECT_EQ(set.n, 3u);
  EXPECT_EQ(set.c, 1u);
  EXPECT_EQ(set.h, 2u);
  EXPECT_EQ(set.w, 4u);
  EXPECT_EQ(set.pixels, pixels);
  EXPECT_EQ(set.labels, labels);
  EXPECT_EQ(set.image(1).front(), pixels[8]);
}

TEST_F(SmallIdx, RawRoundTrip) {
  writeFile(images, imageFile());
  writeFile(labelsPath, labelFile());
  Expected<ImageSet> set = loadIdxPair(images, labelsPath, 10);
  ASSERT_EXPECTED(set);
  expectSet(*set, pixels, labels);
}

TEST_F(SmallIdx, GzipRoundTripFoundWithoutSuffix) {
  writeFile(images + ".gz", gzip(imageFile()));
  writeFile(labelsPath + ".gz", gzip(labelFile()));
  Expected<ImageSet> set = loadIdxPair(images, labelsPath, 10);
  ASSERT_EXPECTED(set);
  expectSet(*set, pixels, labels);
}

TEST_F(SmallIdx, GzipContentUnderARawName) {
  writeFile(images, gzip(imageFile()));
  writeFile(labelsPath, labelFile());
  Expected<ImageSet> set = loadIdxPair(images, labelsPath, 10);
  ASSERT_EXPECTED(set);
  expectSet(*set, pixels, labels);
}

TEST_F(SmallIdx, MissingFile) {
  writeFile(labelsPath, labelFile());
  std::string msg = errorMessage(loadIdxPair(images, labelsPath, 10));
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("no such file"));
}

TEST_F(SmallIdx, Truncated) {
  std::vector<uint8_t> cut = imageFile();
  cut.resize(cut.size() - 5);
  std::string msg = loadError(cut, labelFile());
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("truncated: expected 40 bytes, got 35"));
}

TEST_F(SmallIdx, TruncatedGzipNotesTheDecompressedSize) {
  std::vector<uint8_t> cut = imageFile();
  cut.resize(cut.size() - 5);
  std::string msg = loadError(gzip(cut), labelFile());
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg,
              HasSubstr("truncated: expected 40 bytes, got 35 (after gunzip)"));
}

TEST_F(SmallIdx, TruncatedHeader) {
  std::vector<uint8_t> cut = imageFile();
  cut.resize(9);
  std::string msg = loadError(cut, labelFile());
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("truncated: 9 bytes"));
  EXPECT_THAT(msg, HasSubstr("16-byte IDX header"));

  msg = loadError({0, 0}, labelFile());
  EXPECT_THAT(msg, HasSubstr("truncated: 2 bytes"));
}

TEST_F(SmallIdx, EmptyFile) {
  std::string msg = loadError({}, labelFile());
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("truncated: 0 bytes"));
}

TEST_F(SmallIdx, WrongMagic) {
  std::string msg =
      loadError(makeIdx(0x89504e47, {3, 2, 4}, pixels), labelFile());
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("not an IDX file: magic number 0x89504e47, "
                             "expected 0x00000803"));
}

TEST_F(SmallIdx, WrongDataType) {
  // 0x0D = float in the IDX spec.
  std::string msg =
      loadError(makeIdx(0x00000d03, {3, 2, 4}, pixels), labelFile());
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("unsupported IDX data type 0x0d"));
}

TEST_F(SmallIdx, WrongDimensionCount) {
  std::string msg = loadError(makeIdx(0x00000802, {3, 8}, pixels), labelFile());
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("wrong number of dimensions: 2"));

  // Labels and images swapped.
  msg = loadError(labelFile(), imageFile());
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("wrong number of dimensions: 1"));
}

TEST_F(SmallIdx, ZeroDimension) {
  std::string msg =
      loadError(makeIdx(kIdxImagesMagic, {3, 0, 4}, {}), labelFile());
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("dimension 1 of the IDX header is 0"));
}

TEST_F(SmallIdx, HugeDimensionsDoNotOverflow) {
  std::string msg = loadError(
      makeIdx(kIdxImagesMagic, {0xffffffff, 0xffffffff, 0xffffffff}, pixels),
      labelFile());
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("truncated: expected 18446744073709551615"));
}

TEST_F(SmallIdx, TrailingBytes) {
  std::vector<uint8_t> longer = imageFile();
  longer.push_back(1);
  longer.push_back(2);
  std::string msg = loadError(longer, labelFile());
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("2 trailing bytes: expected 40 bytes, got 42"));
}

TEST_F(SmallIdx, CorruptGzip) {
  std::vector<uint8_t> packed = gzip(labelFile());
  packed[12] ^= 0xff;
  packed[13] ^= 0xff;
  std::string msg = loadError(imageFile(), packed);
  EXPECT_THAT(msg, HasSubstr(labelsPath));
  EXPECT_THAT(msg, HasSubstr("gzip data"));
}

TEST_F(SmallIdx, LabelOutOfRange) {
  labels[2] = 10;
  std::string msg = loadError(imageFile(), labelFile());
  EXPECT_THAT(msg, HasSubstr(labelsPath));
  EXPECT_THAT(msg, HasSubstr("label 10 of item 2 is out of range: expected "
                             "0..9"));
}

TEST_F(SmallIdx, CountMismatchNamesBothFiles) {
  labels.pop_back();
  std::string msg =
      loadError(imageFile(), makeIdx(kIdxLabelsMagic, {2}, labels));
  EXPECT_THAT(msg, HasSubstr(labelsPath));
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("count mismatch: 2 labels"));
  EXPECT_THAT(msg, HasSubstr("has 3 images"));
}

/// Checks one split of a real MNIST-format copy.
void checkRealSplit(const std::string &dir, const char *prefix,
                    uint32_t count) {
  std::string base = dir + "/" + prefix;
  Expected<ImageSet> set =
      loadIdxPair(base + "-images-idx3-ubyte", base + "-labels-idx1-ubyte", 10);
  ASSERT_EXPECTED(set);
  EXPECT_EQ(set->n, count);
  EXPECT_EQ(set->c, 1u);
  EXPECT_EQ(set->h, 28u);
  EXPECT_EQ(set->w, 28u);
  EXPECT_EQ(set->pixels.size(), size_t(count) * 784);
  ASSERT_EQ(set->labels.size(), count);
  std::vector<unsigned> perClass(10);
  for (uint8_t label : set->labels)
    ++perClass[label];
  for (unsigned n : perClass)
    EXPECT_GT(n, count / 20); // Every class is well represented.
}

TEST(IdxReal, Mnist) {
  const std::string dir = INTC_TEST_MNIST_DIR;
  if (!llvm::sys::fs::exists(dir + "/train-images-idx3-ubyte") &&
      !llvm::sys::fs::exists(dir + "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "no MNIST copy in " << dir;
  checkRealSplit(dir, "train", 60000);
  checkRealSplit(dir, "t10k", 10000);
}

TEST(IdxReal, FashionMnistGz) {
  const std::string dir = "/usr/share/datasets/fashion-mnist";
  if (!llvm::sys::fs::exists(dir + "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "no Fashion-MNIST copy in " << dir;
  checkRealSplit(dir, "train", 60000);
  checkRealSplit(dir, "t10k", 10000);
}

} // namespace
