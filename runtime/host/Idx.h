//===- Idx.h - IDX reader for MNIST / Fashion-MNIST -------------*- C++ -*-===//
//
// The IDX format (http://yann.lecun.com/exdb/mnist/): a 4-byte magic
// 00 00 <type> <ndims>, ndims big-endian uint32 sizes, then the data. MNIST
// and Fashion-MNIST use type 0x08 (unsigned byte) with 3 dimensions (N, H, W)
// for images and 1 dimension (N) for labels. Files may be raw or gzipped
// (recognised by content); `train-images-idx3-ubyte` also finds
// `train-images-idx3-ubyte.gz`.
//
// readIdxArray() reads the general form, for data that is not MNIST: any
// rank >= 1 and the integer types 0x08 (uint8), 0x09 (int8), 0x0B (int16)
// and 0x0C (int32), all big-endian in the file. The float types 0x0D and
// 0x0E are refused: intc is integer-only.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_IDX_H
#define INTC_RUNTIME_HOST_IDX_H

#include "runtime/host/DataFile.h"
#include "runtime/host/ImageSet.h"
#include "runtime/host/IntArray.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace intc::host {

constexpr uint32_t kIdxImagesMagic = 0x00000803; // ubyte, 3 dimensions.
constexpr uint32_t kIdxLabelsMagic = 0x00000801; // ubyte, 1 dimension.

/// Reads an IDX image file: N×H×W unsigned bytes. The result has c = 1 and
/// no labels.
llvm::Expected<ImageSet> readIdxImages(llvm::StringRef path);

/// Reads an IDX label file and checks that every label is < \p numClasses.
llvm::Expected<std::vector<uint8_t>> readIdxLabels(llvm::StringRef path,
                                                   unsigned numClasses);

/// The bytes-level halves of readIdxImages() / readIdxLabels(): parse a file
/// already read and decompressed (decodeDataFile); errors name file.path.
llvm::Expected<ImageSet> parseIdxImages(const DataFile &file);
/// The same, taking the file's bytes over as the pixels (no copy).
llvm::Expected<ImageSet> parseIdxImages(DataFile &&file);
llvm::Expected<std::vector<uint8_t>> parseIdxLabels(const DataFile &file,
                                                    unsigned numClasses);

/// Reads an image file and its label file and checks that they hold the same
/// number of items.
llvm::Expected<ImageSet> loadIdxPair(llvm::StringRef imagesPath,
                                     llvm::StringRef labelsPath,
                                     unsigned numClasses);

/// Parses a whole IDX file of any rank and integer type; \p what names it in
/// errors.
llvm::Expected<IntArray> parseIdxArray(llvm::ArrayRef<uint8_t> bytes,
                                       llvm::StringRef what);

/// Reads the IDX file \p path (raw, or gzip / xz compressed by content).
llvm::Expected<IntArray> readIdxArray(llvm::StringRef path);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_IDX_H
