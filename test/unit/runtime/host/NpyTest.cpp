//===- NpyTest.cpp - .npy reader: every dtype, header form and corruption -===//

#include "runtime/host/Npy.h"

#include "ArrayTestUtil.h"
#include "TestUtil.h"

#include "gtest/gtest.h"

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

std::vector<uint8_t> bytesOf(std::initializer_list<int> values) {
  std::vector<uint8_t> out;
  for (int v : values)
    out.push_back(uint8_t(v));
  return out;
}

std::string dictFor(llvm::StringRef descr, llvm::StringRef shape,
                    bool fortran = false) {
  return ("{'descr': '" + descr + "', 'fortran_order': " +
          (fortran ? "True" : "False") + ", 'shape': " + shape + ", }")
      .str();
}

TEST(Npy, EveryIntegerDTypeLittleAndBigEndian) {
  struct Case {
    const char *descr;
    DType dtype;
    std::vector<uint8_t> data; // Two elements as stored.
    int64_t first, second;
  };
  const Case cases[] = {
      {"|u1", DType::U8, bytesOf({0, 255}), 0, 255},
      {"|i1", DType::I8, bytesOf({0x80, 0x7f}), -128, 127},
      {"|b1", DType::U8, bytesOf({1, 0}), 1, 0},
      {"<u2", DType::U16, bytesOf({0x34, 0x12, 0xff, 0xff}), 0x1234, 65535},
      {">u2", DType::U16, bytesOf({0x12, 0x34, 0, 1}), 0x1234, 1},
      {"<i2", DType::I16, bytesOf({0xfe, 0xff, 0, 0x80}), -2, -32768},
      {">i2", DType::I16, bytesOf({0xff, 0xfe, 0x7f, 0xff}), -2, 32767},
      {"<u4", DType::U32, bytesOf({1, 0, 0, 0, 0, 0, 0, 0x80}), 1,
       int64_t(0x80000000)},
      {">u4", DType::U32, bytesOf({0, 0, 0, 7, 0x80, 0, 0, 0}), 7,
       int64_t(0x80000000)},
      {"<i4", DType::I32, bytesOf({0xff, 0xff, 0xff, 0xff, 9, 0, 0, 0}), -1, 9},
      {">i4", DType::I32, bytesOf({0xff, 0xff, 0xff, 0xfd, 0, 0, 1, 0}), -3,
       256},
      {"<u8", DType::U64,
       bytesOf({5, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                0xff, 0xff}),
       5, INT64_MAX},
      {">u8", DType::U64,
       bytesOf({0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 1, 0}), 5, 256},
      {"<i8", DType::I64,
       bytesOf({0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0,
                0, 0, 0}),
       -5, 2},
      {">i8", DType::I64,
       bytesOf({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfb, 0, 0, 0, 0, 0,
                0, 0, 2}),
       -5, 2},
  };
  for (const Case &c : cases) {
    SCOPED_TRACE(c.descr);
    llvm::Expected<IntArray> array =
        readNpy(npyWithHeader(1, dictFor(c.descr, "(2,)"), c.data), "'a.npy'");
    ASSERT_EXPECTED(array);
    EXPECT_EQ(array->dtype, c.dtype);
    EXPECT_EQ(array->shape, (std::vector<int64_t>{2}));
    EXPECT_EQ(array->element(0), c.first);
    EXPECT_EQ(array->element(1), c.second);
  }
}

TEST(Npy, HeaderVersions1To3AndShapes) {
  std::vector<uint8_t> data(2 * 3 * 4);
  for (size_t i = 0; i < data.size(); ++i)
    data[i] = uint8_t(i);
  for (unsigned major : {1u, 2u, 3u}) {
    SCOPED_TRACE(major);
    llvm::Expected<IntArray> array = readNpy(
        npyWithHeader(major, dictFor("|u1", "(2, 3, 4)"), data), "'a.npy'");
    ASSERT_EXPECTED(array);
    EXPECT_EQ(array->shape, (std::vector<int64_t>{2, 3, 4}));
    EXPECT_EQ(array->bytes, data);
  }
  // Key order, double quotes and a 0-d array are all valid.
  llvm::Expected<IntArray> scalar = readNpy(
      npyWithHeader(1,
                    "{\"shape\": (), \"fortran_order\": False, \"descr\": "
                    "\"<i2\"}",
                    bytesOf({7, 0})),
      "'s.npy'");
  ASSERT_EXPECTED(scalar);
  EXPECT_TRUE(scalar->shape.empty());
  EXPECT_EQ(scalar->element(0), 7);
  // A zero-length dimension holds no data.
  llvm::Expected<IntArray> empty =
      readNpy(npyWithHeader(1, dictFor("<i4", "(0, 5)"), {}), "'e.npy'");
  ASSERT_EXPECTED(empty);
  EXPECT_EQ(empty->numElements(), 0);
}

