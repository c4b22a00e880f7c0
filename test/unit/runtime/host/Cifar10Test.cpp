//===- Cifar10Test.cpp - CIFAR-10 reader: synthetic and real files --------===//

#include "runtime/host/Cifar10.h"

#include "TestUtil.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Process.h"

#include "gtest/gtest.h"

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

/// \p n records whose labels and pixels are derived from \p seed.
std::vector<uint8_t> makeBatch(unsigned n, unsigned seed) {
  std::vector<uint8_t> bytes;
  for (unsigned i = 0; i < n; ++i) {
    bytes.push_back(uint8_t((seed + i) % 10));
    for (unsigned p = 0; p < kCifar10ImageBytes; ++p)
      bytes.push_back(uint8_t(seed * 31 + i * 7 + p));
  }
  return bytes;
}

/// A complete synthetic CIFAR-10 folder: batch k has k+1 records; odd batches
/// are xz compressed, to exercise both forms.
struct SyntheticCifar : ::testing::Test {
  TempDir dir;
  void SetUp() override {
    for (unsigned k = 0; k < 5; ++k) {
      std::string name = dir.file(cifar10Files(Split::Train)[k]);
      std::vector<uint8_t> batch = makeBatch(k + 1, k);
      if (k % 2)
        writeFile(name + ".xz", xz(batch));
      else
        writeFile(name, batch);
    }
    writeFile(dir.file("test_batch.bin.xz"), xz(makeBatch(4, 9)));
  }
};

TEST_F(SyntheticCifar, TrainConcatenatesBatchesInOrder) {
  Expected<ImageSet> set = loadCifar10(dir.path(), Split::Train);
  ASSERT_EXPECTED(set);
  EXPECT_EQ(set->n, 1u + 2 + 3 + 4 + 5);
  EXPECT_EQ(set->c, 3u);
  EXPECT_EQ(set->h, 32u);
  EXPECT_EQ(set->w, 32u);
  ASSERT_EQ(set->pixels.size(), size_t(15) * 3072);
  // Image 3 is record 0 of batch 2 (k = 2): label 2, pixel p = 62 + p.
  EXPECT_EQ(set->labels[3], 2);
  EXPECT_EQ(set->image(3)[0], uint8_t(62));
  // Green plane starts at offset 1024 (CHW order kept).
  EXPECT_EQ(set->image(3)[1024], uint8_t(62 + 1024));
  EXPECT_EQ(set->image(14)[5], uint8_t(4 * 31 + 4 * 7 + 5));
}

TEST_F(SyntheticCifar, Test) {
  Expected<ImageSet> set = loadCifar10(dir.path(), Split::Test);
  ASSERT_EXPECTED(set);
  EXPECT_EQ(set->n, 4u);
  EXPECT_EQ(set->labels, (std::vector<uint8_t>{9, 0, 1, 2}));
}

TEST_F(SyntheticCifar, MissingBatchIsNamed) {
  ASSERT_FALSE(llvm::sys::fs::remove(dir.file("data_batch_4.bin.xz")));
  std::string msg = errorMessage(loadCifar10(dir.path(), Split::Train));
  EXPECT_THAT(msg, HasSubstr(dir.file("data_batch_4.bin")));
  EXPECT_THAT(msg, HasSubstr("no such file"));
  EXPECT_THAT(msg, HasSubstr("data_batch_4.bin.xz"));
}

TEST_F(SyntheticCifar, PartialRecord) {
  std::vector<uint8_t> batch = makeBatch(2, 0);
  batch.resize(batch.size() - 100);
  writeFile(dir.file("data_batch_3.bin"), batch);
  std::string msg = errorMessage(loadCifar10(dir.path(), Split::Train));
  EXPECT_THAT(msg, HasSubstr(dir.file("data_batch_3.bin")));
  EXPECT_THAT(msg, HasSubstr("size 6046 is not a positive multiple of the "
                             "3073-byte CIFAR-10 record"));
}

TEST_F(SyntheticCifar, PartialRecordInXzSaysSo) {
  std::vector<uint8_t> batch = makeBatch(1, 0);
  batch.push_back(0);
  writeFile(dir.file("test_batch.bin.xz"), xz(batch));
  std::string msg = errorMessage(loadCifar10(dir.path(), Split::Test));
  EXPECT_THAT(msg, HasSubstr(dir.file("test_batch.bin.xz")));
  EXPECT_THAT(msg, HasSubstr("size 3074 (after xz decompression)"));
}

TEST_F(SyntheticCifar, EmptyFile) {
  writeFile(dir.file("data_batch_1.bin"), {});
  std::string msg = errorMessage(loadCifar10(dir.path(), Split::Train));
  EXPECT_THAT(msg, HasSubstr(dir.file("data_batch_1.bin")));
  EXPECT_THAT(msg, HasSubstr("size 0 is not a positive multiple"));
}

