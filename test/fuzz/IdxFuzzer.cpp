//===- IdxFuzzer.cpp - Fuzz the IDX readers and the decompressors ---------===//
//
// Reaches DataFile.cpp (decodeDataFile: gzip / xz detection, gunzip, unxz)
// and Idx.cpp: the MNIST readers (parseIdxImages, parseIdxLabels) and the
// general one (parseIdxArray), all on the same decompressed bytes, as
// readIdxImages, readIdxLabels and readIdxArray read a file.
//
//===----------------------------------------------------------------------===//

#include "FuzzLimits.h"
#include "FuzzUtil.h"

#include "runtime/host/DataFile.h"
#include "runtime/host/Idx.h"

#include <cstring>

using namespace intc::host;
using namespace intc::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<DataFile> decoded =
      decodeDataFile(bytesOf(data, size), "fuzz.idx", kMaxFuzzOutputBytes);
  const DataFile *file = accept(decoded);
  if (!file)
    return 0;
  INTC_FUZZ_CHECK(file->bytes.size() <= kMaxFuzzOutputBytes,
                  "decompression exceeded its limit");
  if (file->compression == Compression::None)
    INTC_FUZZ_CHECK(file->bytes.size() == size &&
                        (!size || !std::memcmp(file->bytes.data(), data, size)),
                    "an uncompressed file changed on reading");

  llvm::Expected<IntArray> array = parseIdxArray(file->bytes, "'fuzz.idx'");
  const IntArray *any = accept(array);
  if (any) {
    INTC_FUZZ_CHECK(!any->shape.empty(), "an IDX array has rank 0");
    INTC_FUZZ_CHECK(uint64_t(any->numElements()) * dtypeBytes(any->dtype) ==
                        any->bytes.size(),
                    "array bytes do not match its shape");
  }

  llvm::Expected<ImageSet> images = parseIdxImages(*file);
  if (const ImageSet *set = accept(images)) {
    INTC_FUZZ_CHECK(set->c == 1 && set->labels.empty(), "odd image set");
    INTC_FUZZ_CHECK(uint64_t(set->n) * set->h * set->w == set->pixels.size(),
                    "pixel count does not match N x H x W");
    // The general reader must agree with the MNIST one.
    INTC_FUZZ_CHECK(any && any->dtype == DType::U8 && any->shape.size() == 3 &&
                        any->shape[0] == set->n && any->shape[1] == set->h &&
                        any->shape[2] == set->w && any->bytes == set->pixels,
                    "parseIdxArray disagrees with parseIdxImages");
  }

  constexpr unsigned kClasses = 10;
  llvm::Expected<std::vector<uint8_t>> labels = parseIdxLabels(*file, kClasses);
  if (const std::vector<uint8_t> *values = accept(labels)) {
    for (uint8_t label : *values)
      INTC_FUZZ_CHECK(label < kClasses, "a label is out of range");
    INTC_FUZZ_CHECK(any && any->shape.size() == 1 && any->bytes == *values,
                    "parseIdxArray disagrees with parseIdxLabels");
  }
  return 0;
}
