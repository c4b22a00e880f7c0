//===- ArrayImages.cpp - Images and labels from integer arrays ------------===//

#include "runtime/host/ArrayImages.h"

#include "llvm/ADT/Twine.h"

#include <algorithm>
#include <cstring>

using namespace llvm;
using namespace intc::host;

static std::string layoutUpper(DataLayout layout) {
  return layout == DataLayout::NHWC ? "NHWC" : "NCHW";
}

/// The shape-mismatch error: "<what>: samples are [..], but model 'm' takes
/// [..]", plus the forced layout when there is one.
static Error mismatch(ArrayRef<int64_t> sampleShape, const InputSpec &model,
                      DataLayout layout, StringRef what) {
  std::string msg = "samples are " + formatShape(sampleShape) +
                    ", but model '" + model.modelName + "' takes " +
                    formatShape(model.shape());
  if (layout != DataLayout::Auto)
    msg += " in " + layoutUpper(layout) +
           " order (-data-layout=" + dataLayoutName(layout).str() + ")";
  return arrayError(what, msg);
}

Expected<SampleLayout> intc::host::resolveSampleLayout(ArrayRef<int64_t> sample,
                                                       const InputSpec &model,
                                                       DataLayout layout,
                                                       StringRef what) {
  auto fits = [&](std::initializer_list<int64_t> dims) {
    return sample.size() == dims.size() &&
           std::equal(sample.begin(), sample.end(), dims.begin());
  };
  auto make = [](int64_t c, int64_t h, int64_t w, bool nhwc) {
    return SampleLayout{uint32_t(c), uint32_t(h), uint32_t(w), nhwc};
  };
  const int64_t C = model.c, H = model.h, W = model.w;

  if (model.isFlat()) {
    // Any reading of F elements is an image the flat model can take.
    int64_t elements = 1;
    for (int64_t d : sample) {
      if (d <= 0 || elements > C / d) {
        elements = -1;
        break;
      }
      elements *= d;
    }
    if (elements == C) {
      if (sample.size() == 1)
        return make(C, 1, 1, false);
      if (sample.size() == 2)
        return make(1, sample[0], sample[1], false);
      if (sample.size() == 3)
        return layout == DataLayout::NHWC
                   ? make(sample[2], sample[0], sample[1], true)
                   : make(sample[0], sample[1], sample[2], false);
    }
    return mismatch(sample, model, layout, what);
  }

  if (sample.size() == 2 && C == 1 && fits({H, W}))
    return make(1, H, W, false);
  bool nchw = fits({C, H, W}), nhwc = fits({H, W, C});
  if (nchw && layout != DataLayout::NHWC)
    return make(C, H, W, false);
  if (nhwc && layout != DataLayout::NCHW)
    return make(C, H, W, true);
  return mismatch(sample, model, layout, what);
}

Expected<ImageSet> intc::host::imagesFromArray(const IntArray &array,
                                               const InputSpec &model,
                                               DataLayout layout,
                                               StringRef what) {
  if (array.dtype != DType::U8 && array.dtype != DType::I8)
    return arrayError(what, "images are " + numpyTypeName(array.dtype) +
                                "; intc reads uint8 or int8 images (convert "
                                "with .astype(numpy.uint8))");
  if (array.shape.size() < 2)
    return arrayError(what, "shape " + formatShape(array.shape) +
                                " holds no samples of " +
                                formatShape(model.shape()) + " for model '" +
                                model.modelName + "' (expected [N, ...])");
  if (array.shape[0] > UINT32_MAX)
    return arrayError(what, "too many samples: " + Twine(array.shape[0]));
  ArrayRef<int64_t> sample = ArrayRef<int64_t>(array.shape).drop_front();
  Expected<SampleLayout> resolved =
      resolveSampleLayout(sample, model, layout, what);
  if (!resolved)
    return resolved.takeError();

  ImageSet set;
  set.n = uint32_t(array.shape[0]);
  set.c = resolved->c;
  set.h = resolved->h;
  set.w = resolved->w;
  set.pixels = array.bytes;
  if (array.dtype == DType::I8)
    for (uint8_t &byte : set.pixels)
      byte ^= 0x80; // int8 v -> uint8 v + 128.
  if (resolved->nhwc && set.c > 1) {
    std::vector<uint8_t> hwc = std::move(set.pixels);
    set.pixels.assign(hwc.size(), 0);
    size_t plane = size_t(set.h) * set.w, image = plane * set.c;
    for (size_t n = 0; n < set.n; ++n) {
      const uint8_t *in = hwc.data() + n * image;
      uint8_t *out = set.pixels.data() + n * image;
      for (size_t p = 0; p < plane; ++p)
        for (size_t ch = 0; ch < set.c; ++ch)
          out[ch * plane + p] = in[p * set.c + ch];
    }
  }
  return std::move(set);
}

Expected<std::vector<uint8_t>>
intc::host::labelsFromArray(const IntArray &array, const InputSpec &model,
                            uint64_t count, StringRef what) {
  if (model.numClasses == 0 || model.numClasses > 256)
    return arrayError(what, "model '" + model.modelName + "' has " +
                                Twine(model.numClasses) +
                                " classes; labels are read for 1 to 256");
  if (array.shape.size() != 1)
    return arrayError(what, "labels have shape " + formatShape(array.shape) +
                                ", expected a 1-D array [N]");
  if (uint64_t(array.shape[0]) != count)
    return arrayError(what, Twine(array.shape[0]) + " labels for " +
                                Twine(count) + " images");
  std::vector<uint8_t> labels(count);
  for (uint64_t i = 0; i < count; ++i) {
    int64_t label = array.element(i);
    if (label < 0 || label >= int64_t(model.numClasses))
      return arrayError(what, "label " + Twine(label) + " of sample " +
                                  Twine(i) + " is out of range: model '" +
                                  model.modelName + "' has " +
                                  Twine(model.numClasses) + " classes (0.." +
                                  Twine(model.numClasses - 1) + ")");
    labels[i] = uint8_t(label);
  }
  return std::move(labels);
}
