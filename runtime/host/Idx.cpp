//===- Idx.cpp - IDX reader for MNIST / Fashion-MNIST ---------------------===//

#include "runtime/host/Idx.h"

#include "runtime/host/DataFile.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/SwapByteOrder.h"

#include <algorithm>
#include <cstdio>

using namespace llvm;
using namespace intc::host;

static const StringRef kIdxSuffixes[] = {".gz"};

template <typename... Ts>
static Error idxError(const DataFile &file, const char *fmt,
                      const Ts &...args) {
  return createFileError(
      file.path,
      createStringError(std::errc::illegal_byte_sequence, fmt, args...));
}

namespace {
/// The validated layout of one IDX file.
struct IdxLayout {
  SmallVector<uint32_t, 3> dims;
  size_t dataOffset = 0;
};
} // namespace

/// Checks the header of \p file against \p magic ("what" names the kind of
/// file in messages) and that the file holds exactly the announced data.
static Expected<IdxLayout> parseIdx(const DataFile &file, uint32_t magic,
                                    StringRef what) {
  ArrayRef<uint8_t> bytes = file.bytes;
  unsigned wantDims = magic & 0xff;
  if (bytes.size() < 4)
    return idxError(file,
                    "truncated: %zu bytes%s, too short for the 4-byte IDX "
                    "magic number",
                    bytes.size(), file.sizeNote().c_str());
  uint32_t got = support::endian::read32be(bytes.data());
  if (got != magic) {
    if ((got >> 16) != 0)
      return idxError(file,
                      "not an IDX file: magic number 0x%08x, expected 0x%08x "
                      "(an IDX %s file)",
                      got, magic, what.str().c_str());
    if (((got >> 8) & 0xff) != 0x08)
      return idxError(file,
                      "unsupported IDX data type 0x%02x (magic 0x%08x), "
                      "expected 0x08 (unsigned byte)",
                      (got >> 8) & 0xff, got);
    return idxError(file,
                    "wrong number of dimensions: %u (magic 0x%08x), an IDX "
                    "%s file has %u (magic 0x%08x)",
                    got & 0xff, got, what.str().c_str(), wantDims, magic);
  }

  IdxLayout layout;
  layout.dataOffset = 4 + 4 * size_t(wantDims);
  if (bytes.size() < layout.dataOffset)
    return idxError(file,
                    "truncated: %zu bytes%s, too short for the %zu-byte IDX "
                    "header",
                    bytes.size(), file.sizeNote().c_str(), layout.dataOffset);
  uint64_t expected = 1;
  for (unsigned i = 0; i < wantDims; ++i) {
    layout.dims.push_back(support::endian::read32be(bytes.data() + 4 + 4 * i));
    expected = SaturatingMultiply<uint64_t>(expected, layout.dims.back());
  }
  for (unsigned i = 0; i < wantDims; ++i)
    if (layout.dims[i] == 0)
      return idxError(file, "dimension %u of the IDX header is 0: no data", i);
  expected = SaturatingAdd<uint64_t>(expected, layout.dataOffset);
  if (bytes.size() < expected)
    return idxError(file, "truncated: expected %llu bytes, got %zu%s",
                    (unsigned long long)expected, bytes.size(),
                    file.sizeNote().c_str());
  if (bytes.size() > expected)
    return idxError(file, "%llu trailing bytes: expected %llu bytes, got %zu%s",
                    (unsigned long long)(bytes.size() - expected),
                    (unsigned long long)expected, bytes.size(),
                    file.sizeNote().c_str());
  return std::move(layout);
}

/// The images of \p file; their pixels are \p take(dataOffset): a copy of
/// the file's tail, or the file's own bytes.
template <typename Take>
static Expected<ImageSet> parseImages(const DataFile &file, Take take) {
  Expected<IdxLayout> layout = parseIdx(file, kIdxImagesMagic, "image");
  if (!layout)
    return layout.takeError();
  ImageSet set;
  set.n = layout->dims[0];
  set.c = 1;
  set.h = layout->dims[1];
  set.w = layout->dims[2];
  // The header has been checked against the file size, so this is the tail of
  // the file and no product can overflow.
  set.pixels = take(layout->dataOffset);
  return std::move(set);
}

Expected<ImageSet> intc::host::parseIdxImages(const DataFile &file) {
  return parseImages(file, [&](size_t offset) {
    return std::vector<uint8_t>(file.bytes.begin() + offset, file.bytes.end());
  });
}

Expected<ImageSet> intc::host::parseIdxImages(DataFile &&file) {
  return parseImages(file, [&](size_t offset) {
    // A 47 MB buffer moves down by its header in place: no new pages.
    std::vector<uint8_t> pixels = std::move(file.bytes);
    pixels.erase(pixels.begin(), pixels.begin() + offset);
    return pixels;
  });
}

Expected<ImageSet> intc::host::readIdxImages(StringRef path) {
  Expected<DataFile> file = readDataFile(path, kIdxSuffixes);
  if (!file)
    return file.takeError();
  return parseIdxImages(std::move(*file));
}

