//===- CheckpointWrite.cpp - Write safetensors files atomically -----------===//

#include "runtime/host/AtomicFile.h"
#include "runtime/host/Checkpoint.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/EndianStream.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/SwapByteOrder.h" // sys::IsBigEndianHost

#include <algorithm>

using namespace llvm;
using namespace intc::host;

/// The reserved header key for string metadata.
static const char kMetadataKey[] = "__metadata__";

template <typename... Ts>
static Error writeError(StringRef path, const char *fmt, const Ts &...args) {
  return createFileError(
      path, createStringError(std::errc::invalid_argument, fmt, args...));
}

/// Byte size of \p tensor's data as its dtype and shape require, or an error
/// for a shape no file could hold.
static Expected<uint64_t> requiredBytes(StringRef path,
                                        const TensorView &tensor) {
  uint64_t bytes = dtypeBytes(tensor.dtype);
  for (int64_t dim : tensor.shape) {
    if (dim < 0)
      return writeError(path,
                        "cannot save tensor '%s': negative dimension in shape "
                        "%s",
                        tensor.name.c_str(), formatShape(tensor.shape).c_str());
    bytes = SaturatingMultiply<uint64_t>(bytes, uint64_t(dim));
  }
  return bytes;
}

/// Rejects what would produce an unreadable or ambiguous file.
static Error validate(StringRef path, ArrayRef<TensorView> tensors,
                      const std::map<std::string, std::string> &metadata) {
  StringSet<> names;
  for (const TensorView &tensor : tensors) {
    if (tensor.name.empty())
      return writeError(path, "cannot save a tensor with an empty name");
    if (tensor.name == kMetadataKey)
      return writeError(path, "cannot save tensor '%s': the name is reserved",
                        kMetadataKey);
    if (!json::isUTF8(tensor.name))
      return writeError(path, "cannot save tensor '%s': name is not UTF-8",
                        tensor.name.c_str());
    if (!names.insert(tensor.name).second)
      return writeError(path, "cannot save two tensors named '%s'",
                        tensor.name.c_str());
    Expected<uint64_t> bytes = requiredBytes(path, tensor);
    if (!bytes)
      return bytes.takeError();
    if (*bytes != tensor.data.size())
      return writeError(path,
                        "cannot save tensor '%s': it has %zu bytes of data, "
                        "but %s %s needs %llu",
                        tensor.name.c_str(), tensor.data.size(),
                        dtypeName(tensor.dtype).str().c_str(),
                        formatShape(tensor.shape).c_str(),
                        (unsigned long long)*bytes);
  }
  for (const auto &[key, value] : metadata)
    if (!json::isUTF8(key) || !json::isUTF8(value))
      return writeError(path, "metadata entry '%s' is not UTF-8", key.c_str());
  return Error::success();
}

/// The JSON header, padded with spaces so the data starts 8-byte aligned (as
/// the safetensors reference implementation does).
static std::string
buildHeader(ArrayRef<TensorView> tensors,
            const std::map<std::string, std::string> &metadata) {
  std::string header;
  raw_string_ostream os(header);
  json::OStream json(os);
  json.object([&] {
    if (!metadata.empty())
      json.attributeObject(kMetadataKey, [&] {
        for (const auto &[key, value] : metadata)
          json.attribute(key, value);
      });
    int64_t offset = 0;
    for (const TensorView &tensor : tensors) {
      int64_t end = offset + int64_t(tensor.data.size());
      json.attributeObject(tensor.name, [&] {
        json.attribute("dtype", dtypeName(tensor.dtype));
        json.attributeArray("shape", [&] {
          for (int64_t dim : tensor.shape)
            json.value(dim);
        });
        json.attributeArray("data_offsets", [&] {
          json.value(offset);
          json.value(end);
        });
      });
      offset = end;
    }
  });
  os.flush();
  header.append((8 - (8 + header.size()) % 8) % 8, ' ');
  return header;
}

/// safetensors data is little-endian whatever the host.
static void writeLittleEndian(raw_ostream &os, const TensorView &tensor) {
  unsigned size = dtypeBytes(tensor.dtype);
  if (!sys::IsBigEndianHost || size == 1) {
    os.write(reinterpret_cast<const char *>(tensor.data.data()),
             tensor.data.size());
    return;
  }
  char element[8];
  for (size_t i = 0; i < tensor.data.size(); i += size) {
    std::reverse_copy(tensor.data.begin() + i, tensor.data.begin() + i + size,
                      element);
    os.write(element, size);
  }
}

Error intc::host::writeSafetensors(
    StringRef path, ArrayRef<TensorView> tensors,
    const std::map<std::string, std::string> &metadata) {
  if (Error err = validate(path, tensors, metadata))
    return err;
  std::string header = buildHeader(tensors, metadata);
  return writeFileAtomically(path, [&](raw_ostream &os) {
    support::endian::write<uint64_t>(os, uint64_t(header.size()),
                                     llvm::endianness::little);
    os << header;
    for (const TensorView &tensor : tensors)
      writeLittleEndian(os, tensor);
    return Error::success();
  });
}
