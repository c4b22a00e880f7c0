//===- ArrayImagesFuzzer.cpp - Fuzz arrays-to-images shape logic ----------===//
//
// Reaches ArrayImages.cpp (resolveSampleLayout, imagesFromArray,
// labelsFromArray): how an .npz or IDX array [N, ...] becomes images and
// labels for a model's input. The input is a 7-byte model description
// followed by a .npy file (read with readNpy, so the array is one a reader
// can produce):
//   byte 0      -data-layout: 0 auto, 1 nchw, 2 nhwc (mod 3)
//   bytes 1-2   C - 1 (little-endian, mod 1024): a flat model when H = W = 1
//   byte 3      H - 1 (mod 32)
//   byte 4      W - 1 (mod 32)
//   bytes 5-6   the class count (little-endian, mod 300: 0 and > 256 are
//               errors the reader must report)
//
//===----------------------------------------------------------------------===//

#include "FuzzUtil.h"

#include "runtime/host/ArrayImages.h"
#include "runtime/host/Npy.h"

using namespace intc::host;
using namespace intc::fuzz;

static constexpr size_t kSpecBytes = 7;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < kSpecBytes)
    return 0;
  const DataLayout layouts[] = {DataLayout::Auto, DataLayout::NCHW,
                                DataLayout::NHWC};
  DataLayout layout = layouts[data[0] % 3];
  InputSpec model;
  model.modelName = "fuzz";
  model.c = 1 + (data[1] | data[2] << 8) % 1024;
  model.h = 1 + data[3] % 32;
  model.w = 1 + data[4] % 32;
  model.numClasses = (data[5] | data[6] << 8) % 300;
  const uint64_t modelElements = uint64_t(model.c) * model.h * model.w;

  llvm::Expected<IntArray> read =
      readNpy(bytesOf(data + kSpecBytes, size - kSpecBytes), "'fuzz.npy'");
  const IntArray *array = accept(read);
  if (!array)
    return 0;

  if (!array->shape.empty()) {
    llvm::ArrayRef<int64_t> sample =
        llvm::ArrayRef<int64_t>(array->shape).drop_front();
    llvm::Expected<SampleLayout> resolved =
        resolveSampleLayout(sample, model, layout, "'fuzz.npy'");
    if (const SampleLayout *l = accept(resolved)) {
      uint64_t sampleElements = 1;
      for (int64_t d : sample)
        sampleElements *= uint64_t(d);
      INTC_FUZZ_CHECK(uint64_t(l->c) * l->h * l->w == sampleElements &&
                          sampleElements == modelElements,
                      "the layout does not hold the sample or the model");
      if (!model.isFlat())
        INTC_FUZZ_CHECK(l->c == model.c && l->h == model.h && l->w == model.w,
                        "an image model's layout is not its C x H x W");
      INTC_FUZZ_CHECK(!l->nhwc || layout != DataLayout::NCHW,
                      "-data-layout=nchw read as NHWC");
    }
  }

  llvm::Expected<ImageSet> images =
      imagesFromArray(*array, model, layout, "'fuzz.npy'");
  if (const ImageSet *set = accept(images)) {
    INTC_FUZZ_CHECK(array->dtype == DType::U8 || array->dtype == DType::I8,
                    "images of a wide dtype");
    INTC_FUZZ_CHECK(int64_t(set->n) == array->shape[0] &&
                        set->imageBytes() == modelElements &&
                        set->pixels.size() == uint64_t(set->n) * modelElements,
                    "the image set does not match the array");
    // Every pixel is an array element (int8 shifted by 128), in NCHW order.
    llvm::ArrayRef<int64_t> sample =
        llvm::ArrayRef<int64_t>(array->shape).drop_front();
    llvm::Expected<SampleLayout> l =
        resolveSampleLayout(sample, model, layout, "'fuzz.npy'");
    INTC_FUZZ_CHECK(bool(l), "imagesFromArray read an unresolved layout");
    const uint8_t flip = array->dtype == DType::I8 ? 0x80 : 0;
    const size_t plane = size_t(set->h) * set->w;
    for (size_t i = 0; i < set->pixels.size(); ++i) {
      size_t n = i / modelElements, within = i % modelElements;
      size_t ch = within / plane, p = within % plane;
      size_t source = l->nhwc ? n * modelElements + p * set->c + ch : i;
      INTC_FUZZ_CHECK(set->pixels[i] == uint8_t(array->bytes[source] ^ flip),
                      "a pixel is not its array element");
    }
  }

  uint64_t count = array->shape.empty() ? 0 : uint64_t(array->shape[0]);
  llvm::Expected<std::vector<uint8_t>> labels =
      labelsFromArray(*array, model, count, "'fuzz.npy'");
  if (const std::vector<uint8_t> *values = accept(labels)) {
    INTC_FUZZ_CHECK(values->size() == count && array->shape.size() == 1,
                    "label count does not match");
    for (size_t i = 0; i < values->size(); ++i)
      INTC_FUZZ_CHECK((*values)[i] < model.numClasses &&
                          (*values)[i] == array->element(i),
                      "a label is out of range or changed");
  }
  return 0;
}
