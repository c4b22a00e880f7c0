//===- CheckpointTest.cpp - safetensors round trip, atomicity, corruption -===//

#include "runtime/host/Checkpoint.h"

#include "TestUtil.h"

#include "llvm/Support/FileSystem.h"

#include "gtest/gtest.h"

#include <csignal>
#include <sys/resource.h>
#include <unistd.h>

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

/// A safetensors file from a header text and data bytes, with no checking:
/// the way to build corrupt files.
std::vector<uint8_t> rawFile(llvm::StringRef header,
                             std::vector<uint8_t> data = {}) {
  std::vector<uint8_t> out(8);
  uint64_t n = header.size();
  for (int i = 0; i < 8; ++i)
    out[i] = uint8_t(n >> (8 * i));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

TEST(Checkpoint, RoundTripEveryDtype) {
  TempDir dir;
  std::vector<int8_t> i8 = {-128, -1, 0, 127};
  std::vector<uint8_t> u8 = {0, 255, 7};
  std::vector<int16_t> i16 = {-32768, 32767, -2, 3, 4, 5};
  std::vector<int32_t> i32 = {INT32_MIN, INT32_MAX, -1, 0, 1, 640};
  std::vector<int64_t> i64 = {INT64_MIN, INT64_MAX};
  std::vector<int32_t> empty;
  std::vector<int32_t> scalar = {42};
  std::map<std::string, std::string> metadata = {
      {"format", "intc"}, {"seed", "42"}, {"quote\"d", "tab\tand \xc3\xa9"}};
  std::string path = dir.file("model.safetensors");
  ASSERT_NO_ERROR(
      writeSafetensors(path,
                       {TensorView::get<int8_t>("a.i8", {2, 2}, i8),
                        TensorView::get<uint8_t>("b.u8", {3}, u8),
                        TensorView::get<int16_t>("c.i16", {2, 3}, i16),
                        TensorView::get<int32_t>("block0.encoder", {3, 2}, i32),
                        TensorView::get<int64_t>("e.i64", {2}, i64),
                        TensorView::get<int32_t>("empty", {0, 5}, empty),
                        TensorView::get<int32_t>("scalar", {}, scalar)},
                       metadata));

  // The data starts 8-byte aligned.
  std::vector<uint8_t> file = readFile(path);
  ASSERT_GE(file.size(), 8u);
  EXPECT_EQ(file[0] % 8, 0);

  Expected<Checkpoint> ckpt = readSafetensors(path);
  ASSERT_EXPECTED(ckpt);
  EXPECT_EQ(ckpt->path, path);
  EXPECT_EQ(ckpt->metadata, metadata);
  ASSERT_EQ(ckpt->tensors.size(), 7u);
  // Stored in the order given.
  EXPECT_EQ(ckpt->tensors[0].name, "a.i8");
  EXPECT_EQ(ckpt->tensors[6].name, "scalar");
  EXPECT_EQ(ckpt->find("a.i8")->values<int8_t>(), i8);
  EXPECT_EQ(ckpt->find("b.u8")->values<uint8_t>(), u8);
  EXPECT_EQ(ckpt->find("c.i16")->values<int16_t>(), i16);
  EXPECT_EQ(ckpt->find("block0.encoder")->values<int32_t>(), i32);
  EXPECT_EQ(ckpt->find("block0.encoder")->shape, (std::vector<int64_t>{3, 2}));
  EXPECT_EQ(ckpt->find("e.i64")->values<int64_t>(), i64);
  EXPECT_EQ(ckpt->find("empty")->numElements(), 0);
  EXPECT_EQ(ckpt->find("scalar")->values<int32_t>(), scalar);
  EXPECT_TRUE(ckpt->find("scalar")->shape.empty());
  EXPECT_EQ(ckpt->find("nope"), nullptr);
}

TEST(Checkpoint, ExactBytesFollowTheSpec) {
  TempDir dir;
  std::string path = dir.file("tiny.safetensors");
  std::vector<int32_t> values = {1, -2};
  ASSERT_NO_ERROR(writeSafetensors(
      path, {TensorView::get<int32_t>("w", {2}, values)}, {{"k", "v"}}));
  std::string header = R"({"__metadata__":{"k":"v"},"w":{"dtype":"I32",)"
                       R"("shape":[2],"data_offsets":[0,8]}})";
  header.append((8 - header.size() % 8) % 8, ' ');
  std::vector<uint8_t> expected =
      rawFile(header, {1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff});
  EXPECT_EQ(readFile(path), expected);
}

TEST(Checkpoint, OverwriteLeavesNoTemporaryFiles) {
  TempDir dir;
  std::string path = dir.file("ckpt.safetensors");
  std::vector<int32_t> a = {1}, b = {2, 3};
  ASSERT_NO_ERROR(
      writeSafetensors(path, {TensorView::get<int32_t>("x", {1}, a)}));
  ASSERT_NO_ERROR(
      writeSafetensors(path, {TensorView::get<int32_t>("x", {2}, b)}));
  Expected<Checkpoint> ckpt = readSafetensors(path);
  ASSERT_EXPECTED(ckpt);
  EXPECT_EQ(ckpt->find("x")->values<int32_t>(), b);
  EXPECT_EQ(listDir(dir.path()), std::vector<std::string>{"ckpt.safetensors"});
}

/// Makes every write beyond \p bytes fail (EFBIG), as a full disk would,
/// for the lifetime of the object.
class FileSizeLimit {
public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved);
    oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit = saved;
    limit.rlim_cur = bytes;
    active = setrlimit(RLIMIT_FSIZE, &limit) == 0;
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, oldHandler);
  }
  bool active = false;

