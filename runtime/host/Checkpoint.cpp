//===- Checkpoint.cpp - dtypes and checking against a model ---------------===//
//
// Reading and writing live in CheckpointRead.cpp / CheckpointWrite.cpp.
//
//===----------------------------------------------------------------------===//

#include "runtime/host/Checkpoint.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace llvm;
using namespace intc::host;

static const DType kAllDTypes[] = {DType::I8,  DType::U8,  DType::I16,
                                   DType::U16, DType::I32, DType::U32,
                                   DType::I64, DType::U64};

ArrayRef<DType> intc::host::allDTypes() { return kAllDTypes; }

StringRef intc::host::dtypeName(DType dtype) {
  switch (dtype) {
  case DType::I8:
    return "I8";
  case DType::U8:
    return "U8";
  case DType::I16:
    return "I16";
  case DType::U16:
    return "U16";
  case DType::I32:
    return "I32";
  case DType::U32:
    return "U32";
  case DType::I64:
    return "I64";
  case DType::U64:
    return "U64";
  }
  llvm_unreachable("unknown dtype");
}

std::optional<DType> intc::host::parseDType(StringRef name) {
  for (DType dtype : kAllDTypes)
    if (dtypeName(dtype) == name)
      return dtype;
  return std::nullopt;
}

unsigned intc::host::dtypeBytes(DType dtype) {
  switch (dtype) {
  case DType::I8:
  case DType::U8:
    return 1;
  case DType::I16:
  case DType::U16:
    return 2;
  case DType::I32:
  case DType::U32:
    return 4;
  case DType::I64:
  case DType::U64:
    return 8;
  }
  llvm_unreachable("unknown dtype");
}

bool intc::host::dtypeIsSigned(DType dtype) {
  switch (dtype) {
  case DType::I8:
  case DType::I16:
  case DType::I32:
  case DType::I64:
    return true;
  case DType::U8:
  case DType::U16:
  case DType::U32:
  case DType::U64:
    return false;
  }
  llvm_unreachable("unknown dtype");
}

std::string intc::host::formatShape(ArrayRef<int64_t> shape) {
  std::string out = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + "]";
}

int64_t Tensor::numElements() const {
  // As IntArray::numElements: a zero dimension makes the others harmless
  // to the reader, and must not overflow here.
  if (llvm::is_contained(shape, 0))
    return 0;
  int64_t n = 1;
  for (int64_t dim : shape)
    n *= dim;
  return n;
}

const Tensor *Checkpoint::find(StringRef name) const {
  for (const Tensor &tensor : tensors)
    if (tensor.name == name)
      return &tensor;
  return nullptr;
}

Error intc::host::checkTensors(const Checkpoint &checkpoint,
                               ArrayRef<TensorSpec> expected) {
  auto fail = [&](const std::string &msg) {
    return createFileError(
        checkpoint.path,
        createStringError(std::errc::invalid_argument, "%s", msg.c_str()));
  };
  StringSet<> expectedNames;
  for (const TensorSpec &spec : expected) {
    expectedNames.insert(spec.name);
    const Tensor *tensor = checkpoint.find(spec.name);
    if (!tensor)
      return fail("missing tensor '" + spec.name + "' (the model expects " +
                  dtypeName(spec.dtype).str() + " " + formatShape(spec.shape) +
                  ")");
    if (tensor->dtype != spec.dtype)
      return fail("tensor '" + spec.name + "' has dtype " +
                  dtypeName(tensor->dtype).str() + ", the model expects " +
                  dtypeName(spec.dtype).str());
    if (tensor->shape != spec.shape)
      return fail("tensor '" + spec.name + "' has shape " +
                  formatShape(tensor->shape) + ", the model expects " +
                  formatShape(spec.shape));
  }
  for (const Tensor &tensor : checkpoint.tensors)
    if (!expectedNames.contains(tensor.name))
      return fail("unexpected tensor '" + tensor.name + "' (" +
                  dtypeName(tensor.dtype).str() + " " +
                  formatShape(tensor.shape) +
                  "): the model has no such tensor");
  return Error::success();
}
