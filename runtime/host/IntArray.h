//===- IntArray.h - An n-dimensional integer array read from a file -*- C++
//-*-===//
//
// What the array readers (.npy, .npz, IDX) produce before anyone decides
// what the array means: a dtype, a shape and the elements in host byte order,
// row-major. Only integer dtypes exist (Checkpoint.h's DType): the readers
// refuse float data with a message rather than rounding it, because intc
// trains on integers only.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_INTARRAY_H
#define INTC_RUNTIME_HOST_INTARRAY_H

#include "runtime/host/Checkpoint.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace intc::host {

struct IntArray {
  DType dtype = DType::U8;
  std::vector<int64_t> shape; // Empty for a 0-d (scalar) array.
  std::vector<uint8_t> bytes; // numElements() · dtypeBytes(dtype), host order.

  int64_t numElements() const;

  /// Element \p i (row-major) widened to int64. A U64 value above INT64_MAX
  /// reads as INT64_MAX, which every range check here rejects anyway.
  int64_t element(size_t i) const;
};

/// NumPy's name of a dtype ("uint8", "int16", ...), for messages.
llvm::StringRef numpyTypeName(DType dtype);

/// The element count of \p shape, or an error when a dimension is negative
/// or the product does not fit \p maxElements ("what" starts the message).
llvm::Expected<uint64_t> checkedElementCount(llvm::ArrayRef<int64_t> shape,
                                             uint64_t maxElements,
                                             llvm::StringRef what);

/// An error "<what>: <msg>", the way the array readers report problems (what
/// is e.g. "'x.npz' x_train" or "'images.idx'").
llvm::Error arrayError(llvm::StringRef what, const llvm::Twine &msg);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_INTARRAY_H
