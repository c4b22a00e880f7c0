//===- InputSpec.cpp - What the data readers know about a model -----------===//

#include "runtime/host/InputSpec.h"

#include "llvm/Support/ErrorHandling.h"

using namespace llvm;
using namespace intc::host;

StringRef intc::host::dataLayoutName(DataLayout layout) {
  switch (layout) {
  case DataLayout::Auto:
    return "auto";
  case DataLayout::NCHW:
    return "nchw";
  case DataLayout::NHWC:
    return "nhwc";
  }
  llvm_unreachable("unknown data layout");
}

std::optional<DataLayout> intc::host::parseDataLayout(StringRef name) {
  for (DataLayout layout :
       {DataLayout::Auto, DataLayout::NCHW, DataLayout::NHWC})
    if (dataLayoutName(layout) == name)
      return layout;
  return std::nullopt;
}

std::vector<int64_t> InputSpec::shape() const {
  if (isFlat())
    return {int64_t(c)};
  return {int64_t(c), int64_t(h), int64_t(w)};
}
