//===- NpzFuzzer.cpp - Fuzz the .npz reader (libzip + Npy) ----------------===//
//
// Reaches Npz.cpp over libzip (NpzArchive::openBuffer, as open() reads a
// file) and every member through readArray and readStrings, as
// ArrayDatasets.cpp reads x_train, y_train, ..., class_names. The archive's
// budget is kMaxFuzzOutputBytes instead of 1 GiB (FuzzLimits.h).
//
//===----------------------------------------------------------------------===//

#include "FuzzLimits.h"
#include "FuzzUtil.h"

#include "runtime/host/Npz.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace intc::host;
using namespace intc::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A copy, so that ASan sees reads past the input's end.
  llvm::Expected<NpzArchive> opened = NpzArchive::openBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.npz"),
      "fuzz.npz", kMaxFuzzOutputBytes);
  NpzArchive *npz = accept(opened);
  if (!npz)
    return 0;
  uint64_t total = 0;
  std::vector<std::string> keys(npz->keys().begin(), npz->keys().end());
  for (const std::string &key : keys) {
    INTC_FUZZ_CHECK(npz->contains(key), "a listed key is not contained");
    llvm::Expected<std::vector<uint8_t>> member = npz->readMember(key);
    if (const std::vector<uint8_t> *bytes = accept(member)) {
      total += bytes->size();
      INTC_FUZZ_CHECK(total <= kMaxFuzzOutputBytes,
                      "members decompressed past the archive's budget");
    }
    llvm::Expected<IntArray> array = npz->readArray(key);
    if (const IntArray *a = accept(array))
      INTC_FUZZ_CHECK(uint64_t(a->numElements()) * dtypeBytes(a->dtype) ==
                          a->bytes.size(),
                      "array bytes do not match its shape");
    llvm::Expected<std::vector<std::string>> strings = npz->readStrings(key);
    accept(strings);
  }
  llvm::Expected<IntArray> missing = npz->readArray("no such array \x01");
  INTC_FUZZ_CHECK(!missing || npz->contains("no such array \x01"),
                  "a missing array was read");
  if (!missing)
    reject(missing.takeError());
  return 0;
}
