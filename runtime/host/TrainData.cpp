//===- TrainData.cpp - Normalised in-memory data for the loop -------------===//

#include "runtime/host/TrainData.h"

#include "runtime/c/intc_data.h"

#include "llvm/Support/Parallel.h"

#include <algorithm>

using namespace llvm;
using namespace intc::host;

/// \p what prefixes messages: "dataset 'mnist' train split".
static Error checkSet(const ImageSet &set, const ModelInfo &info,
                      const Twine &what, bool checkLabels) {
  auto fail = [&](const Twine &msg) {
    return createStringError(std::make_error_code(std::errc::invalid_argument),
                             what + ": " + msg);
  };
  if (set.n && (set.c != info.c || set.h != info.h || set.w != info.w))
    return fail(
        "images are " +
        formatShape({int64_t(set.c), int64_t(set.h), int64_t(set.w)}) +
        ", but model '" + info.name + "' takes " +
        formatShape({int64_t(info.c), int64_t(info.h), int64_t(info.w)}));
  if (set.pixelData().size() != size_t(set.n) * info.imageBytes() ||
      (checkLabels && set.labels.size() != set.n))
    return fail("holds " + Twine(set.pixelData().size()) + " pixel bytes and " +
                Twine(set.labels.size()) + " labels for " + Twine(set.n) +
                " images");
  if (checkLabels)
    for (uint32_t i = 0; i < set.n; ++i)
      if (set.labels[i] >= info.numClasses)
        return fail("image " + Twine(i) + " has label " +
                    Twine(unsigned(set.labels[i])) + ", but model '" +
                    info.name + "' has " + Twine(info.numClasses) +
                    " classes");
  return Error::success();
}

static Error checkSplit(const ImageSet &set, Split split, const ModelInfo &info,
                        StringRef datasetName) {
  return checkSet(set, info,
                  "dataset '" + datasetName + "' " + splitName(split) +
                      " split",
                  /*checkLabels=*/true);
}

/// Images per task of the parallel statistics: a few MB, so that a task's
/// channels are read from cache after the first.
static int64_t imagesPerTask(int64_t imageBytes) {
  return std::max<int64_t>(1, (2 << 20) / std::max<int64_t>(imageBytes, 1));
}

/// intc_data_stats over the threads: each task counts its images' pixel
/// values, and the integer counts are summed, so the statistics are the same
/// as one pass's (a start-up of the CIFAR-10 models spent ~0.1 s here).
static void parallelStats(const ImageSet &set, const uint32_t *order,
                          const ModelInfo &info, std::vector<int32_t> &mean,
                          std::vector<int32_t> &mad) {
  const int64_t c = info.c, hw = int64_t(info.h) * info.w;
  const int64_t used = std::min<int64_t>(set.n, INTC_DATA_STATS_LIMIT);
  const int64_t per = imagesPerTask(info.imageBytes());
  const size_t tasks = size_t((used + per - 1) / per);
  std::vector<int64_t> counts(tasks * c * 256, 0);
  llvm::parallelFor(0, tasks, [&](size_t t) {
    const int64_t first = int64_t(t) * per;
    const int64_t last = std::min(used, first + per);
    for (int64_t ch = 0; ch < c; ++ch)
      intc_data_histogram(set.pixelData().data(), order, first, last,
                          int32_t(c), hw, int32_t(ch),
                          &counts[(t * c + ch) * 256]);
  });
  mean.resize(c);
  mad.resize(c);
  for (int64_t ch = 0; ch < c; ++ch) {
    int64_t histogram[256] = {0};
    for (size_t t = 0; t < tasks; ++t)
      for (int v = 0; v < 256; ++v)
        histogram[v] += counts[(t * c + ch) * 256 + v];
    intc_data_stats_from_histogram(histogram, used * hw, &mean[ch], &mad[ch]);
  }
}

void NormalizedSet::copyImages(uint32_t first, uint32_t count,
                               int8_t *out) const {
  if (division.empty()) {
    intc_data_norm_apply(rawImage(first), out, count, channels, planeBytes,
                         table.data());
    return;
  }
  const uint8_t *in = rawImage(first);
  for (int64_t plane = 0; plane < int64_t(count) * channels; ++plane) {
    const int64_t ch = plane % channels, at = plane * planeBytes;
    const int8_t *t = table.data() + ch * 256;
    if (const std::optional<PlaneDivision> &d = division[size_t(ch)])
      normalizePlane(in + at, out + at, planeBytes, *d, t);
    else
      intc_data_norm_apply(in + at, out + at, 1, 1, planeBytes, t);
  }
}

