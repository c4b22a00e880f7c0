//===- ReferenceRunner.cpp - The C reference runtime as a runner ----------===//

#include "runtime/host/ReferenceRunner.h"

#include "runtime/c/intc_schedule.h"

#include "llvm/Support/ErrorHandling.h"

using namespace llvm;
using namespace intc::host;

Expected<std::unique_ptr<ReferenceRunner>>
ReferenceRunner::create(const intc_model &model, int64_t batch) {
  int32_t badLayer = -1;
  if (int32_t rc = intc_model_check(&model, &badLayer))
    return createStringError(std::errc::invalid_argument,
                             "invalid model descriptor '%s': error %d at "
                             "layer %d",
                             model.name ? model.name : "", rc, badLayer);
  if (batch <= 0 || batch > INT32_MAX)
    return createStringError(std::errc::invalid_argument,
                             "invalid batch size %lld", (long long)batch);
  return std::unique_ptr<ReferenceRunner>(new ReferenceRunner(model, batch));
}

ReferenceRunner::ReferenceRunner(const intc_model &model, int64_t batch)
    : model(model), batch(batch),
      scratch(intc_ref_scratch_bytes(&model, int32_t(batch)) / 8 + 1) {}

/// The descriptor was checked in create(), so a failure is a bug.
static void check(int32_t rc, const char *what) {
  if (rc != INTC_OK)
    report_fatal_error(Twine(what) + " failed with status " + Twine(rc));
}

void ReferenceRunner::init(int32_t *state, uint64_t seed) {
  check(intc_ref_init(&model, state, seed), "intc_ref_init");
}

void ReferenceRunner::trainStep(int32_t *state, const int8_t *x,
                                const uint8_t *labels, int64_t lrInv,
                                uint64_t seed, uint64_t step, int8_t *logits) {
  // An evaluation forward before the update (see the header).
  predict(state, x, logits);
  check(intc_ref_train_step(&model, state, x, labels, int32_t(batch), lrInv,
                            seed, step, scratch.data()),
        "intc_ref_train_step");
}

void ReferenceRunner::predict(const int32_t *state, const int8_t *x,
                              int8_t *logits) {
  check(intc_ref_predict(&model, state, x, int32_t(batch), logits,
                         scratch.data()),
        "intc_ref_predict");
}

void ReferenceRunner::predictHeads(const int32_t *state, const int8_t *x,
                                   int8_t *logits, int8_t *heads) {
  check(intc_ref_predict_heads(&model, state, x, int32_t(batch), logits, heads,
                               scratch.data()),
        "intc_ref_predict_heads");
}

ModelInfo intc::host::referenceModelInfo(const intc_model &model,
                                         StringRef dataset, uint32_t batch) {
  ModelInfo info;
  info.name = model.name ? model.name : "";
  info.dataset = dataset.str();
  info.c = uint32_t(model.in_c);
  info.h = uint32_t(model.in_h);
  info.w = uint32_t(model.in_w);
  info.numClasses = uint32_t(model.num_classes);
  info.numWeights = model.n_weights;
  info.batch = batch;
  info.lrInv = INTC_REFERENCE_LR_INV;
  info.maxEpochs = INTC_REFERENCE_MAX_EPOCHS;
  for (int32_t i = 0; i < model.n_layers; ++i) {
    const intc_layer &l = model.layers[i];
    const std::string prefix = "layer" + std::to_string(i);
    if (l.w_offset >= 0) {
      std::vector<int64_t> shape;
      if (l.kind == INTC_LAYER_CONV_BLOCK)
        shape = {l.out_c, l.in_c, l.kernel, l.kernel};
      else
        shape = {l.out_c, l.in_c};
      info.tensors.push_back({prefix + ".weight", shape, l.w_offset});
    }
    if (l.head_w_offset >= 0)
      info.tensors.push_back({prefix + ".head.weight",
                              {model.num_classes, l.dim_in_decoder},
                              l.head_w_offset});
  }
  return info;
}