Expected<std::vector<uint8_t>> intc::host::parseIdxLabels(const DataFile &file,
                                                          unsigned numClasses) {
  assert(numClasses > 0 && "a dataset has at least one class");
  Expected<IdxLayout> layout = parseIdx(file, kIdxLabelsMagic, "label");
  if (!layout)
    return layout.takeError();
  std::vector<uint8_t> labels(file.bytes.begin() + layout->dataOffset,
                              file.bytes.end());
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i] >= numClasses)
      return idxError(file,
                      "label %u of item %zu is out of range: expected 0..%u "
                      "(%u classes)",
                      unsigned(labels[i]), i, numClasses - 1, numClasses);
  return std::move(labels);
}

Expected<std::vector<uint8_t>> intc::host::readIdxLabels(StringRef path,
                                                         unsigned numClasses) {
  Expected<DataFile> file = readDataFile(path, kIdxSuffixes);
  if (!file)
    return file.takeError();
  return parseIdxLabels(*file, numClasses);
}

Expected<ImageSet> intc::host::loadIdxPair(StringRef imagesPath,
                                           StringRef labelsPath,
                                           unsigned numClasses) {
  Expected<ImageSet> set = readIdxImages(imagesPath);
  if (!set)
    return set.takeError();
  Expected<std::vector<uint8_t>> labels = readIdxLabels(labelsPath, numClasses);
  if (!labels)
    return labels.takeError();
  if (labels->size() != set->n)
    return createFileError(
        labelsPath,
        createStringError(std::errc::invalid_argument,
                          "count mismatch: %zu labels, but '%s' has %u images",
                          labels->size(), imagesPath.str().c_str(), set->n));
  set->labels = std::move(*labels);
  return std::move(*set);
}

//===----------------------------------------------------------------------===//
// IDX arrays of any rank and integer type
//===----------------------------------------------------------------------===//

/// "0x0d".
static std::string hexByte(uint8_t byte) {
  char text[8];
  std::snprintf(text, sizeof(text), "0x%02x", unsigned(byte));
  return text;
}

/// The element type of an IDX type byte, or an error saying why not.
static Expected<DType> idxType(uint8_t type, StringRef what) {
  switch (type) {
  case 0x08:
    return DType::U8;
  case 0x09:
    return DType::I8;
  case 0x0B:
    return DType::I16;
  case 0x0C:
    return DType::I32;
  case 0x0D:
  case 0x0E:
    return arrayError(what, "IDX data type " + hexByte(type) +
                                (type == 0x0D ? " (float32)" : " (float64)") +
                                ": intc is integer-only: convert to uint8 or "
                                "int8");
  default:
    return arrayError(what, "unsupported IDX data type " + hexByte(type) +
                                " (0x08 uint8, 0x09 int8, 0x0B int16 and 0x0C "
                                "int32 are read)");
  }
}

Expected<IntArray> intc::host::parseIdxArray(ArrayRef<uint8_t> bytes,
                                             StringRef what) {
  if (bytes.size() < 4)
    return arrayError(what, "truncated: " + Twine(bytes.size()) +
                                " bytes, too short for the 4-byte IDX magic "
                                "number");
  if (bytes[0] != 0 || bytes[1] != 0)
    return arrayError(what, "not an IDX file: the magic number starts with " +
                                hexByte(bytes[0]) + " " + hexByte(bytes[1]) +
                                ", not two zero bytes");
  Expected<DType> dtype = idxType(bytes[2], what);
  if (!dtype)
    return dtype.takeError();
  unsigned rank = bytes[3];
  if (rank == 0)
    return arrayError(what, "the IDX header has 0 dimensions");
  size_t dataOffset = 4 + 4 * size_t(rank);
  if (bytes.size() < dataOffset)
    return arrayError(what, "truncated: " + Twine(bytes.size()) +
                                " bytes, too short for the " +
                                Twine(dataOffset) + "-byte IDX header");
  IntArray array;
  array.dtype = *dtype;
  for (unsigned i = 0; i < rank; ++i)
    array.shape.push_back(support::endian::read32be(bytes.data() + 4 + 4 * i));
  unsigned itemSize = dtypeBytes(*dtype);
  // Each dimension is below 2^32 and there are at most 255: bound the
  // product before multiplying by the item size.
  Expected<uint64_t> count =
      checkedElementCount(array.shape, uint64_t(1) << 60, what);
  if (!count)
    return count.takeError();
  uint64_t expected = *count * itemSize;
  uint64_t available = bytes.size() - dataOffset;
  if (available < expected)
    return arrayError(what, "truncated: shape " + formatShape(array.shape) +
                                " needs " + Twine(expected) +
                                " data bytes, the file has " +
                                Twine(available));
  if (available > expected)
    return arrayError(what, Twine(available - expected) +
                                " trailing bytes after the " + Twine(expected) +
                                " data bytes of shape " +
                                formatShape(array.shape));
  array.bytes.assign(bytes.begin() + dataOffset, bytes.end());
  // IDX is big-endian.
  if (itemSize > 1 && !sys::IsBigEndianHost)
    for (size_t i = 0; i < array.bytes.size(); i += itemSize)
      std::reverse(array.bytes.begin() + i, array.bytes.begin() + i + itemSize);
  return std::move(array);
}

Expected<IntArray> intc::host::readIdxArray(StringRef path) {
  Expected<DataFile> file = readDataFile(path, {});
  if (!file)
    return file.takeError();
  return parseIdxArray(file->bytes, "'" + file->path + "'");
}
