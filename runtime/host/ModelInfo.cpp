//===- ModelInfo.cpp - What the training loop knows about a model ---------===//

#include "runtime/host/ModelInfo.h"

#include "llvm/ADT/StringSet.h"

#include <algorithm>

using namespace llvm;
using namespace intc::host;

int64_t StateTensorInfo::numElements() const {
  int64_t n = 1;
  for (int64_t dim : shape)
    n *= dim;
  return n;
}

static Error invalid(const ModelInfo &info, const Twine &msg) {
  return createStringError(std::make_error_code(std::errc::invalid_argument),
                           "model '" + info.name + "': " + msg);
}

Error intc::host::verifyModelInfo(const ModelInfo &info) {
  if (!info.c || !info.h || !info.w)
    return invalid(info, "the input shape " +
                             formatShape({int64_t(info.c), int64_t(info.h),
                                          int64_t(info.w)}) +
                             " has a zero dimension");
  if (info.numClasses == 0 || info.numClasses > 256)
    return invalid(info, "the class count " + Twine(info.numClasses) +
                             " is not in [1, 256]");
  if (info.batch == 0)
    return invalid(info, "the batch size is 0");
  if (info.lrInv <= 0)
    return invalid(info, "lr_inv " + Twine(info.lrInv) + " is not positive");
  if (info.plateauFactor <= 0)
    return invalid(info, "the plateau factor " + Twine(info.plateauFactor) +
                             " is not positive");

  StringSet<> names;
  std::vector<std::pair<int64_t, const StateTensorInfo *>> byOffset;
  for (const StateTensorInfo &tensor : info.tensors) {
    if (tensor.name.empty())
      return invalid(info, "a state tensor has no name");
    if (!names.insert(tensor.name).second)
      return invalid(info, "two state tensors are named '" + tensor.name + "'");
    for (int64_t dim : tensor.shape)
      if (dim < 0)
        return invalid(info, "state tensor '" + tensor.name + "' has shape " +
                                 formatShape(tensor.shape));
    byOffset.push_back({tensor.offset, &tensor});
  }
  std::stable_sort(
      byOffset.begin(), byOffset.end(),
      [](const auto &a, const auto &b) { return a.first < b.first; });
  int64_t next = 0;
  for (const auto &[offset, tensor] : byOffset) {
    if (offset != next)
      return invalid(info, "state tensor '" + tensor->name + "' starts at " +
                               Twine(offset) + ", expected " + Twine(next) +
                               ": the tensors must cover the state exactly");
    next = offset + tensor->numElements();
  }
  if (next != info.numWeights)
    return invalid(info, "the state tensors cover " + Twine(next) +
                             " elements, but the state has " +
                             Twine(info.numWeights));
  return Error::success();
}

std::vector<TensorSpec> intc::host::checkpointSpecs(const ModelInfo &info) {
  std::vector<TensorSpec> specs;
  for (const StateTensorInfo &tensor : info.tensors)
    specs.push_back({tensor.name, DType::I32, tensor.shape});
  return specs;
}
