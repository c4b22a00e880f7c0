//===- PredictCommand.cpp - intc predict model.mlir -weights=W INPUT... ---===//
//
// Classifies single inputs with a trained checkpoint: PNG or JPEG images
// (decoded to the model's channels, ImageDecode.h) and .npy arrays (one
// sample, or N samples along the first axis, ArrayImages.h's shape rules).
// Inputs are normalised with the checkpoint's statistics, exactly as the
// test set is in `intc eval`. Prints, per input, the predicted class (by
// name when the training data named its classes) and the int8 scores;
// -format=json prints one JSON document for scripts.
//
//===----------------------------------------------------------------------===//

#include "tools/intc/Commands.h"

#include "lib/Driver/ModelSession.h"
#include "runtime/host/ArrayImages.h"
#include "runtime/host/DataFile.h"
#include "runtime/host/ImageDecode.h"
#include "runtime/host/Npy.h"
#include "runtime/host/Prediction.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace intc::driver {

namespace {

int fail(Error err) {
  logAllUnhandledErrors(std::move(err), errs(), "intc: error: ");
  return 1;
}

/// One row of the result: which input (and which sample of it) it is.
struct Row {
  std::string input;
  int64_t index = -1; // The sample of a .npy with several; -1 otherwise.
};

/// Appends the images of one input file to \p all.
Error addInput(StringRef path, const host::ModelInfo &info,
               unsigned imageChannels, host::DataLayout layout,
               host::ImageSet &all, std::vector<Row> &rows) {
  Expected<std::unique_ptr<MemoryBuffer>> buffer =
      host::readRegularFile(path, host::kMaxDataFileBytes);
  if (!buffer)
    return buffer.takeError();
  ArrayRef<uint8_t> bytes(
      reinterpret_cast<const uint8_t *>((*buffer)->getBufferStart()),
      (*buffer)->getBufferSize());
  const std::string what = "'" + path.str() + "'";
  host::ImageSet set;
  bool several = false;
  if (host::detectImageFormat(bytes) != host::ImageFormat::Unknown) {
    Expected<host::DecodedImage> image =
        host::decodeImage(bytes, imageChannels, what);
    if (!image)
      return image.takeError();
    // Name the file when it does not fit (a flat model takes any H×W with
    // its element count; normalizeWithStats checks that).
    const bool flat = info.h == 1 && info.w == 1;
    if (!flat && (image->h != info.h || image->w != info.w))
      return createStringError(what + ": image is " + std::to_string(image->h) +
                               "x" + std::to_string(image->w) +
                               " (HxW), but model '" + info.name + "' takes " +
                               std::to_string(info.h) + "x" +
                               std::to_string(info.w) +
                               " images (intc does not resize)");
    set.n = 1;
    set.c = image->c;
    set.h = image->h;
    set.w = image->w;
    set.pixels = std::move(image->pixels);
  } else {
    Expected<host::IntArray> array = host::readNpy(bytes, what);
    if (!array)
      return createStringError(
          toString(array.takeError()) +
          " (inputs are PNG or JPEG images, or .npy arrays)");
    host::InputSpec spec{info.name, info.c, info.h, info.w, info.numClasses};
    // One sample, or N samples along the first axis.
    Expected<host::SampleLayout> single =
        host::resolveSampleLayout(array->shape, spec, layout, what);
    if (single) {
      array->shape.insert(array->shape.begin(), 1);
    } else {
      consumeError(single.takeError());
      several = true;
    }
    Expected<host::ImageSet> images =
        host::imagesFromArray(*array, spec, layout, what);
    if (!images)
      return images.takeError();
    set = std::move(*images);
  }
  if (all.n && (set.c != all.c || set.h != all.h || set.w != all.w))
    return createStringError(what + ": holds " + std::to_string(set.c) + "x" +
                             std::to_string(set.h) + "x" +
                             std::to_string(set.w) +
                             " images, the inputs before it " +
                             std::to_string(all.c) + "x" +
                             std::to_string(all.h) + "x" +
                             std::to_string(all.w));
  all.c = set.c;
  all.h = set.h;
  all.w = set.w;
  all.n += set.n;
  all.pixels.insert(all.pixels.end(), set.pixels.begin(), set.pixels.end());
  for (uint32_t i = 0; i < set.n; ++i)
    rows.push_back({path.str(), several ? int64_t(i) : -1});
  return Error::success();
}

} // namespace

int runPredict(const PredictOptions &o) {
  if (o.weights.empty()) {
    errs() << "intc: error: predict needs a checkpoint: -weights=FILE\n";
    return 2;
  }
  if (o.inputs.empty()) {
    errs() << "intc: error: predict needs inputs: PNG or JPEG images or "
              ".npy arrays\n";
    return 2;
  }
  if (o.format != "text" && o.format != "json") {
    errs() << "intc: error: unknown -format=" << o.format
           << ": expected text or json\n";
    return 2;
  }
  FailureOr<LoadedModel> loaded = loadModel(o.input, o.model);
  if (mlir::failed(loaded))
    return 1;
  auto session = ModelSession::create(std::move(*loaded), o.target, o.codegen,
                                      o.batch, o.cache);
  if (!session)
    return fail(session.takeError());
  if (Error err = (*session)->load(o.weights))
    return fail(std::move(err));
  const host::ModelInfo &info = (*session)->info();
  const host::RunContext &context = (*session)->state()->context;
  // Images decode to the channels of the training data: the model's, or,
  // for a flat-input model trained on images, the statistics' (TrainData.h).
  const unsigned imageChannels =
      info.h == 1 && info.w == 1 ? unsigned(context.mean.size()) : info.c;

  host::ImageSet inputs;
  std::vector<Row> rows;
  for (const std::string &path : o.inputs)
    if (Error err = addInput(path, info, imageChannels, o.layout, inputs, rows))
      return fail(std::move(err));
  Expected<std::vector<int8_t>> scores =
      (*session)->predict(inputs, "the inputs");
  if (!scores)
    return fail(scores.takeError());

  const uint32_t k = info.numClasses;
  auto className = [&](uint32_t cls) -> std::string {
    return cls < context.classNames.size() ? context.classNames[cls] : "";
  };
  raw_ostream &out = outs();
  if (o.format == "json") {
    json::Array predictions;
    for (auto [i, row] : llvm::enumerate(rows)) {
      const int8_t *s = scores->data() + i * k;
      uint32_t cls = host::predictedClass(s, k);
      json::Object p{{"input", row.input}, {"class", int64_t(cls)}};
      if (row.index >= 0)
        p["index"] = row.index;
      if (!className(cls).empty())
        p["name"] = className(cls);
      json::Array values;
      for (uint32_t c = 0; c < k; ++c)
        values.push_back(int64_t(s[c]));
      p["scores"] = std::move(values);
      predictions.push_back(std::move(p));
    }
    json::Object doc{{"model", info.name},
                     {"weights", o.weights},
                     {"predictions", std::move(predictions)}};
    out << formatv("{0:2}", json::Value(std::move(doc))) << "\n";
    return 0;
  }
  for (auto [i, row] : llvm::enumerate(rows)) {
    const int8_t *s = scores->data() + i * k;
    uint32_t cls = host::predictedClass(s, k);
    out << row.input;
    if (row.index >= 0)
      out << "[" << row.index << "]";
    out << ": class " << cls;
    if (!className(cls).empty())
      out << " (" << className(cls) << ")";
    out << ", scores [";
    for (uint32_t c = 0; c < k; ++c)
      out << (c ? ", " : "") << int(s[c]);
    out << "]\n";
  }
  return 0;
}

} // namespace intc::driver