private:
  struct rlimit saved;
  void (*oldHandler)(int);
};

TEST(Checkpoint, FailedWriteKeepsTheOldFile) {
  TempDir dir;
  std::string path = dir.file("ckpt.safetensors");
  std::vector<int32_t> small = {7, 8, 9};
  ASSERT_NO_ERROR(
      writeSafetensors(path, {TensorView::get<int32_t>("w", {3}, small)}));
  std::vector<uint8_t> before = readFile(path);

  std::vector<int32_t> big(1 << 16, 5);
  std::string msg;
  {
    FileSizeLimit limit(4096);
    ASSERT_TRUE(limit.active);
    msg = errorMessage(writeSafetensors(
        path, {TensorView::get<int32_t>("w", {1 << 16}, big)}));
  }
  EXPECT_THAT(msg, HasSubstr(path));
  EXPECT_THAT(msg, HasSubstr("write failed"));
  EXPECT_EQ(readFile(path), before);
  EXPECT_EQ(listDir(dir.path()), std::vector<std::string>{"ckpt.safetensors"});
}

TEST(Checkpoint, UnwritableDirectoryKeepsTheOldFile) {
  TempDir dir;
  std::string path = dir.file("ckpt.safetensors");
  std::vector<int32_t> small = {7, 8, 9};
  ASSERT_NO_ERROR(
      writeSafetensors(path, {TensorView::get<int32_t>("w", {3}, small)}));
  std::vector<uint8_t> before = readFile(path);
  ASSERT_FALSE(llvm::sys::fs::setPermissions(
      dir.path(), llvm::sys::fs::owner_read | llvm::sys::fs::owner_exe));
  bool enforced = access(dir.path().c_str(), W_OK) != 0; // Not for root.
  std::string msg;
  if (enforced)
    msg = errorMessage(writeSafetensors(
        path, {TensorView::get<int32_t>("w", {1}, small.front())}));
  ASSERT_FALSE(
      llvm::sys::fs::setPermissions(dir.path(), llvm::sys::fs::owner_all));
  if (!enforced)
    GTEST_SKIP() << "permissions are not enforced for this user (root?)";
  EXPECT_THAT(msg, HasSubstr(path));
  EXPECT_THAT(msg, HasSubstr("cannot create a temporary file"));
  EXPECT_EQ(readFile(path), before);
}

TEST(Checkpoint, MissingDirectory) {
  TempDir dir;
  std::string path = dir.file("no/such/dir/ckpt.safetensors");
  std::vector<int32_t> v = {1};
  std::string msg = errorMessage(
      writeSafetensors(path, {TensorView::get<int32_t>("w", {1}, v)}));
  EXPECT_THAT(msg, HasSubstr(path));
  EXPECT_THAT(msg, HasSubstr("cannot create a temporary file"));
}

