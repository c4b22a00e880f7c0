//===- Evaluation.cpp - Scoring the test set ------------------------------===//

#include "runtime/host/Evaluation.h"

#include "runtime/host/Progress.h"

#include "runtime/c/intc_kernels.h"

#include <algorithm>
#include <cassert>
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
  const size_t batchLogits = size_t(batch) * numClasses;
  const int64_t heads = std::max<int64_t>(runner.numHeads(), 0);
  std::vector<int8_t> logits(batchLogits),
      headLogits(size_t(heads) * batchLogits);
  TestCounts counts;
  counts.headCorrect.assign(size_t(heads), 0);

  // One forward: the heads come with the logits when the runner has them.
  auto forward = [&](const int8_t *x) {
    if (heads)
      runner.predictHeads(state, x, logits.data(), headLogits.data());
    else
      runner.predict(state, x, logits.data());
  };
  auto countHeads = [&](const uint8_t *labels, int64_t rows) {
    for (int64_t h = 0; h < heads; ++h)
      counts.headCorrect[size_t(h)] +=
          intc_count_correct(headLogits.data() + size_t(h) * batchLogits,
                             labels, int32_t(rows), int32_t(numClasses));
  };

  // Each batch normalised into x (the last one padded with zeros).
  std::vector<int8_t> x(size_t(batch) * test.imageBytes, 0);
  for (uint64_t b = 0; b < fullBatches; ++b) {
    const uint32_t first = uint32_t(b * batch);
    test.copyImages(first, uint32_t(batch), x.data());
    forward(x.data());
    counts.refCorrect +=
        intc_count_correct(logits.data(), test.labels.data() + first,
                           int32_t(batch), int32_t(numClasses));
    countHeads(test.labels.data() + first, batch);
    if (progress)
      progress->update(b + 1);
  }
  counts.refSeen = fullBatches * batch;
  counts.allCorrect = counts.refCorrect;

  if (rest > 0) {
    const uint32_t first = uint32_t(fullBatches * batch);
    std::fill(x.begin(), x.end(), 0);
    test.copyImages(first, uint32_t(rest), x.data());
    forward(x.data());
    counts.allCorrect +=
        intc_count_correct(logits.data(), test.labels.data() + first,
                           int32_t(rest), int32_t(numClasses));
    // The reference's measure only falls back to these images when there
    // is no full batch (below); so do the heads.
    if (fullBatches == 0)
      countHeads(test.labels.data() + first, rest);
    if (progress)
      progress->update(fullBatches + 1);
  }
  counts.allSeen = test.n;
  if (fullBatches == 0) {
    counts.refCorrect = counts.allCorrect;
    counts.refSeen = counts.allSeen;
  }
  assert(counts.refSeen == referenceSeen(test.n, uint64_t(batch)));
  return counts;
}
