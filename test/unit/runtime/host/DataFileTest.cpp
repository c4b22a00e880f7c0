//===- DataFileTest.cpp - Transparent gzip / xz decompression -------------===//

#include "runtime/host/DataFile.h"

#include "TestUtil.h"

#include "gtest/gtest.h"

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

std::vector<uint8_t> sample(size_t n) {
  std::vector<uint8_t> bytes(n);
  for (size_t i = 0; i < n; ++i)
    bytes[i] = uint8_t(i * 7 + i / 13);
  return bytes;
}

TEST(DataFile, RawGzipAndXzGiveTheSameBytes) {
  TempDir dir;
  std::vector<uint8_t> data = sample(100000);
  writeFile(dir.file("raw"), data);
  writeFile(dir.file("gz"), gzip(data));
  writeFile(dir.file("xz"), xz(data));
  for (auto [name, compression] : {std::make_pair("raw", Compression::None),
                                   std::make_pair("gz", Compression::Gzip),
                                   std::make_pair("xz", Compression::Xz)}) {
    Expected<DataFile> file = readDataFile(dir.file(name), {});
    ASSERT_EXPECTED(file);
    EXPECT_EQ(file->compression, compression) << name;
    EXPECT_EQ(file->bytes, data) << name;
  }
}

TEST(DataFile, DetectsCompressionByContentNotName) {
  TempDir dir;
  std::vector<uint8_t> data = sample(1000);
  // A raw file named .gz is read raw; a gzip file without suffix is unpacked.
  writeFile(dir.file("plain.gz"), data);
  writeFile(dir.file("packed"), gzip(data));
  Expected<DataFile> plain = readDataFile(dir.file("plain.gz"), {});
  ASSERT_EXPECTED(plain);
  EXPECT_EQ(plain->compression, Compression::None);
  EXPECT_EQ(plain->bytes, data);
  Expected<DataFile> packed = readDataFile(dir.file("packed"), {});
  ASSERT_EXPECTED(packed);
  EXPECT_EQ(packed->compression, Compression::Gzip);
  EXPECT_EQ(packed->bytes, data);
}

TEST(DataFile, FindsTheCompressedSibling) {
  TempDir dir;
  std::vector<uint8_t> data = sample(10);
  writeFile(dir.file("labels.gz"), gzip(data));
  Expected<DataFile> file = readDataFile(dir.file("labels"), {".gz"});
  ASSERT_EXPECTED(file);
  EXPECT_EQ(file->path, dir.file("labels.gz"));
  EXPECT_EQ(file->bytes, data);
}

TEST(DataFile, ConcatenatedGzipMembers) {
  TempDir dir;
  std::vector<uint8_t> a = sample(300), b = sample(500);
  std::vector<uint8_t> both = gzip(a), second = gzip(b);
  both.insert(both.end(), second.begin(), second.end());
  writeFile(dir.file("two.gz"), both);
  Expected<DataFile> file = readDataFile(dir.file("two.gz"), {});
  ASSERT_EXPECTED(file);
  std::vector<uint8_t> expected = a;
  expected.insert(expected.end(), b.begin(), b.end());
  EXPECT_EQ(file->bytes, expected);
}

TEST(DataFile, MissingFileNamesEveryPathTried) {
  TempDir dir;
  std::string msg = errorMessage(readDataFile(dir.file("nope"), {".gz"}));
  EXPECT_THAT(msg, HasSubstr(dir.file("nope")));
  EXPECT_THAT(msg, HasSubstr("no such file"));
  EXPECT_THAT(msg, HasSubstr(dir.file("nope.gz")));
}

TEST(DataFile, DirectoryIsAnError) {
  TempDir dir;
  std::string msg = errorMessage(readDataFile(dir.path(), {}));
  EXPECT_THAT(msg, HasSubstr(dir.path()));
  EXPECT_THAT(msg, HasSubstr("is a directory"));
}

TEST(DataFile, CorruptGzip) {
  TempDir dir;
  std::vector<uint8_t> packed = gzip(sample(50000));
  for (size_t i = 20; i < 60; ++i)
    packed[i] ^= 0x5a;
  writeFile(dir.file("bad.gz"), packed);
  std::string msg = errorMessage(readDataFile(dir.file("bad.gz"), {}));
  EXPECT_THAT(msg, HasSubstr(dir.file("bad.gz")));
  EXPECT_THAT(msg, HasSubstr("corrupt gzip data"));
}

TEST(DataFile, TruncatedGzip) {
  TempDir dir;
  std::vector<uint8_t> packed = gzip(sample(50000));
  packed.resize(packed.size() / 2);
  writeFile(dir.file("cut.gz"), packed);
  std::string msg = errorMessage(readDataFile(dir.file("cut.gz"), {}));
  EXPECT_THAT(msg, HasSubstr(dir.file("cut.gz")));
  EXPECT_THAT(msg, HasSubstr("truncated gzip data"));
}

TEST(DataFile, GarbageAfterGzip) {
  TempDir dir;
  std::vector<uint8_t> packed = gzip(sample(100));
  packed.push_back('x');
  packed.push_back('y');
  writeFile(dir.file("tail.gz"), packed);
  std::string msg = errorMessage(readDataFile(dir.file("tail.gz"), {}));
  EXPECT_THAT(msg, HasSubstr(dir.file("tail.gz")));
  EXPECT_THAT(msg, HasSubstr("2 bytes of garbage"));
}

TEST(DataFile, CorruptAndTruncatedXz) {
  TempDir dir;
  std::vector<uint8_t> packed = xz(sample(50000));
  std::vector<uint8_t> cut(packed.begin(), packed.begin() + packed.size() / 2);
  writeFile(dir.file("cut.xz"), cut);
  std::string msg = errorMessage(readDataFile(dir.file("cut.xz"), {}));
  EXPECT_THAT(msg, HasSubstr(dir.file("cut.xz")));
  EXPECT_THAT(msg, HasSubstr("truncated xz data"));

  for (size_t i = 40; i < 80; ++i)
    packed[i] ^= 0xa5;
  writeFile(dir.file("bad.xz"), packed);
  msg = errorMessage(readDataFile(dir.file("bad.xz"), {}));
  EXPECT_THAT(msg, HasSubstr(dir.file("bad.xz")));
  EXPECT_THAT(msg, HasSubstr("corrupt xz data"));
}

TEST(DataFile, SizeLimit) {
  TempDir dir;
  std::vector<uint8_t> zeros(1 << 20, 0);
  writeFile(dir.file("bomb.gz"), gzip(zeros));
  writeFile(dir.file("bomb.xz"), xz(zeros));
  writeFile(dir.file("big"), zeros);
  for (const char *name : {"bomb.gz", "bomb.xz", "big"}) {
    std::string msg =
        errorMessage(readDataFile(dir.file(name), {}, /*maxBytes=*/1000));
    EXPECT_THAT(msg, HasSubstr(dir.file(name)));
    EXPECT_THAT(msg, HasSubstr("limit")) << name;
  }
  // Exactly at the limit is fine.
  Expected<DataFile> exact = readDataFile(dir.file("bomb.gz"), {}, 1 << 20);
  ASSERT_EXPECTED(exact);
  EXPECT_EQ(exact->bytes.size(), size_t(1) << 20);
}

} // namespace