TEST(Checkpoint, WriterRejectsBadTensors) {
  TempDir dir;
  std::string path = dir.file("bad.safetensors");
  std::vector<int32_t> v = {1, 2, 3, 4};
  auto writeError = [&](std::vector<TensorView> tensors) {
    return errorMessage(writeSafetensors(path, tensors));
  };
  EXPECT_THAT(writeError({TensorView::get<int32_t>("w", {2, 3}, v)}),
              HasSubstr("tensor 'w': it has 16 bytes of data, but I32 [2, 3] "
                        "needs 24"));
  EXPECT_THAT(writeError({TensorView::get<int32_t>("w", {4}, v),
                          TensorView::get<int32_t>("w", {4}, v)}),
              HasSubstr("two tensors named 'w'"));
  EXPECT_THAT(writeError({TensorView::get<int32_t>("", {4}, v)}),
              HasSubstr("empty name"));
  EXPECT_THAT(writeError({TensorView::get<int32_t>("__metadata__", {4}, v)}),
              HasSubstr("reserved"));
  EXPECT_THAT(writeError({TensorView::get<int32_t>("w", {-1, -4}, v)}),
              HasSubstr("negative dimension"));
  std::string msg = writeError({TensorView::get<int32_t>("w", {2, 3}, v)});
  EXPECT_THAT(msg, HasSubstr(path));
  EXPECT_FALSE(llvm::sys::fs::exists(path));
}

/// Writes \p bytes and returns the reader's error.
std::string readError(const std::vector<uint8_t> &bytes) {
  TempDir dir;
  std::string path = dir.file("corrupt.safetensors");
  writeFile(path, bytes);
  std::string msg = errorMessage(readSafetensors(path));
  EXPECT_THAT(msg, HasSubstr(path));
  return msg;
}

const char kGood[] =
    R"({"w":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}})";
std::vector<uint8_t> eightBytes() { return std::vector<uint8_t>(8, 1); }

TEST(CheckpointCorrupt, TheValidBaseIsValid) {
  TempDir dir;
  writeFile(dir.file("ok"), rawFile(kGood, eightBytes()));
  Expected<Checkpoint> ckpt = readSafetensors(dir.file("ok"));
  ASSERT_EXPECTED(ckpt);
}

TEST(CheckpointCorrupt, MissingFile) {
  TempDir dir;
  std::string msg = errorMessage(readSafetensors(dir.file("none")));
  EXPECT_THAT(msg, HasSubstr(dir.file("none")));
  EXPECT_THAT(msg, HasSubstr("o such file"));
}

TEST(CheckpointCorrupt, HeaderLength) {
  EXPECT_THAT(readError({1, 2, 3}), HasSubstr("too short"));
  std::vector<uint8_t> huge = rawFile(kGood, eightBytes());
  huge[7] = 0x10; // 2^60
  EXPECT_THAT(readError(huge), HasSubstr("exceeds the limit"));
  std::vector<uint8_t> past = rawFile(kGood, eightBytes());
  past[0] += 100;
  EXPECT_THAT(readError(past),
              HasSubstr("bytes that follow it (truncated file?)"));
  EXPECT_THAT(readError(rawFile("")), HasSubstr("does not start with '{'"));
  EXPECT_THAT(readError(rawFile("  [1]")), HasSubstr("does not start with"));
}

TEST(CheckpointCorrupt, Json) {
  EXPECT_THAT(readError(rawFile(R"({"w": {)")),
              HasSubstr("invalid JSON header"));
  EXPECT_THAT(readError(rawFile("{} x")), HasSubstr("invalid JSON header"));
}

