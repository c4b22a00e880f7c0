//===- Cifar10.h - CIFAR-10 binary-format reader ----------------*- C++ -*-===//
//
// The official CIFAR-10 binary layout: each file is a sequence of 3073-byte
// records, 1 label byte (0..9) followed by a 32×32 red plane, then green, then
// blue (row-major). That is already CHW, so records copy straight into an NCHW
// ImageSet. data_batch_1..5 form the training set (50,000 images), test_batch
// the test set (10,000). Each file may be raw (`data_batch_1.bin`) or xz
// compressed (`data_batch_1.bin.xz`), recognised by content.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_CIFAR10_H
#define INTC_RUNTIME_HOST_CIFAR10_H

#include "runtime/host/DataFile.h"
#include "runtime/host/ImageSet.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace intc::host {

constexpr unsigned kCifar10Classes = 10;
constexpr unsigned kCifar10ImageBytes = 3 * 32 * 32;
constexpr unsigned kCifar10RecordBytes = 1 + kCifar10ImageBytes;

/// The file names of a split, without the optional ".xz":
/// data_batch_1.bin … data_batch_5.bin, or test_batch.bin.
llvm::ArrayRef<llvm::StringRef> cifar10Files(Split split);

/// Validates the records of one batch file already read and decompressed
/// (decodeDataFile); errors name file.path.
llvm::Expected<ImageSet> parseCifar10Batch(const DataFile &file);

/// Reads all batch files of \p split from \p dir and concatenates them in file
/// order. The files are decompressed in parallel (xz is the slow part).
llvm::Expected<ImageSet> loadCifar10(llvm::StringRef dir, Split split);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_CIFAR10_H
