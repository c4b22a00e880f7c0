//===- Prediction.cpp - Scores of a trained model on new inputs -----------===//

#include "runtime/host/Prediction.h"

#include <algorithm>
#include <cstring>

using namespace intc::host;

std::vector<int8_t> intc::host::predictScores(ModelRunner &runner,
                                              const int32_t *state,
                                              const NormalizedSet &inputs,
                                              uint32_t numClasses) {
  const int64_t batch = runner.batchSize();
  std::vector<int8_t> scores(size_t(inputs.n) * numClasses);
  std::vector<int8_t> x(size_t(batch) * inputs.imageBytes);
  std::vector<int8_t> logits(size_t(batch) * numClasses);
  for (int64_t first = 0; first < int64_t(inputs.n); first += batch) {
    const int64_t rows = std::min<int64_t>(batch, inputs.n - first);
    std::fill(x.begin(), x.end(), 0);
    inputs.copyImages(uint32_t(first), uint32_t(rows), x.data());
    runner.predict(state, x.data(), logits.data());
    std::memcpy(scores.data() + size_t(first) * numClasses, logits.data(),
                size_t(rows) * numClasses);
  }
  return scores;
}

uint32_t intc::host::predictedClass(const int8_t *scores,
                                    uint32_t numClasses) {
  uint32_t best = 0;
  for (uint32_t k = 1; k < numClasses; ++k)
    if (scores[k] > scores[best])
      best = k;
  return best;
}
