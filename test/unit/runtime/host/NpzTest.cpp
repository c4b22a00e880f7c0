//===- NpzTest.cpp - .npz archives and .npz datasets ----------------------===//

#include "runtime/host/Npz.h"
#include "runtime/host/ArrayDatasets.h"
#include "runtime/host/Npy.h"

#include "ArrayTestUtil.h"
#include "TestUtil.h"

#include "gtest/gtest.h"

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

using Members = std::vector<std::pair<std::string, std::vector<uint8_t>>>;

InputSpec model(uint32_t c, uint32_t h, uint32_t w, uint32_t classes = 4) {
  return {"m", c, h, w, classes};
}

/// A dataset of 6 train and 3 test 1×2×2 images, labels i % 4.
Members datasetMembers() {
  std::vector<int64_t> trainPixels, testPixels, trainLabels, testLabels;
  for (int i = 0; i < 6 * 4; ++i)
    trainPixels.push_back(i * 10 % 256);
  for (int i = 0; i < 3 * 4; ++i)
    testPixels.push_back(255 - i);
  for (int i = 0; i < 6; ++i)
    trainLabels.push_back(i % 4);
  for (int i = 0; i < 3; ++i)
    testLabels.push_back(3 - i);
  return {
      {"x_train.npy", writeNpy(makeArray(DType::U8, {6, 2, 2}, trainPixels))},
      {"y_train.npy", writeNpy(makeArray(DType::I64, {6}, trainLabels))},
      {"x_test.npy", writeNpy(makeArray(DType::U8, {3, 2, 2}, testPixels))},
      {"y_test.npy", writeNpy(makeArray(DType::U8, {3}, testLabels))},
  };
}

TEST(Npz, StoredAndDeflatedMembers) {
  TempDir dir;
  for (bool deflate : {false, true}) {
    SCOPED_TRACE(deflate);
    std::string path = dir.file(deflate ? "d.npz" : "s.npz");
    writeZip(path, datasetMembers(), deflate);
    llvm::Expected<std::map<std::string, IntArray>> arrays = readNpz(path);
    ASSERT_EXPECTED(arrays);
    ASSERT_EQ(arrays->size(), 4u);
    EXPECT_EQ(arrays->at("x_train").shape, (std::vector<int64_t>{6, 2, 2}));
    EXPECT_EQ(arrays->at("y_train").dtype, DType::I64);
    EXPECT_EQ(arrays->at("x_test").element(0), 255);

    llvm::Expected<Dataset> data =
        loadNpzDataset(path, model(1, 2, 2), DataLayout::Auto);
    ASSERT_EXPECTED(data);
    EXPECT_EQ(data->train.n, 6u);
    EXPECT_EQ(data->train.c, 1u);
    EXPECT_EQ(data->train.h, 2u);
    EXPECT_EQ(data->train.labels, (std::vector<uint8_t>{0, 1, 2, 3, 0, 1}));
    EXPECT_EQ(data->test.labels, (std::vector<uint8_t>{3, 2, 1}));
    EXPECT_EQ(data->test.pixels[1], 254);
    EXPECT_TRUE(data->classNames.empty());
  }
}

TEST(Npz, ArchiveKeysAndMembers) {
  TempDir dir;
  std::string path = dir.file("a.npz");
  writeZip(path,
           {{"b.npy", writeNpy(makeArray(DType::U8, {1}, {1}))},
            {"a.npy", writeNpy(makeArray(DType::U8, {1}, {2}))},
            {"raw", {1, 2, 3}}},
           true);
  llvm::Expected<NpzArchive> npz = NpzArchive::open(path);
  ASSERT_EXPECTED(npz);
  EXPECT_EQ(npz->keys().vec(), (std::vector<std::string>{"b", "a", "raw"}));
  EXPECT_TRUE(npz->contains("a"));
  EXPECT_EQ(npz->describe("a"), "'" + path + "' a");
  llvm::Expected<std::vector<uint8_t>> raw = npz->readMember("raw");
  ASSERT_EXPECTED(raw);
  EXPECT_EQ(*raw, (std::vector<uint8_t>{1, 2, 3}));
  EXPECT_THAT(errorMessage(npz->readMember("c")),
              HasSubstr("has no array 'c' (it has: b, a, raw)"));
  EXPECT_THAT(errorMessage(npz->readArray("raw")),
              HasSubstr("'" + path + "' raw: not a .npy array"));
}

TEST(Npz, MissingKeyListsTheKeysPresent) {
  TempDir dir;
  std::string path = dir.file("m.npz");
  Members members = datasetMembers();
  members.pop_back(); // y_test
  members.push_back(
      {"labels.npy", writeNpy(makeArray(DType::U8, {3}, {0, 1, 2}))});
  writeZip(path, members, false);
  std::string msg =
      errorMessage(loadNpzDataset(path, model(1, 2, 2), DataLayout::Auto));
  EXPECT_THAT(msg, HasSubstr("'" + path + "': missing array y_test"));
  EXPECT_THAT(msg, HasSubstr("this one has: x_train, y_train, x_test, labels"));
}

