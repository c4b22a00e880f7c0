//===- ReferenceRunner.h - The C reference runtime as a runner --*- C++ -*-===//
//
// A ModelRunner over runtime/c's reference trainer (intc_ref_init /
// intc_ref_train_step / intc_ref_predict / intc_ref_predict_heads) for an
// intc_model descriptor: the executable specification every compiled target
// must match bit for bit, and the runner of the training-loop tests.
//
// intc_ref_train_step does not return the network output, so trainStep
// writes the logits of an evaluation forward (intc_ref_predict) on the
// weights BEFORE the update. Without dropout that is exactly the training
// forward of the step; with dropout it is not (the training forward applies
// the masks), so the train accuracy this runner reports for a model with
// dropout is the clean accuracy of each batch just before its update, not
// the reference's running training-mode accuracy. The weights are the same
// either way.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_REFERENCERUNNER_H
#define INTC_RUNTIME_HOST_REFERENCERUNNER_H

#include "runtime/host/ModelInfo.h"
#include "runtime/host/ModelRunner.h"

#include "runtime/c/intc_model.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace intc::host {

class ReferenceRunner : public ModelRunner {
public:
  /// Validates \p model (intc_model_check), which must outlive the runner.
  static llvm::Expected<std::unique_ptr<ReferenceRunner>>
  create(const intc_model &model, int64_t batch);

  int64_t batchSize() const override { return batch; }
  void init(int32_t *state, uint64_t seed) override;
  void trainStep(int32_t *state, const int8_t *x, const uint8_t *labels,
                 int64_t lrInv, uint64_t seed, uint64_t step,
                 int8_t *logits) override;
  void predict(const int32_t *state, const int8_t *x, int8_t *logits) override;
  int64_t numHeads() const override { return intc_model_num_heads(&model); }
  void predictHeads(const int32_t *state, const int8_t *x, int8_t *logits,
                    int8_t *heads) override;

private:
  ReferenceRunner(const intc_model &model, int64_t batch);

  const intc_model &model;
  int64_t batch;
  std::vector<uint64_t> scratch; // intc_ref_scratch_bytes, 8-byte aligned.
};

/// The ModelInfo of a descriptor: input shape, classes, the state layout
/// (per weighted layer i: "layer<i>.weight" — [out, in] for linear blocks
/// and the output layer, [F, C, k, k] for conv blocks — and, for blocks,
/// "layer<i>.head.weight" [K, dim_in_decoder]) and the reference training
/// parameters (§4.3, §9.1) with the given batch. Augmentation is off; set
/// augmentCrop / augmentFlip for the dataset.
ModelInfo referenceModelInfo(const intc_model &model, llvm::StringRef dataset,
                             uint32_t batch);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_REFERENCERUNNER_H
