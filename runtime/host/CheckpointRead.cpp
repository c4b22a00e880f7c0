//===- CheckpointRead.cpp - Read and validate safetensors files -----------===//
//
// A checkpoint may come from another tool, an interrupted copy or a different
// model, so everything is checked before any tensor is handed out: the header
// length, the JSON, every field of every entry, and that the data offsets tile
// the data section exactly.
//
//===----------------------------------------------------------------------===//

#include "runtime/host/Checkpoint.h"
#include "runtime/host/DataFile.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SwapByteOrder.h" // sys::IsBigEndianHost

#include <algorithm>

using namespace llvm;
using namespace intc::host;

/// The same bound as the safetensors reference implementation: a larger
/// header is surely corrupt, and it would otherwise be parsed in full.
static constexpr uint64_t kMaxHeaderBytes = 100'000'000;

static const char kMetadataKey[] = "__metadata__";

template <typename... Ts>
static Error readError(StringRef path, const char *fmt, const Ts &...args) {
  return createFileError(
      path, createStringError(std::errc::illegal_byte_sequence, fmt, args...));
}

/// llvm::json keeps the last of two equal keys without a word, so duplicates
/// (two tensors with one name) are found by scanning the already-validated
/// text. Returns the first duplicated key and whether it is at the top level
/// (a tensor name) or inside an entry (a field name).
static std::optional<std::pair<std::string, bool>>
findDuplicateKey(StringRef text) {
  struct Frame {
    bool isObject;
    bool expectKey;
    StringSet<> keys;
  };
  std::vector<Frame> stack;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      size_t end = i + 1;
      while (end < text.size() && text[end] != '"')
        end += text[end] == '\\' ? 2 : 1;
      if (!stack.empty() && stack.back().isObject && stack.back().expectKey) {
        // Compare unescaped keys: "a" and "\u0061" are the same name.
        Expected<json::Value> key = json::parse(text.slice(i, end + 1));
        std::string name = key && key->getAsString()
                               ? key->getAsString()->str()
                               : text.slice(i + 1, end).str();
        consumeError(key.takeError());
        if (!stack.back().keys.insert(name).second)
          return std::make_pair(name, stack.size() == 1);
        stack.back().expectKey = false;
      }
      i = end;
    } else if (c == '{' || c == '[') {
      stack.push_back({c == '{', c == '{', {}});
    } else if (c == '}' || c == ']') {
      if (!stack.empty())
        stack.pop_back();
    } else if (c == ',' && !stack.empty() && stack.back().isObject) {
      stack.back().expectKey = true;
    }
  }
  return std::nullopt;
}

size_t intc::host::jsonNestingDepth(StringRef text) {
  size_t depth = 0, deepest = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      ++i;
      while (i < text.size() && text[i] != '"')
        i += text[i] == '\\' ? 2 : 1;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == '}' || c == ']') && depth) {
      --depth;
    }
  }
  return deepest;
}

namespace {
/// One header entry after its fields have been validated.
struct Entry {
  std::string name;
  DType dtype;
  std::vector<int64_t> shape;
  uint64_t begin, end;
};
} // namespace

static Expected<Entry> parseEntry(StringRef path, StringRef name,
                                  const json::Value &value) {
  const json::Object *object = value.getAsObject();
  if (!object)
    return readError(path, "header entry for tensor '%s' is not an object",
                     name.str().c_str());
  std::vector<std::string> fields;
  for (const auto &field : *object)
    fields.push_back(field.first.str());
  llvm::sort(fields);
  for (const std::string &field : fields)
    if (field != "dtype" && field != "shape" && field != "data_offsets")
      return readError(path, "tensor '%s' has an unknown field '%s'",
                       name.str().c_str(), field.c_str());
  for (const char *field : {"dtype", "shape", "data_offsets"})
    if (!object->get(field))
      return readError(path, "tensor '%s' has no '%s' field",
                       name.str().c_str(), field);

  Entry entry;
  entry.name = name.str();
  std::optional<StringRef> dtype = object->getString("dtype");
  if (!dtype)
    return readError(path, "tensor '%s': 'dtype' is not a string",
                     name.str().c_str());
  std::optional<DType> parsed = parseDType(*dtype);
  if (!parsed)
    return readError(path,
                     "tensor '%s' has unsupported dtype '%s' (supported: I8, "
                     "U8, I16, U16, I32, U32, I64, U64)",
                     name.str().c_str(), dtype->str().c_str());
  entry.dtype = *parsed;

  const json::Array *shape = object->getArray("shape");
  if (!shape)
    return readError(path, "tensor '%s': 'shape' is not an array",
                     name.str().c_str());
  for (const json::Value &dim : *shape) {
    std::optional<int64_t> size = dim.getAsInteger();
    if (!size || *size < 0)
      return readError(path,
                       "tensor '%s': 'shape' must hold non-negative integers",
                       name.str().c_str());
    entry.shape.push_back(*size);
  }

  const json::Array *offsets = object->getArray("data_offsets");
  std::optional<uint64_t> begin, end;
  if (offsets && offsets->size() == 2) {
    begin = (*offsets)[0].getAsUINT64();
    end = (*offsets)[1].getAsUINT64();
  }
  if (!begin || !end || *begin > *end)
    return readError(path,
                     "tensor '%s': 'data_offsets' must be [begin, end] with "
                     "0 <= begin <= end",
                     name.str().c_str());
  entry.begin = *begin;
  entry.end = *end;
  return std::move(entry);
}

