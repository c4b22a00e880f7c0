//===- Npy.cpp - NumPy .npy arrays of integers ----------------------------===//

#include "runtime/host/Npy.h"

#include "runtime/host/DataFile.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/SwapByteOrder.h"

#include <algorithm>
#include <limits>

using namespace llvm;
using namespace intc::host;

static const uint8_t kNpyMagic[] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
static constexpr size_t kNpyMagicBytes = sizeof(kNpyMagic);

//===----------------------------------------------------------------------===//
// The header dict: a small subset of Python literal syntax
//===----------------------------------------------------------------------===//

namespace {
/// One value of the header dict. Only what .npy headers use is parsed;
/// anything else (a list, as in structured dtypes) is Kind::Other.
struct PyValue {
  enum class Kind { String, Bool, Int, Tuple, Other } kind = Kind::Other;
  std::string string;
  bool boolean = false;
  int64_t integer = 0;
  std::vector<int64_t> tuple;
};

class DictParser {
public:
  explicit DictParser(StringRef text) : rest(text) {}

  /// Parses `{key: value, ...}` into \p out; returns a description of the
  /// first syntax error, or "" on success.
  std::string parse(std::vector<std::pair<std::string, PyValue>> &out) {
    if (!consume('{'))
      return "expected '{'";
    while (!consume('}')) {
      PyValue key;
      if (std::string err = parseValue(key); !err.empty())
        return err;
      if (key.kind != PyValue::Kind::String)
        return "expected a string key";
      if (!consume(':'))
        return "expected ':' after '" + key.string + "'";
      PyValue value;
      if (std::string err = parseValue(value); !err.empty())
        return err;
      out.emplace_back(key.string, std::move(value));
      if (!consume(',')) {
        if (!consume('}'))
          return "expected ',' or '}'";
        break;
      }
    }
    skipSpace();
    if (!rest.empty())
      return "unexpected text after the dict";
    return "";
  }

private:
  StringRef rest;

  void skipSpace() { rest = rest.ltrim(" \t\r\n"); }
  bool consume(char c) {
    skipSpace();
    return rest.consume_front(StringRef(&c, 1));
  }

  std::string parseInt(int64_t &value) {
    skipSpace();
    size_t digits = 0;
    while (digits < rest.size() && isDigit(rest[digits]))
      ++digits;
    if (digits == 0)
      return "expected an integer";
    if (rest.take_front(digits).getAsInteger(10, value))
      return "integer '" + rest.take_front(digits).str() + "' is too large";
    rest = rest.drop_front(digits);
    rest.consume_front("L"); // Python 2 long.
    return "";
  }

  std::string parseValue(PyValue &value) {
    skipSpace();
    if (rest.empty())
      return "unexpected end of header";
    char c = rest.front();
    if (c == '\'' || c == '"') {
      size_t end = rest.find(c, 1);
      if (end == StringRef::npos)
        return "unterminated string";
      value.kind = PyValue::Kind::String;
      value.string = rest.slice(1, end).str();
      rest = rest.drop_front(end + 1);
      return "";
    }
    if (rest.consume_front("True") || rest.consume_front("False")) {
      value.kind = PyValue::Kind::Bool;
      value.boolean = c == 'T';
      return "";
    }
    if (isDigit(c)) {
      value.kind = PyValue::Kind::Int;
      return parseInt(value.integer);
    }
    if (c == '(') {
      rest = rest.drop_front();
      value.kind = PyValue::Kind::Tuple;
      while (!consume(')')) {
        int64_t dim;
        if (std::string err = parseInt(dim); !err.empty())
          return err + " in the shape tuple";
        value.tuple.push_back(dim);
        if (!consume(',')) {
          if (!consume(')'))
            return "expected ',' or ')' in the shape tuple";
          break;
        }
      }
      return "";
    }
    if (c == '[') {
      // A structured dtype's field list: skip it, brackets balanced.
      int depth = 0;
      size_t i = 0;
      for (; i < rest.size(); ++i) {
        if (rest[i] == '[')
          ++depth;
        else if (rest[i] == ']' && --depth == 0)
          break;
      }
      if (i == rest.size())
        return "unterminated list";
      rest = rest.drop_front(i + 1);
      value.kind = PyValue::Kind::Other;
      return "";
    }
    return std::string("unexpected character '") + c + "'";
  }
};
} // namespace