TEST_F(SyntheticCifar, LabelOutOfRange) {
  std::vector<uint8_t> batch = makeBatch(3, 0);
  batch[2 * kCifar10RecordBytes] = 10;
  writeFile(dir.file("data_batch_4.bin.xz"), xz(batch));
  std::string msg = errorMessage(loadCifar10(dir.path(), Split::Train));
  EXPECT_THAT(msg, HasSubstr(dir.file("data_batch_4.bin.xz")));
  EXPECT_THAT(msg, HasSubstr("label 10 of record 2"));
  EXPECT_THAT(msg, HasSubstr("expected 0..9"));
}

TEST_F(SyntheticCifar, CorruptXz) {
  std::vector<uint8_t> packed = xz(makeBatch(3, 0));
  for (size_t i = 30; i < 60; ++i)
    packed[i] ^= 0x33;
  writeFile(dir.file("test_batch.bin.xz"), packed);
  std::string msg = errorMessage(loadCifar10(dir.path(), Split::Test));
  EXPECT_THAT(msg, HasSubstr(dir.file("test_batch.bin.xz")));
  EXPECT_THAT(msg, HasSubstr("xz data"));
}

TEST_F(SyntheticCifar, FirstErrorInFileOrderWins) {
  writeFile(dir.file("data_batch_2.bin.xz"), {1, 2, 3});
  writeFile(dir.file("data_batch_5.bin.xz"), {1, 2, 3});
  std::string msg = errorMessage(loadCifar10(dir.path(), Split::Train));
  EXPECT_THAT(msg, HasSubstr("data_batch_2.bin.xz"));
  EXPECT_THAT(msg, ::testing::Not(HasSubstr("data_batch_5")));
}

/// Counts images per class.
std::vector<unsigned> classCounts(const ImageSet &set) {
  std::vector<unsigned> counts(kCifar10Classes);
  for (uint8_t label : set.labels)
    ++counts[label];
  return counts;
}

/// The shared copy (xz, JPEG-derived; see its README): 5,000 training and
/// 1,000 test images per class. lit passes $INTC_SHARED_DIR.
std::string realCifarDir() {
  if (std::optional<std::string> shared =
          llvm::sys::Process::GetEnv("INTC_SHARED_DIR"))
    return *shared + "/data/cifar10";
  return INTC_TEST_CIFAR10_DIR;
}

TEST(Cifar10Real, TestSplit) {
  std::string dir = realCifarDir();
  if (!llvm::sys::fs::exists(dir + "/test_batch.bin.xz") &&
      !llvm::sys::fs::exists(dir + "/test_batch.bin"))
    GTEST_SKIP() << "no CIFAR-10 copy in " << dir;
  Expected<ImageSet> set = loadCifar10(dir, Split::Test);
  ASSERT_EXPECTED(set);
  EXPECT_EQ(set->n, 10000u);
  EXPECT_EQ(set->pixels.size(), size_t(10000) * 3072);
  EXPECT_EQ(classCounts(*set), std::vector<unsigned>(10, 1000));
}

// Decompressing the five training files takes 5-7 s on a 2-core machine
// (about 2 s of xz per file, in parallel), which would push the suite past
// its 10 s budget, so it runs only with INTC_SLOW_TESTS=1. The test split
// above always runs and exercises the same code.
TEST(Cifar10Real, TrainSplit) {
  std::string dir = realCifarDir();
  if (!llvm::sys::fs::exists(dir + "/data_batch_1.bin.xz") &&
      !llvm::sys::fs::exists(dir + "/data_batch_1.bin"))
    GTEST_SKIP() << "no CIFAR-10 copy in " << dir;
  if (llvm::sys::Process::GetEnv("INTC_SLOW_TESTS").value_or("0") == "0")
    GTEST_SKIP() << "slow (full training set); set INTC_SLOW_TESTS=1 to run";
  Expected<ImageSet> set = loadCifar10(dir, Split::Train);
  ASSERT_EXPECTED(set);
  EXPECT_EQ(set->n, 50000u);
  EXPECT_EQ(set->pixels.size(), size_t(50000) * 3072);
  EXPECT_EQ(classCounts(*set), std::vector<unsigned>(10, 5000));
  // Not all one value: real images, decoded in the right places.
  unsigned distinct = 0;
  std::vector<bool> seen(256);
  for (size_t i = 0; i < 3072; ++i)
    if (!seen[set->pixels[i]]) {
      seen[set->pixels[i]] = true;
      ++distinct;
    }
  EXPECT_GT(distinct, 16u);
}

} // namespace
