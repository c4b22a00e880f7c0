//===- ImageSet.h - An in-memory labelled image dataset ---------*- C++ -*-===//
//
// The common result of every dataset reader (IDX, CIFAR-10): uint8 pixels in
// NCHW order plus one uint8 label per image. Pixels stay uint8 here; centering
// and integer normalization (ALGORITHM.md §7) happen later, in the training
// loop, so the readers never need anything but bytes.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_IMAGESET_H
#define INTC_RUNTIME_HOST_IMAGESET_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace intc::host {

/// Which half of a dataset to load.
enum class Split { Train, Test };

/// "train" or "test", for messages.
llvm::StringRef splitName(Split split);

/// N images of C×H×W uint8 pixels (NCHW, row-major) and N labels.
///
/// The readers fill `pixels`. A set read back from the data cache instead
/// has its pixels in a mapped cache entry (`mapped`, which keeps the mapping
/// alive; `pixels` is then empty): a 184 MB copy into fresh memory costs
/// more than the whole rest of a warm start. Whoever only reads the pixels
/// goes through pixelData(), which serves both.
struct ImageSet {
  uint32_t n = 0, c = 0, h = 0, w = 0;
  std::vector<uint8_t> pixels; // n*c*h*w bytes, NCHW.
  std::vector<uint8_t> labels; // n bytes, each < the dataset's class count.
  std::shared_ptr<const uint8_t> mapped; // n*c*h*w bytes, or null.

  /// Bytes in one image (C·H·W).
  size_t imageBytes() const { return size_t(c) * h * w; }

  /// All the pixels, wherever they are.
  llvm::ArrayRef<uint8_t> pixelData() const {
    if (mapped)
      return llvm::ArrayRef<uint8_t>(mapped.get(), size_t(n) * imageBytes());
    return pixels;
  }

  /// The pixels shared, for views that outlive this set: the mapping, or
  /// else a copy of `pixels`.
  std::shared_ptr<const uint8_t> sharedPixels() const;

  /// The pixels of image \p i (CHW).
  llvm::ArrayRef<uint8_t> image(size_t i) const {
    return pixelData().slice(i * imageBytes(), imageBytes());
  }
};

/// Asks the kernel to back [data, data + bytes) with transparent huge pages
/// (Linux; elsewhere, and below a few megabytes, nothing). A dataset's
/// buffers (47 MB of MNIST training pixels) are filled right after they are
/// allocated, and on a VM a 4 KB page fault costs microseconds: a 47 MB copy
/// into fresh memory took 120-140 ms there, 8 ms with huge pages.
void adviseHugePages(void *data, size_t bytes);

/// Reserves room for \p n elements in the empty vector \p v and advises
/// huge pages for it, before anything touches the memory.
template <typename T> void reserveLarge(std::vector<T> &v, size_t n) {
  v.reserve(n);
  adviseHugePages(v.data(), v.capacity() * sizeof(T));
}

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_IMAGESET_H
