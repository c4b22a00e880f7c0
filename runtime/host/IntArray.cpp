//===- IntArray.cpp - An n-dimensional integer array read from a file -----===//

#include "runtime/host/IntArray.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"

#include <cstring>
#include <limits>

using namespace llvm;
using namespace intc::host;

int64_t IntArray::numElements() const {
  // A reader accepts [0, 2^31, 2^31, 2^31] (no bytes), whose other
  // dimensions must not be multiplied: the product would overflow.
  if (llvm::is_contained(shape, 0))
    return 0;
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

template <typename T> static T load(const uint8_t *p) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  return value;
}

int64_t IntArray::element(size_t i) const {
  const uint8_t *p = bytes.data() + i * dtypeBytes(dtype);
  switch (dtype) {
  case DType::I8:
    return load<int8_t>(p);
  case DType::U8:
    return load<uint8_t>(p);
  case DType::I16:
    return load<int16_t>(p);
  case DType::U16:
    return load<uint16_t>(p);
  case DType::I32:
    return load<int32_t>(p);
  case DType::U32:
    return load<uint32_t>(p);
  case DType::I64:
    return load<int64_t>(p);
  case DType::U64: {
    uint64_t value = load<uint64_t>(p);
    constexpr uint64_t max = std::numeric_limits<int64_t>::max();
    return int64_t(value > max ? max : value);
  }
  }
  llvm_unreachable("unknown dtype");
}

StringRef intc::host::numpyTypeName(DType dtype) {
  switch (dtype) {
  case DType::I8:
    return "int8";
  case DType::U8:
    return "uint8";
  case DType::I16:
    return "int16";
  case DType::U16:
    return "uint16";
  case DType::I32:
    return "int32";
  case DType::U32:
    return "uint32";
  case DType::I64:
    return "int64";
  case DType::U64:
    return "uint64";
  }
  llvm_unreachable("unknown dtype");
}

Expected<uint64_t> intc::host::checkedElementCount(ArrayRef<int64_t> shape,
                                                   uint64_t maxElements,
                                                   StringRef what) {
  for (int64_t d : shape)
    if (d < 0)
      return arrayError(what, "negative dimension " + Twine(d) + " in shape " +
                                  formatShape(shape));
  // A zero dimension makes any other dimension harmless.
  if (llvm::is_contained(shape, 0))
    return 0;
  uint64_t count = 1;
  for (int64_t d : shape) {
    if (count > maxElements / uint64_t(d))
      return arrayError(what, "shape " + formatShape(shape) +
                                  " is too large: more than " +
                                  Twine(maxElements) + " elements");
    count *= uint64_t(d);
  }
  return count;
}

Error intc::host::arrayError(StringRef what, const Twine &msg) {
  return createStringError(std::make_error_code(std::errc::invalid_argument),
                           what + ": " + msg);
}