/// Reads the "__metadata__" object: string keys to string values.
static Error parseMetadata(StringRef path, const json::Value &value,
                           std::map<std::string, std::string> &metadata) {
  const json::Object *object = value.getAsObject();
  if (!object)
    return readError(path, "'%s' is not an object", kMetadataKey);
  for (const auto &[key, item] : *object) {
    std::optional<StringRef> text = item.getAsString();
    if (!text)
      return readError(path, "metadata value for '%s' is not a string",
                       key.str().c_str());
    metadata[key.str()] = text->str();
  }
  return Error::success();
}

/// Checks sizes against dtype and shape, and that the entries tile
/// [0, dataSize) in offset order with no gap and no overlap.
static Error checkLayout(StringRef path, std::vector<Entry> &entries,
                         uint64_t dataSize) {
  for (const Entry &entry : entries) {
    uint64_t need = dtypeBytes(entry.dtype);
    for (int64_t dim : entry.shape)
      need = SaturatingMultiply<uint64_t>(need, uint64_t(dim));
    if (entry.end - entry.begin != need)
      return readError(
          path,
          "tensor '%s': %s %s needs %llu bytes, but data_offsets "
          "[%llu, %llu] span %llu",
          entry.name.c_str(), dtypeName(entry.dtype).str().c_str(),
          formatShape(entry.shape).c_str(), (unsigned long long)need,
          (unsigned long long)entry.begin, (unsigned long long)entry.end,
          (unsigned long long)(entry.end - entry.begin));
    if (entry.end > dataSize)
      return readError(path,
                       "tensor '%s': data_offsets [%llu, %llu] extend past "
                       "the end of the data (%llu bytes; is the file "
                       "truncated?)",
                       entry.name.c_str(), (unsigned long long)entry.begin,
                       (unsigned long long)entry.end,
                       (unsigned long long)dataSize);
  }
  llvm::sort(entries, [](const Entry &a, const Entry &b) {
    return std::tie(a.begin, a.end, a.name) < std::tie(b.begin, b.end, b.name);
  });
  uint64_t expected = 0;
  const Entry *previous = nullptr;
  for (const Entry &entry : entries) {
    if (entry.begin < expected)
      return readError(path,
                       "tensors '%s' and '%s' overlap (data_offsets [%llu, "
                       "%llu] and [%llu, %llu])",
                       previous->name.c_str(), entry.name.c_str(),
                       (unsigned long long)previous->begin,
                       (unsigned long long)previous->end,
                       (unsigned long long)entry.begin,
                       (unsigned long long)entry.end);
    if (entry.begin > expected)
      return readError(path,
                       "%llu unused bytes before tensor '%s' (data must be "
                       "contiguous: it starts at %llu, the previous tensor "
                       "ends at %llu)",
                       (unsigned long long)(entry.begin - expected),
                       entry.name.c_str(), (unsigned long long)entry.begin,
                       (unsigned long long)expected);
    expected = entry.end;
    previous = &entry;
  }
  if (expected != dataSize)
    return readError(path,
                     "%llu trailing bytes after the last tensor (the data "
                     "section has %llu bytes, the tensors use %llu)",
                     (unsigned long long)(dataSize - expected),
                     (unsigned long long)dataSize,
                     (unsigned long long)expected);
  return Error::success();
}

