//===- Prediction.h - Scores of a trained model on new inputs ---*- C++ -*-===//
//
// `intc predict` and the Python package's Model.predict run the evaluation
// forward over any number of normalised inputs, in batches of the compiled
// size B; the last partial batch is padded with zero images (a prediction
// depends only on its own row, Evaluation.h).
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_PREDICTION_H
#define INTC_RUNTIME_HOST_PREDICTION_H

#include "runtime/host/ModelRunner.h"
#include "runtime/host/TrainData.h"

#include <cstdint>
#include <vector>

namespace intc::host {

/// The int8 scores (logits) of every input of \p inputs: n × numClasses,
/// row-major.
std::vector<int8_t> predictScores(ModelRunner &runner, const int32_t *state,
                                  const NormalizedSet &inputs,
                                  uint32_t numClasses);

/// The predicted class of one row of scores: the argmax, ties to the lowest
/// class (as intc_count_correct scores it).
uint32_t predictedClass(const int8_t *scores, uint32_t numClasses);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_PREDICTION_H
