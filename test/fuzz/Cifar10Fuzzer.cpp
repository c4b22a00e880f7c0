//===- Cifar10Fuzzer.cpp - Fuzz the CIFAR-10 batch reader -----------------===//
//
// Reaches DataFile.cpp (decodeDataFile: raw, gzip or xz, as readDataFile
// reads `data_batch_1.bin.xz`) and Cifar10.cpp (parseCifar10Batch).
//
//===----------------------------------------------------------------------===//

#include "FuzzLimits.h"
#include "FuzzUtil.h"

#include "runtime/host/Cifar10.h"
#include "runtime/host/DataFile.h"

#include <cstring>

using namespace intc::host;
using namespace intc::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::Expected<DataFile> decoded = decodeDataFile(
      bytesOf(data, size), "fuzz_batch.bin", kMaxFuzzOutputBytes);
  const DataFile *file = accept(decoded);
  if (!file)
    return 0;
  INTC_FUZZ_CHECK(file->bytes.size() <= kMaxFuzzOutputBytes,
                  "decompression exceeded its limit");
  llvm::Expected<ImageSet> batch = parseCifar10Batch(*file);
  const ImageSet *set = accept(batch);
  if (!set)
    return 0;
  INTC_FUZZ_CHECK(set->n > 0 && set->c == 3 && set->h == 32 && set->w == 32,
                  "odd CIFAR-10 shape");
  INTC_FUZZ_CHECK(uint64_t(set->n) * kCifar10RecordBytes == file->bytes.size(),
                  "records do not cover the file");
  INTC_FUZZ_CHECK(set->labels.size() == set->n &&
                      set->pixels.size() ==
                          uint64_t(set->n) * kCifar10ImageBytes,
                  "labels or pixels do not match the record count");
  for (uint32_t i = 0; i < set->n; ++i) {
    const uint8_t *record =
        file->bytes.data() + size_t(i) * kCifar10RecordBytes;
    INTC_FUZZ_CHECK(set->labels[i] < kCifar10Classes &&
                        set->labels[i] == record[0],
                    "a label is out of range or moved");
    INTC_FUZZ_CHECK(
        !std::memcmp(set->pixels.data() + size_t(i) * kCifar10ImageBytes,
                     record + 1, kCifar10ImageBytes),
        "an image is not its record's pixels");
  }
  return 0;
}
