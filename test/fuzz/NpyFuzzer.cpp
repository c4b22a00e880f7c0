//===- NpyFuzzer.cpp - Fuzz the .npy reader
//--------------------------------===//
//
// Reaches Npy.cpp as readNpyFile reads a file (decodeDataFile first: .npy
// files may be gzip or xz compressed): the header dict parser, the dtype
// rules, readNpy for integers and readNpyStrings for class names. A read
// array written back with writeNpy must read back the same.
//
//===----------------------------------------------------------------------===//

#include "FuzzLimits.h"
#include "FuzzUtil.h"

#include "runtime/host/DataFile.h"
#include "runtime/host/Npy.h"

using namespace intc::host;
using namespace intc::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<DataFile> decoded =
      decodeDataFile(bytesOf(data, size), "fuzz.npy", kMaxFuzzOutputBytes);
  const DataFile *file = accept(decoded);
  if (!file)
    return 0;

  llvm::Expected<NpyHeader> header = parseNpyHeader(file->bytes, "'fuzz.npy'");
  if (const NpyHeader *h = accept(header))
    INTC_FUZZ_CHECK(h->dataOffset <= file->bytes.size(),
                    "the data starts past the end of the file");

  llvm::Expected<IntArray> array = readNpy(file->bytes, "'fuzz.npy'");
  if (const IntArray *a = accept(array)) {
    for (int64_t d : a->shape)
      INTC_FUZZ_CHECK(d >= 0, "negative dimension");
    INTC_FUZZ_CHECK(uint64_t(a->numElements()) * dtypeBytes(a->dtype) ==
                        a->bytes.size(),
                    "array bytes do not match its shape");
    std::vector<uint8_t> written = writeNpy(*a);
    llvm::Expected<IntArray> again = readNpy(written, "'written.npy'");
    INTC_FUZZ_CHECK(bool(again), "writeNpy wrote what readNpy refuses");
    INTC_FUZZ_CHECK(again->dtype == a->dtype && again->shape == a->shape &&
                        again->bytes == a->bytes,
                    "writeNpy + readNpy changed the array");
  }

  llvm::Expected<std::vector<std::string>> strings =
      readNpyStrings(file->bytes, "'fuzz.npy'");
  if (const std::vector<std::string> *s = accept(strings)) {
    llvm::Expected<NpyHeader> h = parseNpyHeader(file->bytes, "'fuzz.npy'");
    INTC_FUZZ_CHECK(h && h->shape.size() == 1 &&
                        uint64_t(h->shape[0]) == s->size(),
                    "string count does not match the shape");
    for (const std::string &text : *s)
      INTC_FUZZ_CHECK(text.empty() || text.back() != '\0',
                      "a string kept its NUL padding");
  }
  return 0;
}