Expected<NpyHeader> intc::host::parseNpyHeader(ArrayRef<uint8_t> bytes,
                                               StringRef what) {
  if (bytes.size() < kNpyMagicBytes ||
      !std::equal(bytes.begin(), bytes.begin() + kNpyMagicBytes, kNpyMagic))
    return arrayError(what, "not a .npy array (no \\x93NUMPY magic bytes)");
  if (bytes.size() < 10)
    return arrayError(what, "truncated: " + Twine(bytes.size()) +
                                " bytes, too short for a .npy header");
  NpyHeader header;
  header.major = bytes[6];
  header.minor = bytes[7];
  if (header.major < 1 || header.major > 3)
    return arrayError(what, "unsupported .npy version " + Twine(header.major) +
                                "." + Twine(header.minor) +
                                " (1.0, 2.0 and 3.0 are read)");
  size_t lengthBytes = header.major == 1 ? 2 : 4;
  if (bytes.size() < 8 + lengthBytes)
    return arrayError(what, "truncated: " + Twine(bytes.size()) +
                                " bytes, too short for a .npy header");
  uint64_t length = header.major == 1
                        ? support::endian::read16le(bytes.data() + 8)
                        : support::endian::read32le(bytes.data() + 8);
  if (length > kMaxNpyHeaderBytes)
    return arrayError(what, "header of " + Twine(length) +
                                " bytes is larger than the limit of " +
                                Twine(kMaxNpyHeaderBytes));
  header.dataOffset = 8 + lengthBytes + size_t(length);
  if (bytes.size() < header.dataOffset)
    return arrayError(what, "truncated: the header announces " + Twine(length) +
                                " bytes, the file has " +
                                Twine(bytes.size() - 8 - lengthBytes));
  StringRef text(reinterpret_cast<const char *>(bytes.data()) + 8 + lengthBytes,
                 length);

  std::vector<std::pair<std::string, PyValue>> dict;
  if (std::string err = DictParser(text).parse(dict); !err.empty())
    return arrayError(what, "malformed .npy header (" + err +
                                "): " + text.rtrim(" \n"));
  auto find = [&](StringRef key) -> const PyValue * {
    for (const auto &[name, value] : dict)
      if (name == key)
        return &value;
    return nullptr;
  };
  const PyValue *descr = find("descr");
  const PyValue *fortran = find("fortran_order");
  const PyValue *shape = find("shape");
  if (!descr || !fortran || !shape)
    return arrayError(what, "malformed .npy header (it needs 'descr', "
                            "'fortran_order' and 'shape'): " +
                                text.rtrim(" \n"));
  if (descr->kind == PyValue::Kind::Other)
    return arrayError(what, "structured dtypes (record arrays) are not "
                            "supported; save one plain integer array per key");
  if (descr->kind != PyValue::Kind::String ||
      fortran->kind != PyValue::Kind::Bool ||
      shape->kind != PyValue::Kind::Tuple)
    return arrayError(what, "malformed .npy header (wrong value types): " +
                                text.rtrim(" \n"));
  header.descr = descr->string;
  header.fortranOrder = fortran->boolean;
  header.shape = shape->tuple;
  return std::move(header);
}

//===----------------------------------------------------------------------===//
// dtypes
//===----------------------------------------------------------------------===//

namespace {
/// A descr string taken apart: byte order, kind and item size.
struct Descr {
  char order = '|'; // '<', '>', '|' or '='.
  char kind = 0;    // 'u', 'i', 'b', 'f', 'U', 'S', ...
  uint64_t size = 0;
};
} // namespace

static std::optional<Descr> splitDescr(StringRef text) {
  Descr d;
  if (!text.empty() && StringRef("<>|=").contains(text.front())) {
    d.order = text.front();
    text = text.drop_front();
  }
  if (text.empty() || !isAlpha(text.front()))
    return std::nullopt;
  d.kind = text.front();
  text = text.drop_front();
  // The size is absent for objects ('|O'): 0.
  if (!text.empty() && text.getAsInteger(10, d.size))
    return std::nullopt;
  return d;
}