/// Copies little-endian file bytes into host order.
static std::vector<uint8_t> toHostOrder(ArrayRef<uint8_t> data, DType dtype) {
  std::vector<uint8_t> out(data.begin(), data.end());
  unsigned size = dtypeBytes(dtype);
  if (sys::IsBigEndianHost && size > 1)
    for (size_t i = 0; i < out.size(); i += size)
      std::reverse(out.begin() + i, out.begin() + i + size);
  return out;
}

Expected<Checkpoint> intc::host::parseSafetensors(ArrayRef<uint8_t> bytes,
                                                  StringRef path) {
  if (bytes.size() < 8)
    return readError(path,
                     "not a safetensors file: %zu bytes, too short for the "
                     "8-byte header length",
                     bytes.size());
  uint64_t headerSize = support::endian::read64le(bytes.data());
  if (headerSize > kMaxHeaderBytes)
    return readError(path,
                     "header length %llu exceeds the limit of %llu bytes (not "
                     "a safetensors file?)",
                     (unsigned long long)headerSize,
                     (unsigned long long)kMaxHeaderBytes);
  if (headerSize > bytes.size() - 8)
    return readError(path,
                     "header length %llu exceeds the %zu bytes that follow "
                     "it (truncated file?)",
                     (unsigned long long)headerSize, bytes.size() - 8);
  StringRef text(reinterpret_cast<const char *>(bytes.data()) + 8,
                 size_t(headerSize));
  if (!text.starts_with("{"))
    return readError(path, "header does not start with '{' (not a "
                           "safetensors file?)");

  // A safetensors header nests 3 levels.
  constexpr size_t kMaxDepth = 16;
  if (jsonNestingDepth(text) > kMaxDepth)
    return readError(path,
                     "the JSON header nests deeper than %zu levels (not a "
                     "safetensors file?)",
                     kMaxDepth);
  Expected<json::Value> header = json::parse(text);
  if (!header)
    return readError(path, "invalid JSON header: %s",
                     toString(header.takeError()).c_str());
  const json::Object *top = header->getAsObject();
  if (!top)
    return readError(path, "the JSON header is not an object");
  if (std::optional<std::pair<std::string, bool>> dup = findDuplicateKey(text))
    return dup->second
               ? readError(path, "duplicate tensor name '%s'",
                           dup->first.c_str())
               : readError(path, "duplicate key '%s' inside a header entry",
                           dup->first.c_str());

  Checkpoint checkpoint;
  checkpoint.path = path.str();
  // Visit names in sorted order so that the first error is deterministic.
  std::vector<std::string> names;
  for (const auto &item : *top)
    names.push_back(item.first.str());
  llvm::sort(names);
  std::vector<Entry> entries;
  for (const std::string &name : names) {
    const json::Value &value = *top->get(name);
    if (name == kMetadataKey) {
      if (Error err = parseMetadata(path, value, checkpoint.metadata))
        return std::move(err);
      continue;
    }
    Expected<Entry> entry = parseEntry(path, name, value);
    if (!entry)
      return entry.takeError();
    entries.push_back(std::move(*entry));
  }

  ArrayRef<uint8_t> data = bytes.drop_front(8 + headerSize);
  if (Error err = checkLayout(path, entries, data.size()))
    return std::move(err);
  for (Entry &entry : entries) {
    Tensor tensor;
    tensor.name = std::move(entry.name);
    tensor.dtype = entry.dtype;
    tensor.shape = std::move(entry.shape);
    tensor.bytes = toHostOrder(data.slice(entry.begin, entry.end - entry.begin),
                               entry.dtype);
    checkpoint.tensors.push_back(std::move(tensor));
  }
  return std::move(checkpoint);
}

Expected<Checkpoint> intc::host::readSafetensors(StringRef path) {
  // The largest state a model may have (2^31 int32 weights) plus a header.
  constexpr uint64_t kMaxCheckpointBytes = (uint64_t(1) << 33) + (1 << 30);
  Expected<std::unique_ptr<MemoryBuffer>> buffer =
      readRegularFile(path, kMaxCheckpointBytes);
  if (!buffer)
    return buffer.takeError();
  return parseSafetensors(ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(
                                                (*buffer)->getBufferStart()),
                                            (*buffer)->getBufferSize()),
                          path);
}
