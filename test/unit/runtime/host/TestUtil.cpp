//===- TestUtil.cpp - Helpers for the runtime/host unit tests -------------===//

#include "TestUtil.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <lzma.h>
#include <zlib.h>

using namespace llvm;

namespace intc::host::test {

TempDir::TempDir() {
  SmallString<128> path;
  std::error_code ec = sys::fs::createUniqueDirectory("intc-host-test", path);
  EXPECT_FALSE(ec) << ec.message();
  dir = std::string(path);
}

TempDir::~TempDir() { sys::fs::remove_directories(dir); }

std::string TempDir::file(StringRef name) const {
  SmallString<128> path(dir);
  sys::path::append(path, name);
  return std::string(path);
}

void writeFile(StringRef path, ArrayRef<uint8_t> bytes) {
  std::error_code ec;
  raw_fd_ostream os(path, ec);
  ASSERT_FALSE(ec) << path.str() << ": " << ec.message();
  os.write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
}

std::vector<uint8_t> readFile(StringRef path) {
  auto buffer = MemoryBuffer::getFile(path, false, false);
  if (!buffer) {
    ADD_FAILURE() << path.str() << ": " << buffer.getError().message();
    return {};
  }
  StringRef data = (*buffer)->getBuffer();
  return std::vector<uint8_t>(data.begin(), data.end());
}

std::vector<uint8_t> gzip(ArrayRef<uint8_t> bytes) {
  z_stream zs = {};
  EXPECT_EQ(deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8,
                         Z_DEFAULT_STRATEGY),
            Z_OK);
  std::vector<uint8_t> out(deflateBound(&zs, bytes.size()) + 64);
  zs.next_in = const_cast<Bytef *>(bytes.data());
  zs.avail_in = bytes.size();
  zs.next_out = out.data();
  zs.avail_out = out.size();
  EXPECT_EQ(deflate(&zs, Z_FINISH), Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

std::vector<uint8_t> xz(ArrayRef<uint8_t> bytes) {
  std::vector<uint8_t> out(lzma_stream_buffer_bound(bytes.size()));
  size_t size = 0;
  EXPECT_EQ(lzma_easy_buffer_encode(0, LZMA_CHECK_CRC64, nullptr, bytes.data(),
                                    bytes.size(), out.data(), &size,
                                    out.size()),
            LZMA_OK);
  out.resize(size);
  return out;
}

std::vector<uint8_t> makeIdx(uint32_t magic, ArrayRef<uint32_t> dims,
                             ArrayRef<uint8_t> data) {
  std::vector<uint8_t> out;
  auto put32 = [&](uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
      out.push_back(uint8_t(v >> shift));
  };
  put32(magic);
  for (uint32_t dim : dims)
    put32(dim);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

std::string errorMessage(Error err) {
  if (!err) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return toString(std::move(err));
}

std::vector<std::string> listDir(StringRef dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec))
    names.push_back(sys::path::filename(it->path()).str());
  std::sort(names.begin(), names.end());
  return names;
}

} // namespace intc::host::test
