//===- Evaluation.h - Scoring the test set ----------------------*- C++ -*-===//
//
// One evaluation pass (ALGORITHM.md §8) in batches of B, counted two ways:
//  * the reference's measure: the first (N // B)·B images (9,984 of 10,000
//    for B = 64; the reference never scores the rest, Q8). It drives the
//    schedule and the best-epoch choice. When N < B there is no full batch
//    and this measure falls back to all N images.
//  * every image: the last partial batch is padded with zero images and only
//    its real rows are counted (a prediction depends only on its own row).
// Argmax ties go to the lowest class index (intc_count_correct). A runner
// with heads (ModelRunner::numHeads) is called through predictHeads, whose
// logits are predict's, and each block's head is scored on the images of
// the reference's measure.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_EVALUATION_H
#define INTC_RUNTIME_HOST_EVALUATION_H

#include "runtime/host/ModelRunner.h"
#include "runtime/host/TrainData.h"

#include <cstdint>
#include <vector>

namespace intc::host {

class ProgressBar;

struct TestCounts {
  uint64_t refCorrect = 0, refSeen = 0; // The first (N // B)·B images.
  uint64_t allCorrect = 0, allSeen = 0; // All N images.
  // Per block head, in model order, on the refSeen images; empty when the
  // runner has no heads.
  std::vector<uint64_t> headCorrect;
};

/// The number of images the reference's measure scores out of \p n in
/// batches of \p batch: (n // batch) * batch, or all n below one batch.
inline uint64_t referenceSeen(uint64_t n, uint64_t batch) {
  const uint64_t full = n / batch * batch;
  return full ? full : n;
}

/// Scores \p test with the evaluation forward of \p runner. \p progress, if
/// given, is updated per batch (the caller starts and finishes it).
TestCounts evaluateTestSet(ModelRunner &runner, const int32_t *state,
                           const NormalizedSet &test, uint32_t numClasses,
                           ProgressBar *progress = nullptr);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_EVALUATION_H