TEST(Npy, WriteReadRoundTrip) {
  IntArray array = makeArray(DType::I16, {2, 2}, {-300, 0, 1, 32767});
  std::vector<uint8_t> file = writeNpy(array);
  EXPECT_EQ((file.size() - array.bytes.size()) % 64, 0u);
  llvm::Expected<IntArray> back = readNpy(file, "'r.npy'");
  ASSERT_EXPECTED(back);
  EXPECT_EQ(back->dtype, DType::I16);
  EXPECT_EQ(back->shape, array.shape);
  EXPECT_EQ(back->bytes, array.bytes);
  IntArray vector = makeArray(DType::U8, {3}, {1, 2, 3});
  llvm::Expected<IntArray> one = readNpy(writeNpy(vector), "'v.npy'");
  ASSERT_EXPECTED(one);
  EXPECT_EQ(one->shape, (std::vector<int64_t>{3}));
}

TEST(Npy, FortranOrderAsksForCOrder) {
  std::string msg = errorMessage(readNpy(
      npyWithHeader(1, dictFor("|u1", "(2, 2)", true), bytesOf({1, 2, 3, 4})),
      "'f.npy'"));
  EXPECT_THAT(msg, HasSubstr("'f.npy': is stored in Fortran order"));
  EXPECT_THAT(msg, HasSubstr("C order"));
  // For a 1-D array both orders are the same bytes.
  llvm::Expected<IntArray> vector = readNpy(
      npyWithHeader(1, dictFor("|u1", "(2,)", true), bytesOf({1, 2})), "'v'");
  ASSERT_EXPECTED(vector);
}

TEST(Npy, FloatIsRefusedAsIntegerOnly) {
  for (const char *descr : {"<f4", "<f8", "<f2", ">f4"}) {
    SCOPED_TRACE(descr);
    std::string msg = errorMessage(readNpy(
        npyWithHeader(1, dictFor(descr, "(1,)"), std::vector<uint8_t>(8)),
        "'x.npz' x_train"));
    EXPECT_THAT(msg, HasSubstr("'x.npz' x_train: dtype '"));
    EXPECT_THAT(msg, HasSubstr("intc is integer-only: convert to uint8 or "
                               "int8"));
  }
  EXPECT_THAT(errorMessage(readNpy(npyWithHeader(1, dictFor("<f4", "(1,)"),
                                                 bytesOf({0, 0, 0, 0})),
                                   "'a'")),
              HasSubstr("is float32"));
}

TEST(Npy, OtherDTypes) {
  EXPECT_THAT(errorMessage(readNpy(npyWithHeader(1, dictFor("<U3", "(1,)"),
                                                 std::vector<uint8_t>(12)),
                                   "'a'")),
              HasSubstr("string array, expected integers"));
  EXPECT_THAT(
      errorMessage(readNpy(npyWithHeader(1, dictFor("|O", "(1,)"), {}), "'a'")),
      HasSubstr("object array"));
  EXPECT_THAT(
      errorMessage(readNpy(
          npyWithHeader(1, dictFor("<u3", "(1,)"), bytesOf({0, 0, 0})), "'a'")),
      HasSubstr("unsupported dtype '<u3'"));
  EXPECT_THAT(
      errorMessage(readNpy(
          npyWithHeader(1,
                        "{'descr': [('a', '<i4')], 'fortran_order': False, "
                        "'shape': (1,), }",
                        bytesOf({0, 0, 0, 0})),
          "'a'")),
      HasSubstr("structured dtypes"));
}

TEST(Npy, TruncatedAndTrailingData) {
  std::string msg = errorMessage(readNpy(
      npyWithHeader(1, dictFor("<u2", "(2, 3)"), std::vector<uint8_t>(11)),
      "'t.npy'"));
  EXPECT_THAT(msg, HasSubstr("'t.npy': truncated: shape [2, 3] of '<u2' "
                             "needs 12 data bytes, the file has 11"));
  msg = errorMessage(readNpy(
      npyWithHeader(1, dictFor("|u1", "(2,)"), bytesOf({1, 2, 3})), "'t'"));
  EXPECT_THAT(msg, HasSubstr("1 trailing bytes"));
  // A header that announces more bytes than there are.
  std::vector<uint8_t> file = npyWithHeader(1, dictFor("|u1", "(1,)"), {});
  file.resize(40);
  EXPECT_THAT(errorMessage(readNpy(file, "'t'")),
              HasSubstr("truncated: the header announces"));
  EXPECT_THAT(
      errorMessage(readNpy(bytesOf({0x93, 'N', 'U', 'M', 'P', 'Y', 1}), "'t'")),
      HasSubstr("truncated"));
  // Dimensions whose product overflows.
  msg = errorMessage(readNpy(
      npyWithHeader(1, dictFor("<u8", "(4294967296, 4294967296, 4294967296)"),
                    {}),
      "'big'"));
  EXPECT_THAT(msg, HasSubstr("is too large"));
}

