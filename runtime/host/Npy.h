//===- Npy.h - NumPy .npy arrays of integers --------------------*- C++ -*-===//
//
// The .npy format (numpy.lib.format): the magic "\x93NUMPY", a version
// (1.0, 2.0 or 3.0), a little-endian header length (2 bytes in 1.0, 4 after),
// then a Python dict literal such as
//   {'descr': '<u1', 'fortran_order': False, 'shape': (60000, 28, 28), }
// padded with spaces and a newline, then the elements in C order.
//
// Only integer dtypes are read (|u1 |i1 <u2 <i2 <u4 <i4 <u8 <i8, the '>'
// big-endian forms, and |b1 as uint8); float data is refused with a hint to
// convert it, since intc is integer-only. String arrays (<U…, |S…) are read
// separately, for class names. Every error starts with the caller's
// description of the array (a file name, or an .npz file and member).
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_NPY_H
#define INTC_RUNTIME_HOST_NPY_H

#include "runtime/host/IntArray.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <string>
#include <vector>

namespace intc::host {

/// The header of a .npy file, checked for form but not for dtype.
struct NpyHeader {
  unsigned major = 1, minor = 0;
  std::string descr; // e.g. "<u1"
  bool fortranOrder = false;
  std::vector<int64_t> shape;
  size_t dataOffset = 0; // Where the elements start.
};

/// Largest header accepted (NumPy itself refuses more than 10,000 bytes
/// unless told otherwise).
constexpr size_t kMaxNpyHeaderBytes = 1 << 20;

/// Parses the magic, version and header dict of \p bytes.
llvm::Expected<NpyHeader> parseNpyHeader(llvm::ArrayRef<uint8_t> bytes,
                                         llvm::StringRef what);

/// Reads an integer array; \p what names it in errors ("'x.npy'").
llvm::Expected<IntArray> readNpy(llvm::ArrayRef<uint8_t> bytes,
                                 llvm::StringRef what);

/// Reads the .npy file \p path (raw, or gzip / xz compressed).
llvm::Expected<IntArray> readNpyFile(llvm::StringRef path);

/// Reads a 1-D string array (<U… UTF-32 or |S… bytes) as UTF-8 strings,
/// without their trailing NUL padding.
llvm::Expected<std::vector<std::string>>
readNpyStrings(llvm::ArrayRef<uint8_t> bytes, llvm::StringRef what);

/// A version 1.0 .npy file holding \p array (little-endian, C order).
std::vector<uint8_t> writeNpy(const IntArray &array);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_NPY_H
