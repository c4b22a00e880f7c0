//===- ArrayTestUtil.cpp - Writers of npy and zip test data ---------------===//

#include "ArrayTestUtil.h"

#include "gtest/gtest.h"

#include <cstring>
#include <zip.h>

using namespace llvm;

namespace intc::host::test {

void writeZip(StringRef path,
              ArrayRef<std::pair<std::string, std::vector<uint8_t>>> members,
              bool deflate) {
  int error = 0;
  zip_t *zip = zip_open(path.str().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(zip, nullptr) << "zip_open error " << error;
  for (const auto &[name, bytes] : members) {
    zip_source_t *source =
        zip_source_buffer(zip, bytes.data(), bytes.size(), 0);
    ASSERT_NE(source, nullptr) << zip_strerror(zip);
    zip_int64_t index =
        zip_file_add(zip, name.c_str(), source, ZIP_FL_OVERWRITE);
    ASSERT_GE(index, 0) << zip_strerror(zip);
    ASSERT_EQ(zip_set_file_compression(zip, zip_uint64_t(index),
                                       deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                                       0),
              0);
  }
  ASSERT_EQ(zip_close(zip), 0) << zip_strerror(zip);
}

IntArray makeArray(DType dtype, std::vector<int64_t> shape,
                   ArrayRef<int64_t> values) {
  IntArray array;
  array.dtype = dtype;
  array.shape = std::move(shape);
  unsigned size = dtypeBytes(dtype);
  array.bytes.resize(values.size() * size);
  for (size_t i = 0; i < values.size(); ++i) {
    // Little-endian host: the low bytes of the int64 are the value.
    int64_t v = values[i];
    std::memcpy(array.bytes.data() + i * size, &v, size);
  }
  return array;
}

std::vector<uint8_t> npyWithHeader(unsigned major, StringRef dict,
                                   ArrayRef<uint8_t> data) {
  size_t prefix = major == 1 ? 10 : 12;
  std::string header = dict.str();
  size_t total = prefix + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', uint8_t(major), 0};
  uint32_t length = header.size();
  for (size_t i = 0; i < prefix - 8; ++i)
    out.push_back(uint8_t(length >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

} // namespace intc::host::test
