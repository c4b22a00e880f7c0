//===- TestUtil.h - Helpers for the runtime/host unit tests -----*- C++ -*-===//

#ifndef INTC_TEST_UNIT_RUNTIME_HOST_TESTUTIL_H
#define INTC_TEST_UNIT_RUNTIME_HOST_TESTUTIL_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <cstdint>
#include <string>
#include <vector>

namespace intc::host::test {

using llvm::Error;
using llvm::Expected;

/// A fresh directory, removed with its contents at the end of the test.
class TempDir {
public:
  TempDir();
  ~TempDir();
  const std::string &path() const { return dir; }
  /// path()/name.
  std::string file(llvm::StringRef name) const;

private:
  std::string dir;
};

void writeFile(llvm::StringRef path, llvm::ArrayRef<uint8_t> bytes);
std::vector<uint8_t> readFile(llvm::StringRef path);

/// gzip (RFC 1952) compression with zlib.
std::vector<uint8_t> gzip(llvm::ArrayRef<uint8_t> bytes);
/// xz compression with liblzma.
std::vector<uint8_t> xz(llvm::ArrayRef<uint8_t> bytes);

/// An IDX file: big-endian magic and dimensions, then \p data.
std::vector<uint8_t> makeIdx(uint32_t magic, llvm::ArrayRef<uint32_t> dims,
                             llvm::ArrayRef<uint8_t> data);

/// The message of a failed Expected / Error ("" and a test failure if it
/// succeeded).
std::string errorMessage(llvm::Error err);
template <typename T> std::string errorMessage(llvm::Expected<T> value) {
  if (value) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return errorMessage(value.takeError());
}

/// The names in a directory, sorted.
std::vector<std::string> listDir(llvm::StringRef dir);

} // namespace intc::host::test

/// Asserts that an llvm::Error is success, printing its message otherwise.
#define ASSERT_NO_ERROR(expr)                                                  \
  do {                                                                         \
    if (llvm::Error _err = (expr))                                             \
      FAIL() << llvm::toString(std::move(_err));                               \
  } while (false)

/// Asserts that an llvm::Expected lvalue holds a value.
#define ASSERT_EXPECTED(value)                                                 \
  do {                                                                         \
    if (!(value))                                                              \
      FAIL() << llvm::toString((value).takeError());                           \
  } while (false)

#endif // INTC_TEST_UNIT_RUNTIME_HOST_TESTUTIL_H
