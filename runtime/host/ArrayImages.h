//===- ArrayImages.h - Images and labels from integer arrays ----*- C++ -*-===//
//
// An .npz or IDX dataset stores its images as one array [N, ...] and its
// labels as another [N]. The array says nothing about which axis is the
// channel, so the per-sample shape (the dimensions after N) is matched
// against the model's input (C, H, W):
//   (C, H, W)  NCHW, taken as is;
//   (H, W, C)  NHWC, transposed to NCHW;
//   (H, W)     one channel, when C = 1.
// When both NCHW and NHWC fit (that is, C = H = W) NCHW is assumed, unless
// -data-layout says otherwise; a forced layout that does not fit is an error.
//
// A flat model (input (F), i.e. C = F, H = W = 1) takes a per-sample shape
// (F) as F features of 1×1 (normalised per feature), and any other
// per-sample shape of F elements as an image (normalised per image channel,
// as MNIST into a flat model; see TrainData.cpp): (H, W) has one channel,
// and a rank-3 shape is NCHW unless -data-layout=nhwc.
//
// Images must be uint8 or int8. An int8 value v is stored as the uint8 v+128,
// so that the centering x - 128 of ALGORITHM.md §7 gives v back.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_ARRAYIMAGES_H
#define INTC_RUNTIME_HOST_ARRAYIMAGES_H

#include "runtime/host/ImageSet.h"
#include "runtime/host/InputSpec.h"
#include "runtime/host/IntArray.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace intc::host {

/// How one sample of an image array maps to C×H×W.
struct SampleLayout {
  uint32_t c = 0, h = 0, w = 0;
  bool nhwc = false; // Stored as H, W, C: transposed when read.
};

/// Applies the rules above to \p sampleShape (the dimensions after N). The
/// error names \p what and both shapes.
llvm::Expected<SampleLayout>
resolveSampleLayout(llvm::ArrayRef<int64_t> sampleShape, const InputSpec &model,
                    DataLayout layout, llvm::StringRef what);

/// The images of \p array ([N, ...]), NCHW uint8; the set has no labels.
llvm::Expected<ImageSet> imagesFromArray(const IntArray &array,
                                         const InputSpec &model,
                                         DataLayout layout,
                                         llvm::StringRef what);

/// The labels of \p array: 1-D, \p count of them (one per image), each in
/// [0, model.numClasses). Any integer dtype.
llvm::Expected<std::vector<uint8_t>> labelsFromArray(const IntArray &array,
                                                     const InputSpec &model,
                                                     uint64_t count,
                                                     llvm::StringRef what);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_ARRAYIMAGES_H
