//===- Evaluation.cpp - Scoring the test set ------------------------------===//

#include "runtime/host/Evaluation.h"

#include "runtime/host/Progress.h"

#include "runtime/c/intc_kernels.h"

#include <algorithm>
#include <cstring>
#include <vector>

using namespace intc::host;

TestCounts intc::host::evaluateTestSet(ModelRunner &runner,
                                       const int32_t *state,
                                       const NormalizedSet &test,
                                       uint32_t numClasses,
                                       ProgressBar *progress) {
  const int64_t batch = runner.batchSize();
  const uint64_t fullBatches = test.n / uint64_t(batch);
  const int64_t rest = test.n - int64_t(fullBatches) * batch;
  std::vector<int8_t> logits(size_t(batch) * numClasses);
  TestCounts counts;

  // Full batches are contiguous in the normalised set: no copy.
  for (uint64_t b = 0; b < fullBatches; ++b) {
    const uint32_t first = uint32_t(b * batch);
    runner.predict(state, test.image(first), logits.data());
    counts.refCorrect +=
        intc_count_correct(logits.data(), test.labels.data() + first,
                           int32_t(batch), int32_t(numClasses));
    if (progress)
      progress->update(b + 1);
  }
  counts.refSeen = fullBatches * batch;
  counts.allCorrect = counts.refCorrect;

  if (rest > 0) {
    const uint32_t first = uint32_t(fullBatches * batch);
    std::vector<int8_t> padded(size_t(batch) * test.imageBytes, 0);
    std::memcpy(padded.data(), test.image(first),
                size_t(rest) * test.imageBytes);
    runner.predict(state, padded.data(), logits.data());
    counts.allCorrect +=
        intc_count_correct(logits.data(), test.labels.data() + first,
                           int32_t(rest), int32_t(numClasses));
    if (progress)
      progress->update(fullBatches + 1);
  }
  counts.allSeen = test.n;
  if (fullBatches == 0) {
    counts.refCorrect = counts.allCorrect;
    counts.refSeen = counts.allSeen;
  }
  return counts;
}
