//===- Checkpoint.h - safetensors checkpoints, integer dtypes ---*- C++ -*-===//
//
// Model weights and training state are saved in the safetensors format
// (https://huggingface.co/docs/safetensors) so that standard tools can read
// them:
//
//   8 bytes   N, little-endian uint64: the header length
//   N bytes   JSON: {"<tensor>": {"dtype": "I32", "shape": [..],
//                                 "data_offsets": [begin, end]}, ...,
//                    "__metadata__": {"<key>": "<string>", ...}}
//             padded with spaces so the data starts 8-byte aligned
//   rest      the tensors' little-endian bytes; offsets are relative to the
//             start of this section, which they cover with no gap or overlap
//
// Only integer dtypes exist here (I8, U8, I16, U16, I32, U32, I64, U64): intc
// never stores a float. The dataset readers (IntArray.h) use the same dtypes.
// Writes are atomic and readers validate everything; every error names the
// file.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_CHECKPOINT_H
#define INTC_RUNTIME_HOST_CHECKPOINT_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cassert>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace intc::host {

enum class DType : uint8_t { I8, U8, I16, U16, I32, U32, I64, U64 };

/// Every dtype, in enum order.
llvm::ArrayRef<DType> allDTypes();

/// The safetensors spelling: "I8", "U8", "I16", "U16", "I32", ...
llvm::StringRef dtypeName(DType dtype);

/// The inverse of dtypeName(); std::nullopt for any other name (F32, ...).
std::optional<DType> parseDType(llvm::StringRef name);

/// Bytes per element.
unsigned dtypeBytes(DType dtype);

/// True for I8, I16, I32 and I64.
bool dtypeIsSigned(DType dtype);

/// The DType of a C++ element type.
template <typename T> constexpr DType dtypeOf();
template <> constexpr DType dtypeOf<int8_t>() { return DType::I8; }
template <> constexpr DType dtypeOf<uint8_t>() { return DType::U8; }
template <> constexpr DType dtypeOf<int16_t>() { return DType::I16; }
template <> constexpr DType dtypeOf<uint16_t>() { return DType::U16; }
template <> constexpr DType dtypeOf<int32_t>() { return DType::I32; }
template <> constexpr DType dtypeOf<uint32_t>() { return DType::U32; }
template <> constexpr DType dtypeOf<int64_t>() { return DType::I64; }
template <> constexpr DType dtypeOf<uint64_t>() { return DType::U64; }

/// "[100, 785]", as in messages.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// A tensor to be written; borrows its data (elements in host byte order).
struct TensorView {
  std::string name;
  DType dtype = DType::I32;
  std::vector<int64_t> shape;
  llvm::ArrayRef<uint8_t> data;

  template <typename T>
  static TensorView get(llvm::StringRef name, llvm::ArrayRef<int64_t> shape,
                        llvm::ArrayRef<T> values) {
    return {name.str(), dtypeOf<T>(), shape.vec(),
            llvm::ArrayRef<uint8_t>(
                reinterpret_cast<const uint8_t *>(values.data()),
                values.size() * sizeof(T))};
  }
};

/// A tensor read from a checkpoint; owns its data (host byte order).
struct Tensor {
  std::string name;
  DType dtype = DType::I32;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;

  int64_t numElements() const;

  /// The elements as \p T, which must match the dtype.
  template <typename T> std::vector<T> values() const {
    assert(dtypeOf<T>() == dtype && "element type does not match the dtype");
    std::vector<T> out(bytes.size() / sizeof(T));
    if (!out.empty())
      std::memcpy(out.data(), bytes.data(), out.size() * sizeof(T));
    return out;
  }

  TensorView view() const { return {name, dtype, shape, bytes}; }
};

/// The contents of a safetensors file.
struct Checkpoint {
  std::string path;            // Where it was read from, for messages.
  std::vector<Tensor> tensors; // In data-offset order.
  std::map<std::string, std::string> metadata;

  const Tensor *find(llvm::StringRef name) const;
};

/// Writes a safetensors file atomically: the data goes to a temporary file in
/// the same folder, which is flushed to disk and then renamed over \p path. A
/// crash or error at any point leaves either the old file or the new one at
/// \p path, never a mixture; on error the temporary file is removed.
/// Tensors are stored in the given order; names must be unique and non-empty.
llvm::Error
writeSafetensors(llvm::StringRef path, llvm::ArrayRef<TensorView> tensors,
                 const std::map<std::string, std::string> &metadata = {});

/// Reads and fully validates a safetensors file.
llvm::Expected<Checkpoint> readSafetensors(llvm::StringRef path);

/// Validates safetensors bytes already in memory; \p path only names them in
/// messages.
llvm::Expected<Checkpoint> parseSafetensors(llvm::ArrayRef<uint8_t> bytes,
                                            llvm::StringRef path);

/// The deepest nesting of objects and arrays in JSON \p text (strings
/// skipped). llvm::json::parse recurses once per level, so JSON from a file
/// is measured before it is parsed: a hostile file could otherwise exhaust
/// the stack.
size_t jsonNestingDepth(llvm::StringRef text);

/// What the model expects of one tensor.
struct TensorSpec {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
};

/// Checks that \p checkpoint holds exactly the tensors in \p expected, with
/// their dtypes and shapes, and reports the first difference: a missing
/// tensor, a dtype or shape mismatch (in \p expected order), then a tensor the
/// model does not have.
llvm::Error checkTensors(const Checkpoint &checkpoint,
                         llvm::ArrayRef<TensorSpec> expected);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_CHECKPOINT_H