static bool bigEndianOrder(const Descr &d) {
  return d.order == '>' || (d.order == '=' && sys::IsBigEndianHost);
}

/// The DType of an integer descr, or an error that says what it is instead.
static Expected<DType> integerDType(StringRef descrText, StringRef what) {
  std::optional<Descr> d = splitDescr(descrText);
  if (!d)
    return arrayError(what, "unrecognised dtype '" + descrText + "'");
  static const struct {
    char kind;
    uint64_t size;
    DType dtype;
  } kIntegers[] = {
      {'u', 1, DType::U8},  {'u', 2, DType::U16},
      {'u', 4, DType::U32}, {'u', 8, DType::U64},
      {'i', 1, DType::I8},  {'i', 2, DType::I16},
      {'i', 4, DType::I32}, {'i', 8, DType::I64},
      {'b', 1, DType::U8}, // numpy.bool_: one byte, 0 or 1.
  };
  for (const auto &entry : kIntegers)
    if (entry.kind == d->kind && entry.size == d->size)
      return entry.dtype;
  switch (d->kind) {
  case 'f':
  case 'c':
    return arrayError(what, "dtype '" + descrText + "' is " +
                                (d->kind == 'f' ? "float" : "complex") +
                                Twine(d->size * 8) +
                                ": intc is integer-only: convert to uint8 "
                                "or int8");
  case 'U':
  case 'S':
  case 'a':
    return arrayError(what, "dtype '" + descrText +
                                "' is a string array, expected integers");
  case 'O':
    return arrayError(what, "dtype 'O' is an object array (pickled Python "
                            "objects), which intc does not read");
  default:
    break;
  }
  return arrayError(what, "unsupported dtype '" + descrText +
                              "' (integers of 1, 2, 4 or 8 bytes are read)");
}

/// Checks the element data after the header: exactly count · itemSize bytes,
/// C order. Returns the element count.
static Expected<uint64_t> checkData(const NpyHeader &header,
                                    ArrayRef<uint8_t> bytes, uint64_t itemSize,
                                    StringRef what) {
  if (header.fortranOrder && header.shape.size() > 1)
    return arrayError(what, "is stored in Fortran order; save it in C order "
                            "(numpy.ascontiguousarray) for intc");
  uint64_t available = bytes.size() - header.dataOffset;
  Expected<uint64_t> count = checkedElementCount(
      header.shape, std::numeric_limits<uint64_t>::max() / 16 / itemSize, what);
  if (!count)
    return count.takeError();
  uint64_t expected = *count * itemSize;
  if (available < expected)
    return arrayError(what, "truncated: shape " + formatShape(header.shape) +
                                " of '" + header.descr + "' needs " +
                                Twine(expected) + " data bytes, the file has " +
                                Twine(available));
  if (available > expected)
    return arrayError(what, Twine(available - expected) +
                                " trailing bytes after the " + Twine(expected) +
                                " data bytes of shape " +
                                formatShape(header.shape));
  return *count;
}

Expected<IntArray> intc::host::readNpy(ArrayRef<uint8_t> bytes,
                                       StringRef what) {
  Expected<NpyHeader> header = parseNpyHeader(bytes, what);
  if (!header)
    return header.takeError();
  Expected<DType> dtype = integerDType(header->descr, what);
  if (!dtype)
    return dtype.takeError();
  unsigned itemSize = dtypeBytes(*dtype);
  Expected<uint64_t> count = checkData(*header, bytes, itemSize, what);
  if (!count)
    return count.takeError();

  IntArray array;
  array.dtype = *dtype;
  array.shape = header->shape;
  array.bytes.assign(bytes.begin() + header->dataOffset, bytes.end());
  if (itemSize > 1 &&
      bigEndianOrder(*splitDescr(header->descr)) != sys::IsBigEndianHost)
    for (size_t i = 0; i < array.bytes.size(); i += itemSize)
      std::reverse(array.bytes.begin() + i, array.bytes.begin() + i + itemSize);
  return std::move(array);
}