TEST(CheckpointCorrupt, Entries) {
  EXPECT_THAT(readError(rawFile(R"({"w": 3})")),
              HasSubstr("header entry for tensor 'w' is not an object"));
  EXPECT_THAT(
      readError(rawFile(R"({"w":{"dtype":"F32","shape":[2],)"
                        R"("data_offsets":[0,8]}})",
                        eightBytes())),
      HasSubstr("tensor 'w' has unsupported dtype 'F32' (supported: I8, U8, "
                "I16, U16, I32, U32, I64, U64)"));
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":"I32","shape":[2]}})")),
              HasSubstr("tensor 'w' has no 'data_offsets' field"));
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":"I32","shape":[2],)"
                                R"("data_offsets":[0,8],"x":1}})",
                                eightBytes())),
              HasSubstr("tensor 'w' has an unknown field 'x'"));
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":7,"shape":[2],)"
                                R"("data_offsets":[0,8]}})",
                                eightBytes())),
              HasSubstr("'dtype' is not a string"));
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":"I32","shape":[-2],)"
                                R"("data_offsets":[0,8]}})",
                                eightBytes())),
              HasSubstr("'shape' must hold non-negative integers"));
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":"I32","shape":["2"],)"
                                R"("data_offsets":[0,8]}})",
                                eightBytes())),
              HasSubstr("'shape' must hold non-negative integers"));
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":"I32","shape":2,)"
                                R"("data_offsets":[0,8]}})",
                                eightBytes())),
              HasSubstr("'shape' is not an array"));
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":"I32","shape":[2],)"
                                R"("data_offsets":[8]}})",
                                eightBytes())),
              HasSubstr("'data_offsets' must be [begin, end]"));
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":"I32","shape":[2],)"
                                R"("data_offsets":[8,0]}})",
                                eightBytes())),
              HasSubstr("'data_offsets' must be [begin, end]"));
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":"I32","shape":[2],)"
                                R"("data_offsets":[-1,7]}})",
                                eightBytes())),
              HasSubstr("'data_offsets' must be [begin, end]"));
}

TEST(CheckpointCorrupt, SizesAndOffsets) {
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":"I32","shape":[3],)"
                                R"("data_offsets":[0,8]}})",
                                eightBytes())),
              HasSubstr("tensor 'w': I32 [3] needs 12 bytes, but data_offsets "
                        "[0, 8] span 8"));
  EXPECT_THAT(readError(rawFile(kGood, std::vector<uint8_t>(5))),
              HasSubstr("extend past the end of the data (5 bytes; is the "
                        "file truncated?)"));
  EXPECT_THAT(readError(rawFile(R"({"a":{"dtype":"I32","shape":[2],)"
                                R"("data_offsets":[0,8]},)"
                                R"("b":{"dtype":"I32","shape":[1],)"
                                R"("data_offsets":[4,8]}})",
                                eightBytes())),
              HasSubstr("tensors 'a' and 'b' overlap"));
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":"I32","shape":[1],)"
                                R"("data_offsets":[4,8]}})",
                                eightBytes())),
              HasSubstr("4 unused bytes before tensor 'w'"));
  EXPECT_THAT(readError(rawFile(kGood, std::vector<uint8_t>(11))),
              HasSubstr("3 trailing bytes after the last tensor"));
  // Dimensions whose product overflows are a size mismatch, not a crash.
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":"I64","shape":)"
                                R"([4294967296,4294967296,16],)"
                                R"("data_offsets":[0,8]}})",
                                eightBytes())),
              HasSubstr("span 8"));
}

// The bug intc-fuzz-idx found in IntArray::numElements, here in
// Tensor::numElements: a tensor with a zero dimension needs no bytes whatever
// its other dimensions, which were multiplied (signed overflow).
TEST(CheckpointCorrupt, ZeroDimensionWithHugeOthersHasNoElements) {
  TempDir dir;
  writeFile(dir.file("z"),
            rawFile(R"({"w":{"dtype":"I32","shape":)"
                    R"([0,4294967296,4294967296,4294967296],)"
                    R"("data_offsets":[0,0]}})"));
  Expected<Checkpoint> ckpt = readSafetensors(dir.file("z"));
  ASSERT_EXPECTED(ckpt);
  ASSERT_EQ(ckpt->tensors.size(), 1u);
  EXPECT_EQ(ckpt->tensors[0].numElements(), 0);
}

