//===- CheckCommand.cpp - intc check: generated code vs runtime/c ---------===//
//
// Trains the same model through a target's generated code and through the
// runtime/c reference trainer, on the same batches, and requires identical
// weights after init, after every step, and identical predictions at the
// end: the logits of predict, and of predict_heads with every block's head
// output where the target has it. Batches come from a dataset (-data) or, by
// default, from the integer RNG, with the model's augmentation applied on
// the host as in training.
//
//===----------------------------------------------------------------------===//

#include "tools/intc/Commands.h"
#include "lib/Driver/ModelLoader.h"
#include "lib/Driver/Runners.h"

#include "runtime/c/intc_data.h"
#include "runtime/c/intc_rng.h"
#include "runtime/host/TrainData.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

using namespace mlir;
using namespace mlir::intc;

namespace intc::driver {

namespace {
/// Stream of the synthetic check data (outside the training streams).
constexpr uint64_t kCheckStream = 0x700;

/// Reports the first difference between two states; true if they agree.
bool sameState(const LoadedModel &loaded, const std::vector<int32_t> &a,
               const std::vector<int32_t> &b, StringRef when) {
  for (const StateTensor &t : loaded.layout.tensors)
    for (int64_t i = 0; i < t.numel; ++i)
      if (a[t.offset + i] != b[t.offset + i]) {
        llvm::errs() << "intc check: MISMATCH " << when << ": tensor '"
                     << t.name << "' element " << i << ": target "
                     << a[t.offset + i] << ", reference " << b[t.offset + i]
                     << "\n";
        return false;
      }
  return true;
}

/// predict_heads of the target against the reference, on the final state
/// \p a / \p b and batch \p x: the logits must be predict's (\p logits),
/// the heads the reference's, bit for bit.
bool sameHeads(host::ModelRunner &target, host::ModelRunner &reference,
               const std::vector<int32_t> &a, const std::vector<int32_t> &b,
               const std::vector<int8_t> &x,
               const std::vector<int8_t> &logits) {
  int64_t heads = target.numHeads();
  if (reference.numHeads() != heads) {
    llvm::errs() << "intc check: MISMATCH in the number of heads: target "
                 << heads << ", reference " << reference.numHeads() << "\n";
    return false;
  }
  size_t perHead = logits.size();
  std::vector<int8_t> la(perHead), lb(perHead), ha(heads * perHead),
      hb(ha.size());
  target.predictHeads(a.data(), x.data(), la.data(), ha.data());
  reference.predictHeads(b.data(), x.data(), lb.data(), hb.data());
  if (la != logits || lb != logits) {
    llvm::errs() << "intc check: MISMATCH in predict_heads logits (they must "
                    "be predict's)\n";
    return false;
  }
  for (size_t i = 0; i < ha.size(); ++i)
    if (ha[i] != hb[i]) {
      llvm::errs() << "intc check: MISMATCH in predict_heads: head "
                   << i / perHead << " element " << i % perHead << ": target "
                   << int(ha[i]) << ", reference " << int(hb[i]) << "\n";
      return false;
    }
  return true;
}
} // namespace

int runCheck(const CheckOptions &o) {
  auto start = std::chrono::steady_clock::now();
  FailureOr<LoadedModel> loaded = loadModel(o.input, o.model);
  if (failed(loaded))
    return 1;
  FailureOr<int64_t> chosen = chooseBatch(*loaded, o.batch);
  if (failed(chosen))
    return 2;
  int64_t batch = *chosen;
  host::ModelInfo info = makeModelInfo(*loaded, batch);

  auto fail = [](llvm::Error err) {
    llvm::logAllUnhandledErrors(std::move(err), llvm::errs(),
                                "intc check: error: ");
    return 1;
  };
  const int64_t modelMs = millisSince(start);
  auto target =
      createRunner(*loaded, o.target, withBatch(o.codegen, batch), o.cache);
  if (!target)
    return fail(target.takeError());
  const int64_t codeMs = millisSince(start) - modelMs;
  auto reference = createRunner(*loaded, "ref", withBatch(o.codegen, batch));
  if (!reference)
    return fail(reference.takeError());

  // Real data when asked for, normalised exactly as for training.
  std::optional<host::TrainData> data;
  if (!o.data.empty()) {
    auto dataset = host::loadDataset(host::dataRequestFor(
        info, o.data, host::DataDirSearch::fromEnvironment(o.dataDir),
        o.dataLayout));
    if (!dataset)
      return fail(dataset.takeError());
    auto prepared = host::prepareTrainData(*dataset, info, o.seed);
    if (!prepared)
      return fail(prepared.takeError());
    data = std::move(*prepared);
  }
  if (o.verbose)
    llvm::errs() << "intc: start-up: model " << modelMs << " ms, code "
                 << codeMs << " ms (" << describeCache(o.cache)
                 << "), reference and data "
                 << millisSince(start) - modelMs - codeMs << " ms\n";

  int64_t n = info.numWeights, imageBytes = info.imageBytes();
  std::vector<int32_t> a(n), b(n);
  target->runner->init(a.data(), o.seed);
  reference->runner->init(b.data(), o.seed);
  if (!sameState(*loaded, a, b, "after init"))
    return 1;

  std::vector<int8_t> x(batch * imageBytes);
  std::vector<uint8_t> labels(batch);
  std::vector<int8_t> la(batch * info.numClasses), lb(la.size());
  intc_augment_cfg augment = {static_cast<int32_t>(info.augmentCrop),
                              info.augmentFlip ? 1 : 0};
  std::vector<int8_t> scratch(
      intc_augment_scratch_bytes(static_cast<int32_t>(info.h),
                                 static_cast<int32_t>(info.w)) +
      16);
  uint64_t key = intc_rng_key(o.seed, kCheckStream);
  for (uint64_t step = 0; step < o.steps; ++step) {
    for (int64_t s = 0; s < batch; ++s) {
      uint64_t sample = step * batch + s;
      if (data) {
        uint32_t i = static_cast<uint32_t>(sample % data->train.n);
        data->train.copyImages(i, 1, &x[s * imageBytes]);
        labels[s] = data->train.labels[i];
      } else {
        for (int64_t j = 0; j < imageBytes; ++j)
          x[s * imageBytes + j] = static_cast<int8_t>(
              static_cast<int32_t>(intc_rng_below(
                  intc_rng_u64(key, sample * (imageBytes + 1) + j), 256)) -
              128);
        labels[s] = static_cast<uint8_t>(intc_rng_below(
            intc_rng_u64(key, sample * (imageBytes + 1) + imageBytes),
            info.numClasses));
      }
    }
    if (augment.crop_pad > 0 || augment.flip)
      intc_augment_batch(
          x.data(), static_cast<int32_t>(batch), static_cast<int32_t>(info.c),
          static_cast<int32_t>(info.h), static_cast<int32_t>(info.w), augment,
          o.seed, step, scratch.data());
    target->runner->trainStep(a.data(), x.data(), labels.data(), info.lrInv,
                              o.seed, step, la.data());
    reference->runner->trainStep(b.data(), x.data(), labels.data(), info.lrInv,
                                 o.seed, step, lb.data());
    target->runner->syncState(a.data());
    if (!sameState(*loaded, a, b, "after step " + std::to_string(step)))
      return 1;
  }
  target->runner->predict(a.data(), x.data(), la.data());
  reference->runner->predict(b.data(), x.data(), lb.data());
  if (la != lb) {
    llvm::errs() << "intc check: MISMATCH in predict logits\n";
    return 1;
  }
  int64_t heads = target->runner->numHeads();
  if (heads && !sameHeads(*target->runner, *reference->runner, a, b, x, la))
    return 1;
  // FNV-1a of the final state, so runs can be compared at a glance.
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (int32_t w : a)
    for (int byte = 0; byte < 4; ++byte) {
      hash ^= (static_cast<uint32_t>(w) >> (8 * byte)) & 0xff;
      hash *= 0x100000001b3ULL;
    }
  llvm::outs() << "intc check: model @" << loaded->model.getSymName()
               << ", target " << o.target << " vs runtime/c: " << o.steps
               << " training steps of batch " << batch << " ("
               << (data ? o.data : std::string("synthetic")) << " data), " << n
               << " weights bit-identical after every step; predictions "
                  "identical";
  if (heads)
    llvm::outs() << " (with " << heads << " block heads)";
  llvm::outs() << "; weights checksum " << llvm::format_hex(hash, 18) << "\n";
  return 0;
}

} // namespace intc::driver