Expected<IntArray> intc::host::readNpyFile(StringRef path) {
  Expected<DataFile> file = readDataFile(path, {});
  if (!file)
    return file.takeError();
  return readNpy(file->bytes, "'" + file->path + "'");
}

//===----------------------------------------------------------------------===//
// String arrays
//===----------------------------------------------------------------------===//

static void appendUtf8(std::string &out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xc0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += char(0xe0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  } else {
    out += char(0xf0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3f));
    out += char(0x80 | ((cp >> 6) & 0x3f));
    out += char(0x80 | (cp & 0x3f));
  }
}

Expected<std::vector<std::string>>
intc::host::readNpyStrings(ArrayRef<uint8_t> bytes, StringRef what) {
  Expected<NpyHeader> header = parseNpyHeader(bytes, what);
  if (!header)
    return header.takeError();
  std::optional<Descr> d = splitDescr(header->descr);
  bool unicode = d && d->kind == 'U';
  if (!d || !(unicode || d->kind == 'S' || d->kind == 'a') || d->size == 0 ||
      d->size > 4096)
    return arrayError(what, "dtype '" + header->descr +
                                "' is not a string array (<U… or |S…)");
  if (header->shape.size() != 1)
    return arrayError(what, "holds strings of shape " +
                                formatShape(header->shape) +
                                ", expected a 1-D array");
  uint64_t itemSize = unicode ? d->size * 4 : d->size;
  Expected<uint64_t> count = checkData(*header, bytes, itemSize, what);
  if (!count)
    return count.takeError();

  std::vector<std::string> strings;
  const uint8_t *p = bytes.data() + header->dataOffset;
  bool big = bigEndianOrder(*d);
  for (uint64_t i = 0; i < *count; ++i, p += itemSize) {
    std::string s;
    if (unicode) {
      for (uint64_t k = 0; k < d->size; ++k) {
        uint32_t cp = big ? support::endian::read32be(p + 4 * k)
                          : support::endian::read32le(p + 4 * k);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
          return arrayError(what, "string " + Twine(i) +
                                      " holds an invalid code point 0x" +
                                      Twine::utohexstr(cp));
        appendUtf8(s, cp);
      }
    } else {
      s.assign(reinterpret_cast<const char *>(p), itemSize);
    }
    // NumPy pads with NULs and strips them when reading.
    s.erase(s.find_last_not_of('\0') + 1);
    strings.push_back(std::move(s));
  }
  return std::move(strings);
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

static std::string npyDescr(DType dtype) {
  const char *kind = dtypeIsSigned(dtype) ? "i" : "u";
  unsigned size = dtypeBytes(dtype);
  return (Twine(size == 1 ? "|" : "<") + kind + Twine(size)).str();
}

std::vector<uint8_t> intc::host::writeNpy(const IntArray &array) {
  std::string dict = "{'descr': '" + npyDescr(array.dtype) +
                     "', 'fortran_order': False, 'shape': (";
  for (int64_t d : array.shape)
    dict += std::to_string(d) + (array.shape.size() == 1 ? "," : ", ");
  if (array.shape.size() > 1)
    dict.resize(dict.size() - 2);
  dict += "), }";
  // The header, its newline included, pads the data to 64-byte alignment.
  size_t total = 10 + dict.size() + 1;
  dict.append((64 - total % 64) % 64, ' ');
  dict += '\n';

  std::vector<uint8_t> out(kNpyMagic, kNpyMagic + kNpyMagicBytes);
  out.push_back(1);
  out.push_back(0);
  out.push_back(uint8_t(dict.size() & 0xff));
  out.push_back(uint8_t(dict.size() >> 8));
  out.insert(out.end(), dict.begin(), dict.end());
  size_t dataStart = out.size();
  out.insert(out.end(), array.bytes.begin(), array.bytes.end());
  unsigned itemSize = dtypeBytes(array.dtype);
  if (sys::IsBigEndianHost && itemSize > 1)
    for (size_t i = dataStart; i < out.size(); i += itemSize)
      std::reverse(out.begin() + i, out.begin() + i + itemSize);
  return out;
}