TEST(Npz, NotAZip) {
  TempDir dir;
  std::string path = dir.file("x.npz");
  writeFile(path, writeNpy(makeArray(DType::U8, {1}, {1})));
  std::string msg = errorMessage(NpzArchive::open(path));
  EXPECT_THAT(msg, HasSubstr("'" + path + "': not a valid .npz (zip) archive"));
  EXPECT_THAT(msg, HasSubstr("Not a zip archive"));
  EXPECT_THAT(errorMessage(NpzArchive::open(dir.file("none.npz"))),
              HasSubstr("none.npz"));
  EXPECT_THAT(errorMessage(NpzArchive::open(dir.path())),
              HasSubstr("is a directory"));
}

/// Flips bytes in the middle of the only member's data.
std::vector<uint8_t> corruptMember(std::vector<uint8_t> zip,
                                   size_t memberSize) {
  // The local header is 30 bytes plus the name; damage well inside the data.
  for (size_t i = 60; i < 60 + memberSize / 4 && i < zip.size(); ++i)
    zip[i] ^= 0x5a;
  return zip;
}

TEST(Npz, CorruptMember) {
  TempDir dir;
  std::vector<int64_t> values(4096);
  for (size_t i = 0; i < values.size(); ++i)
    values[i] = int64_t(i * 7 % 251);
  std::vector<uint8_t> npy = writeNpy(makeArray(DType::U8, {4096}, values));
  for (bool deflate : {false, true}) {
    SCOPED_TRACE(deflate);
    std::string path = dir.file("c.npz");
    writeZip(path, {{"a.npy", npy}}, deflate);
    writeFile(path, corruptMember(readFile(path), 1000));
    llvm::Expected<NpzArchive> npz = NpzArchive::open(path);
    ASSERT_EXPECTED(npz);
    std::string msg = errorMessage(npz->readArray("a"));
    EXPECT_THAT(msg, HasSubstr("'" + path + "': array 'a' is corrupt"));
  }
}

TEST(Npz, ClassNamesAndLimits) {
  TempDir dir;
  std::string path = dir.file("n.npz");
  Members members = datasetMembers();
  std::vector<uint8_t> names = {'a', 0, 'b', 0, 'c', 0};
  members.push_back(
      {"class_names.npy",
       npyWithHeader(
           1, "{'descr': '|S2', 'fortran_order': False, 'shape': (3,), }",
           names)});
  writeZip(path, members, true);
  llvm::Expected<Dataset> data =
      loadNpzDataset(path, model(1, 2, 2), DataLayout::Auto);
  ASSERT_EXPECTED(data);
  EXPECT_EQ(data->classNames, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_THAT(
      errorMessage(loadNpzDataset(path, model(1, 2, 2, 2), DataLayout::Auto)),
      HasSubstr("y_train: label 2 of sample 2 is out of range: model 'm' has "
                "2 classes (0..1)"));
}

TEST(Npz, DecompressedSizeIsBounded) {
  TempDir dir;
  std::string path = dir.file("big.npz");
  // Zeros deflate to almost nothing: the file is small, its members are not.
  std::vector<int64_t> zeros(3000, 0);
  writeZip(path,
           {{"a.npy", writeNpy(makeArray(DType::U8, {3000}, zeros))},
            {"b.npy", writeNpy(makeArray(DType::U8, {3000}, zeros))},
            {"c.npy", writeNpy(makeArray(DType::U8, {9000},
                                         std::vector<int64_t>(9000, 0)))}},
           true);
  llvm::Expected<NpzArchive> npz = NpzArchive::open(path, 5000);
  ASSERT_EXPECTED(npz);
  EXPECT_THAT(errorMessage(npz->readMember("c")),
              HasSubstr("array 'c' is 9128 bytes uncompressed, over the limit "
                        "of 5000 bytes left for this archive"));
  llvm::Expected<std::vector<uint8_t>> a = npz->readMember("a");
  ASSERT_EXPECTED(a);
  EXPECT_EQ(a->size(), 3128u);
  EXPECT_THAT(errorMessage(npz->readMember("b")),
              HasSubstr("over the limit of 1872 bytes left"));
}

TEST(Npz, ShapeErrorNamesFileMemberAndShapes) {
  TempDir dir;
  std::string path = dir.file("x.npz");
  writeZip(path, datasetMembers(), true);
  EXPECT_THAT(
      errorMessage(loadNpzDataset(path, model(1, 28, 28), DataLayout::Auto)),
      HasSubstr("'" + path +
                "' x_train: samples are [2, 2], but model 'm' takes [1, 28, "
                "28]"));
}

} // namespace
