//===- Idx.h - IDX reader for MNIST / Fashion-MNIST -------------*- C++ -*-===//
//
// The IDX format (http://yann.lecun.com/exdb/mnist/): a 4-byte magic
// 00 00 <type> <ndims>, ndims big-endian uint32 sizes, then the data. MNIST
// and Fashion-MNIST use type 0x08 (unsigned byte) with 3 dimensions (N, H, W)
// for images and 1 dimension (N) for labels. Files may be raw or gzipped
// (recognised by content); `train-images-idx3-ubyte` also finds
// `train-images-idx3-ubyte.gz`.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_IDX_H
#define INTC_RUNTIME_HOST_IDX_H

#include "runtime/host/ImageSet.h"

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

/// Reads an image file and its label file and checks that they hold the same
/// number of items.
llvm::Expected<ImageSet> loadIdxPair(llvm::StringRef imagesPath,
                                     llvm::StringRef labelsPath,
                                     unsigned numClasses);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_IDX_H