TEST(CheckpointCorrupt, Duplicates) {
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":"I32","shape":[1],)"
                                R"("data_offsets":[0,4]},)"
                                R"("w":{"dtype":"I32","shape":[1],)"
                                R"("data_offsets":[4,8]}})",
                                eightBytes())),
              HasSubstr("duplicate tensor name 'w'"));
  // The same name spelled with an escape is still the same name.
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":"I32","shape":[1],)"
                                R"("data_offsets":[0,4]},)"
                                R"("\u0077":{"dtype":"I32","shape":[1],)"
                                R"("data_offsets":[4,8]}})",
                                eightBytes())),
              HasSubstr("duplicate tensor name 'w'"));
  EXPECT_THAT(readError(rawFile(R"({"w":{"dtype":"I32","dtype":"I32",)"
                                R"("shape":[2],"data_offsets":[0,8]}})",
                                eightBytes())),
              HasSubstr("duplicate key 'dtype' inside a header entry"));
  // Keys inside strings or arrays are not confused with names.
  TempDir dir;
  writeFile(dir.file("ok"),
            rawFile(R"({"__metadata__":{"a":"{\"w\":1,\"w\":2}"},)"
                    R"("w":{"dtype":"I32","shape":[2],"data_offsets":[0,8]}})",
                    eightBytes()));
  Expected<Checkpoint> ckpt = readSafetensors(dir.file("ok"));
  ASSERT_EXPECTED(ckpt);
  EXPECT_EQ(ckpt->metadata.at("a"), R"({"w":1,"w":2})");
}

TEST(CheckpointCorrupt, Metadata) {
  EXPECT_THAT(readError(rawFile(R"({"__metadata__":{"k":1}})")),
              HasSubstr("metadata value for 'k' is not a string"));
  EXPECT_THAT(readError(rawFile(R"({"__metadata__":[1]})")),
              HasSubstr("'__metadata__' is not an object"));
}

TEST(CheckpointCheck, ReportsTheFirstMismatch) {
  Checkpoint ckpt;
  ckpt.path = "run/model.safetensors";
  ckpt.tensors.push_back(
      {"block0.encoder", DType::I32, {100, 784}, std::vector<uint8_t>()});
  ckpt.tensors.push_back({"head", DType::I16, {10}, {}});
  ckpt.tensors.push_back({"extra", DType::I8, {1}, {}});

  auto check = [&](std::vector<TensorSpec> specs) {
    return errorMessage(checkTensors(ckpt, specs));
  };
  std::string msg = check({{"block0.encoder", DType::I32, {100, 785}}});
  EXPECT_THAT(msg, HasSubstr("run/model.safetensors"));
  EXPECT_THAT(msg, HasSubstr("tensor 'block0.encoder' has shape [100, 784], "
                             "the model expects [100, 785]"));
  EXPECT_THAT(check({{"block0.encoder", DType::I32, {100, 784}},
                     {"head", DType::I32, {10}}}),
              HasSubstr("tensor 'head' has dtype I16, the model expects I32"));
  EXPECT_THAT(check({{"block1.encoder", DType::I32, {10, 100}}}),
              HasSubstr("missing tensor 'block1.encoder' (the model expects "
                        "I32 [10, 100])"));
  EXPECT_THAT(check({{"block0.encoder", DType::I32, {100, 784}},
                     {"head", DType::I16, {10}}}),
              HasSubstr("unexpected tensor 'extra' (I8 [1])"));
  ASSERT_NO_ERROR(
      checkTensors(ckpt, {{"block0.encoder", DType::I32, {100, 784}},
                          {"head", DType::I16, {10}},
                          {"extra", DType::I8, {1}}}));
}

TEST(CheckpointDType, Names) {
  EXPECT_EQ(allDTypes().size(), 8u);
  for (DType dtype : allDTypes())
    EXPECT_EQ(parseDType(dtypeName(dtype)), dtype);
  EXPECT_EQ(dtypeBytes(DType::U64), 8u);
  EXPECT_TRUE(dtypeIsSigned(DType::I8));
  EXPECT_FALSE(dtypeIsSigned(DType::U32));
  EXPECT_FALSE(parseDType("F32"));
  EXPECT_FALSE(parseDType("i32"));
  EXPECT_EQ(dtypeBytes(DType::I16), 2u);
  EXPECT_EQ(formatShape({}), "[]");
  EXPECT_EQ(formatShape({3, 4}), "[3, 4]");
}

} // namespace
