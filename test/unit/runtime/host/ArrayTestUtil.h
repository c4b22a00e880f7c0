//===- ArrayTestUtil.h - Writers of npy and zip test data -------*- C++ -*-===//
//
// The array readers (.npy, .npz) are tested on files made inside the tests,
// the zip archives with libzip itself, so no binary test data is committed
// and every byte is known.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_TEST_UNIT_RUNTIME_HOST_ARRAYTESTUTIL_H
#define INTC_TEST_UNIT_RUNTIME_HOST_ARRAYTESTUTIL_H

#include "runtime/host/IntArray.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace intc::host::test {

/// A zip file at \p path holding \p members (name, bytes), deflated or
/// stored.
void writeZip(
    llvm::StringRef path,
    llvm::ArrayRef<std::pair<std::string, std::vector<uint8_t>>> members,
    bool deflate);

/// An IntArray of \p dtype and \p shape whose elements are \p values
/// (converted to the dtype).
IntArray makeArray(DType dtype, std::vector<int64_t> shape,
                   llvm::ArrayRef<int64_t> values);

/// A .npy file with a hand-written header dict (padded and terminated as
/// NumPy does) for version \p major.0, followed by \p data.
std::vector<uint8_t> npyWithHeader(unsigned major, llvm::StringRef dict,
                                   llvm::ArrayRef<uint8_t> data);

} // namespace intc::host::test

#endif // INTC_TEST_UNIT_RUNTIME_HOST_ARRAYTESTUTIL_H
