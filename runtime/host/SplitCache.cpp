//===- SplitCache.cpp - Decoded dataset splits kept between runs ----------===//

#include "runtime/host/SplitCache.h"

#include "runtime/host/DataFile.h"
#include "runtime/host/Datasets.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <sys/stat.h>

using namespace llvm;
using namespace intc::host;

static SplitCache *currentSplitCache = nullptr;

void intc::host::setSplitCache(SplitCache *cache) { currentSplitCache = cache; }
SplitCache *intc::host::splitCache() { return currentSplitCache; }

std::optional<std::string>
intc::host::splitIdentity(const DatasetInfo &info, StringRef dir, Split split) {
  std::string id;
  auto field = [&](const Twine &value) {
    id += value.str();
    id += '\0';
  };
  field(info.name);
  field(splitName(split));
  for (const std::string &file : datasetFiles(info, split)) {
    SmallString<256> path(dir);
    sys::path::append(path, file);
    Expected<std::string> found = findDataFile(path, datasetFileSuffixes(info));
    if (!found) {
      consumeError(found.takeError());
      return std::nullopt;
    }
    SmallString<256> absolute(*found);
    if (sys::fs::make_absolute(absolute))
      return std::nullopt;
    // llvm::sys::fs::file_status has no change time; a rewrite in place
    // that restores the modification time still moves it.
    struct stat st;
    if (::stat(absolute.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
      return std::nullopt;
    field(absolute);
    field(Twine(int64_t(st.st_size)));
    field(Twine(int64_t(st.st_mtim.tv_sec)) + "." +
          Twine(int64_t(st.st_mtim.tv_nsec)));
    field(Twine(int64_t(st.st_ctim.tv_sec)) + "." +
          Twine(int64_t(st.st_ctim.tv_nsec)));
    field(Twine(uint64_t(st.st_dev)) + ":" + Twine(uint64_t(st.st_ino)));
  }
  return id;
}

static constexpr char kMagic[8] = {'I', 'N', 'T', 'C', 'S', 'P', 'L', 'T'};
static constexpr size_t kHeaderBytes = 24;

/// Where the pixels start in a payload of \p n images.
static uint64_t pixelOffset(uint64_t n) {
  return (kHeaderBytes + n + 63) / 64 * 64;
}

std::string intc::host::encodeSplit(const ImageSet &set) {
  ArrayRef<uint8_t> pixels = set.pixelData();
  std::string out(kMagic, sizeof kMagic);
  for (uint32_t v : {set.n, set.c, set.h, set.w}) {
    char le[4];
    support::endian::write32le(le, v);
    out.append(le, 4);
  }
  out.append(set.labels.begin(), set.labels.end());
  out.resize(pixelOffset(set.n), '\0');
  out.append(pixels.begin(), pixels.end());
  return out;
}

Expected<ImageSet> intc::host::decodeSplit(StringRef payload,
                                           std::shared_ptr<const void> owner) {
  auto fail = [](const Twine &msg) {
    return createStringError(std::make_error_code(std::errc::invalid_argument),
                             "cached split: " + msg);
  };
  if (payload.size() < kHeaderBytes ||
      payload.substr(0, sizeof kMagic) != StringRef(kMagic, sizeof kMagic))
    return fail("not a split");
  ImageSet set;
  const char *p = payload.data() + sizeof kMagic;
  set.n = support::endian::read32le(p);
  set.c = support::endian::read32le(p + 4);
  set.h = support::endian::read32le(p + 8);
  set.w = support::endian::read32le(p + 12);
  const uint64_t offset = pixelOffset(set.n);
  const uint64_t pixels = uint64_t(set.n) * set.c * set.h * set.w;
  if (uint64_t(set.c) * set.h * set.w > (uint64_t(1) << 32) ||
      payload.size() != offset + pixels)
    return fail(Twine(payload.size()) + " bytes, not those of " + Twine(set.n) +
                " images of " + Twine(set.c) + "x" + Twine(set.h) + "x" +
                Twine(set.w));
  const auto *bytes = reinterpret_cast<const uint8_t *>(payload.data());
  set.labels.assign(bytes + kHeaderBytes, bytes + kHeaderBytes + set.n);
  // Aliasing: the pointer is into the payload, the owner its mapping.
  set.mapped = std::shared_ptr<const uint8_t>(std::move(owner), bytes + offset);
  return set;
}