/// The view of \p set normalised with \p mean and \p mad: the tables, and
/// the pixels shared (no copy when they are mapped from the data cache).
static NormalizedSet normalize(const ImageSet &set, const ModelInfo &info,
                               const std::vector<int32_t> &mean,
                               const std::vector<int32_t> &mad) {
  NormalizedSet out;
  out.n = set.n;
  out.imageBytes = info.imageBytes();
  out.labels = set.labels;
  out.raw = set.sharedPixels();
  out.channels = int32_t(info.c);
  out.planeBytes = int64_t(info.h) * info.w;
  out.table.resize(size_t(info.c) * 256);
  intc_data_norm_table(int32_t(info.c), mean.data(), mad.data(),
                       out.table.data());
  for (uint32_t ch = 0; ch < info.c; ++ch)
    out.division.push_back(
        planeDivision(out.table.data() + ch * 256, mean[ch], mad[ch]));
  return out;
}

/// A model with a flat input (batch x pixels) takes the dataset's images in
/// their NCHW byte order; they are still normalised per image channel, so
/// the data is prepared with the images' own shape.
static ModelInfo imageView(const ModelInfo &info, const ImageSet &set) {
  ModelInfo view = info;
  bool flat = info.h == 1 && info.w == 1 && !(set.h == 1 && set.w == 1);
  if (flat && set.n && int64_t(set.c) * set.h * set.w == int64_t(info.c)) {
    view.c = set.c;
    view.h = set.h;
    view.w = set.w;
  }
  return view;
}

Expected<NormalizedSet>
intc::host::normalizeWithStats(const ImageSet &set, const ModelInfo &modelInfo,
                               ArrayRef<int32_t> mean, ArrayRef<int32_t> mad,
                               const Twine &what, bool checkLabels) {
  const ModelInfo info = imageView(modelInfo, set);
  if (Error err = checkSet(set, info, what, checkLabels))
    return std::move(err);
  if (mean.size() != info.c || mad.size() != info.c)
    return createStringError(
        std::make_error_code(std::errc::invalid_argument),
        what + ": the normalisation statistics have " + Twine(mean.size()) +
            " channels, the images " + Twine(info.c));
  return normalize(set, info, mean.vec(), mad.vec());
}

DataRequest intc::host::dataRequestFor(const ModelInfo &info, StringRef spec,
                                       DataDirSearch search,
                                       DataLayout layout) {
  DataRequest request;
  request.spec = spec.str();
  request.search = std::move(search);
  request.c = info.c;
  request.h = info.h;
  request.w = info.w;
  request.numClasses = info.numClasses;
  request.modelName = info.name;
  request.layout = layout;
  return request;
}

Expected<TrainData> intc::host::prepareTrainData(const Dataset &dataset,
                                                 const ModelInfo &modelInfo,
                                                 uint64_t seed) {
  const ModelInfo info = imageView(modelInfo, dataset.train);
  TrainData data;
  data.datasetName = !dataset.name.empty() ? dataset.name
                     : dataset.info        ? dataset.info->name.str()
                                           : info.dataset;
  data.dir = dataset.dir;
  if (Error err =
          checkSplit(dataset.train, Split::Train, info, data.datasetName))
    return std::move(err);
  if (Error err = checkSplit(dataset.test, Split::Test, info, data.datasetName))
    return std::move(err);

  const ImageSet &train = dataset.train;
  data.loadOrder.resize(train.n);
  intc_data_shuffle_load(data.loadOrder.data(), train.n, seed);
  parallelStats(train, data.loadOrder.data(), info, data.mean, data.mad);
  data.train = normalize(train, info, data.mean, data.mad);
  data.test = normalize(dataset.test, info, data.mean, data.mad);
  return std::move(data);
}

std::vector<uint32_t> intc::host::replayShuffles(const TrainData &data,
                                                 uint64_t seed,
                                                 uint32_t epochs) {
  std::vector<uint32_t> order = data.loadOrder;
  for (uint32_t epoch = 1; epoch <= epochs; ++epoch)
    intc_data_shuffle_epoch(order.data(), uint32_t(order.size()), seed, epoch);
  return order;
}