TEST(Npy, BadMagicVersionAndHeader) {
  EXPECT_THAT(errorMessage(readNpy(bytesOf({'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0}),
                                   "'z.npy'")),
              HasSubstr("'z.npy': not a .npy array"));
  std::vector<uint8_t> v4 = npyWithHeader(2, dictFor("|u1", "(1,)"), {1});
  v4[6] = 4;
  EXPECT_THAT(errorMessage(readNpy(v4, "'a'")),
              HasSubstr("unsupported .npy version 4.0"));
  for (const char *dict :
       {"{'descr': '|u1', 'shape': (1,)}", "['descr']",
        "{'descr': '|u1', 'fortran_order': False, 'shape': (1, 'a')}",
        "{'descr': '|u1', 'fortran_order': False, 'shape': (1,)} x",
        "{'descr': '|u1', 'fortran_order': 0, 'shape': (1,)}", "{'descr': '|u1",
        "{'descr': '|u1', 'fortran_order': False, 'shape': "
        "(99999999999999999999,)}"}) {
    SCOPED_TRACE(dict);
    EXPECT_THAT(errorMessage(readNpy(npyWithHeader(1, dict, {1}), "'h.npy'")),
                HasSubstr("'h.npy': malformed .npy header"));
  }
}

TEST(Npy, Strings) {
  // <U5: UTF-32LE, NUL padded; "é" is one code point.
  std::vector<uint8_t> data(2 * 5 * 4, 0);
  const char32_t first[] = U"cat";
  const char32_t second[] = U"caf\u00e9s";
  for (int i = 0; i < 3; ++i)
    data[4 * i] = uint8_t(first[i]);
  for (int i = 0; i < 5; ++i) {
    data[20 + 4 * i] = uint8_t(second[i] & 0xff);
    data[20 + 4 * i + 1] = uint8_t(second[i] >> 8);
  }
  llvm::Expected<std::vector<std::string>> names =
      readNpyStrings(npyWithHeader(1, dictFor("<U5", "(2,)"), data), "'n'");
  ASSERT_EXPECTED(names);
  EXPECT_EQ(*names, (std::vector<std::string>{"cat", "caf\xc3\xa9s"}));

  std::vector<uint8_t> bytes = {'d', 'o', 'g', 0, 'o', 'w', 'l', 's'};
  names =
      readNpyStrings(npyWithHeader(1, dictFor("|S4", "(2,)"), bytes), "'n'");
  ASSERT_EXPECTED(names);
  EXPECT_EQ(*names, (std::vector<std::string>{"dog", "owls"}));

  EXPECT_THAT(
      errorMessage(readNpyStrings(
          npyWithHeader(1, dictFor("|u1", "(2,)"), bytesOf({1, 2})), "'n'")),
      HasSubstr("is not a string array"));
  EXPECT_THAT(
      errorMessage(readNpyStrings(
          npyWithHeader(1, dictFor("|S1", "(1, 2)"), bytesOf({1, 2})), "'n'")),
      HasSubstr("expected a 1-D array"));
  std::vector<uint8_t> bad = {0, 0xd8, 0, 0};
  EXPECT_THAT(errorMessage(readNpyStrings(
                  npyWithHeader(1, dictFor("<U1", "(1,)"), bad), "'n'")),
              HasSubstr("invalid code point 0xd800"));
}

TEST(Npy, FileReaderNamesTheFile) {
  TempDir dir;
  std::string path = dir.file("a.npy");
  writeFile(path, writeNpy(makeArray(DType::U8, {2}, {4, 5})));
  llvm::Expected<IntArray> array = readNpyFile(path);
  ASSERT_EXPECTED(array);
  EXPECT_EQ(array->element(1), 5);
  writeFile(path, gzip(writeNpy(makeArray(DType::U8, {1}, {9}))));
  array = readNpyFile(path);
  ASSERT_EXPECTED(array);
  EXPECT_EQ(array->element(0), 9);
  writeFile(path, {1, 2, 3});
  EXPECT_THAT(errorMessage(readNpyFile(path)),
              HasSubstr("'" + path + "': not a .npy array"));
}

} // namespace
