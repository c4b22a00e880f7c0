//===- ImageFolder.cpp - Datasets stored as folders of images -------------===//

#include "runtime/host/ImageFolder.h"

#include "runtime/host/DataFile.h"
#include "runtime/host/ImageDecode.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"

#include <algorithm>
#include <optional>

using namespace llvm;
using namespace intc::host;

/// More pixel bytes than this in one split is refused (the training loop
/// keeps a second, normalised copy).
static constexpr uint64_t kMaxSplitBytes = uint64_t(4) << 30;

static Error folderError(StringRef path, const Twine &msg) {
  return createStringError(std::make_error_code(std::errc::invalid_argument),
                           "'" + path + "': " + msg);
}

/// "'PATH' has ...": a fact about a folder rather than a problem in a file.
static Error folderFact(StringRef path, const Twine &msg) {
  return createStringError(std::make_error_code(std::errc::invalid_argument),
                           "'" + path + "' " + msg);
}

static std::string joinPath(StringRef a, StringRef b) {
  SmallString<256> path(a);
  sys::path::append(path, b);
  return std::string(path);
}

bool intc::host::isImageFileName(StringRef name) {
  if (name.starts_with("."))
    return false;
  std::string lower = name.lower();
  StringRef ext = sys::path::extension(lower);
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

bool intc::host::looksLikeImageFolder(StringRef root) {
  return sys::fs::is_directory(joinPath(root, "train")) ||
         sys::fs::is_directory(joinPath(root, "test"));
}

/// The non-hidden entries of \p dir that are folders (\p folders) or image
/// files (otherwise), sorted by name (bytewise).
static Expected<std::vector<std::string>> listEntries(StringRef dir,
                                                      bool folders) {
  std::vector<std::string> names;
  std::error_code ec;
  for (sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    StringRef name = sys::path::filename(it->path());
    if (name.starts_with("."))
      continue;
    bool isDir = sys::fs::is_directory(it->path());
    if (folders ? isDir : !isDir && isImageFileName(name))
      names.push_back(name.str());
  }
  if (ec)
    return createFileError(dir, ec);
  llvm::sort(names);
  return std::move(names);
}

namespace {
/// One image to read: its path and label.
struct ImageFile {
  std::string path;
  uint8_t label;
};

/// The image shape every file must have.
struct TargetShape {
  uint32_t c = 0, h = 0, w = 0;
};
} // namespace

/// The files of one split, in class then name order. \p classes is the
/// train classes; for the train split \p classFolders is the same list.
static Error collectSplit(StringRef splitDir,
                          ArrayRef<std::string> classFolders,
                          ArrayRef<std::string> classes,
                          std::vector<ImageFile> &files) {
  for (const std::string &folder : classFolders) {
    std::string dir = joinPath(splitDir, folder);
    const std::string *cls = llvm::find(classes, folder);
    if (cls == classes.end())
      return folderError(
          dir, "class '" + folder + "' has no folder in '" +
                   joinPath(sys::path::parent_path(splitDir), "train") +
                   "', so it has no class index");
    Expected<std::vector<std::string>> names = listEntries(dir, false);
    if (!names)
      return names.takeError();
    if (names->empty())
      return folderError(dir, "class folder holds no .png, .jpg or .jpeg "
                              "images");
    for (const std::string &name : *names)
      files.push_back({joinPath(dir, name), uint8_t(cls - classes.begin())});
  }
  return Error::success();
}

/// Reads and decodes one file into \p out (c·h·w bytes).
static Error readImage(const ImageFile &file, const TargetShape &shape,
                       const InputSpec &model, uint8_t *out) {
  Expected<std::unique_ptr<MemoryBuffer>> buffer =
      readRegularFile(file.path, kMaxDataFileBytes);
  if (!buffer)
    return buffer.takeError();
  ArrayRef<uint8_t> bytes(
      reinterpret_cast<const uint8_t *>((*buffer)->getBufferStart()),
      (*buffer)->getBufferSize());
  std::string what = "'" + file.path + "'";
  // The size first, from the header: cheaper than decoding, and the more
  // useful message when both size and colour are wrong.
  Expected<ImageHeader> header = readImageHeader(bytes, what);
  if (!header)
    return header.takeError();
  if (header->height != shape.h || header->width != shape.w)
    return folderError(file.path,
                       "image is " + Twine(header->height) + "x" +
                           Twine(header->width) + " (HxW), but model '" +
                           model.modelName + "' takes " + Twine(shape.h) + "x" +
                           Twine(shape.w) + " images (intc does not resize)");
  Expected<DecodedImage> image = decodeImage(bytes, shape.c, what);
  if (!image)
    return image.takeError();
  std::copy(image->pixels.begin(), image->pixels.end(), out);
  return Error::success();
}

/// Decodes \p files in parallel into an ImageSet of \p shape.
static Expected<ImageSet> readSplit(StringRef splitDir,
                                    const std::vector<ImageFile> &files,
                                    const TargetShape &shape,
                                    const InputSpec &model) {
  ImageSet set;
  set.c = shape.c;
  set.h = shape.h;
  set.w = shape.w;
  if (files.size() > UINT32_MAX ||
      uint64_t(files.size()) * set.imageBytes() > kMaxSplitBytes)
    return folderError(splitDir, Twine(files.size()) + " images of " +
                                     Twine(set.imageBytes()) +
                                     " bytes exceed the limit of " +
                                     Twine(kMaxSplitBytes) + " bytes");
  set.n = uint32_t(files.size());
  set.pixels.resize(files.size() * set.imageBytes());
  set.labels.resize(files.size());

  // Each task writes only its own image and error slot.
  std::vector<std::optional<Error>> errors(files.size());
  {
    DefaultThreadPool pool(hardware_concurrency());
    // Chunks, so that tiny images do not drown in task overhead.
    const size_t chunk = 64;
    for (size_t begin = 0; begin < files.size(); begin += chunk)
      pool.async([&, begin] {
        size_t end = std::min(files.size(), begin + chunk);
        for (size_t i = begin; i < end; ++i)
          if (Error err = readImage(files[i], shape, model,
                                    set.pixels.data() + i * set.imageBytes()))
            errors[i].emplace(std::move(err));
      });
    pool.wait();
  }
  // The first error in file order, so that the message is deterministic.
  Error first = Error::success();
  for (std::optional<Error> &err : errors)
    if (err) {
      if (first)
        consumeError(std::move(*err));
      else
        first = std::move(*err);
    }
  if (first)
    return std::move(first);
  for (size_t i = 0; i < files.size(); ++i)
    set.labels[i] = files[i].label;
  return std::move(set);
}

/// The image shape for \p model: its own, or for a flat model the first
/// training image's size with 1 or 3 channels.
static Expected<TargetShape> targetShape(const InputSpec &model,
                                         const ImageFile &first) {
  if (!model.isFlat()) {
    if (model.c != 1 && model.c != 3)
      return createStringError(
          std::make_error_code(std::errc::invalid_argument),
          "model '" + model.modelName + "' takes " + Twine(model.c) +
              " input channels; image folders give 1 (grayscale) or 3 (RGB)");
    return TargetShape{model.c, model.h, model.w};
  }
  Expected<std::unique_ptr<MemoryBuffer>> buffer =
      readRegularFile(first.path, kMaxDataFileBytes);
  if (!buffer)
    return buffer.takeError();
  ArrayRef<uint8_t> bytes(
      reinterpret_cast<const uint8_t *>((*buffer)->getBufferStart()),
      (*buffer)->getBufferSize());
  Expected<ImageHeader> header = readImageHeader(bytes, "'" + first.path + "'");
  if (!header)
    return header.takeError();
  uint64_t plane = uint64_t(header->height) * header->width;
  for (uint32_t c : {1u, 3u})
    if (plane * c == model.c)
      return TargetShape{c, header->height, header->width};
  return folderError(first.path, "image is " + Twine(header->height) + "x" +
                                     Twine(header->width) +
                                     " (HxW), but model '" + model.modelName +
                                     "' takes [" + Twine(model.c) +
                                     "] features, neither HxW nor 3xHxW");
}

Expected<ImageFolderData> intc::host::loadImageFolder(StringRef root,
                                                      const InputSpec &model) {
  std::string trainDir = joinPath(root, "train"),
              testDir = joinPath(root, "test");
  for (const std::string &dir : {trainDir, testDir})
    if (!sys::fs::is_directory(dir))
      return folderError(dir, "missing: an image folder holds "
                              "train/<class>/ and test/<class>/ subfolders of "
                              ".png or .jpg images");

  ImageFolderData data;
  Expected<std::vector<std::string>> classes = listEntries(trainDir, true);
  if (!classes)
    return classes.takeError();
  if (classes->empty())
    return folderFact(trainDir, "has no class folders (expected "
                                "train/<class>/ with images)");
  if (classes->size() > model.numClasses)
    return folderFact(trainDir, "has " + Twine(classes->size()) +
                                    " class folders, but model '" +
                                    model.modelName + "' has " +
                                    Twine(model.numClasses) + " classes");
  data.classNames = *classes;

  std::vector<ImageFile> trainFiles, testFiles;
  if (Error err = collectSplit(trainDir, *classes, *classes, trainFiles))
    return std::move(err);
  Expected<std::vector<std::string>> testClasses = listEntries(testDir, true);
  if (!testClasses)
    return testClasses.takeError();
  if (testClasses->empty())
    return folderFact(testDir, "has no class folders (expected "
                               "test/<class>/ with images)");
  if (Error err = collectSplit(testDir, *testClasses, *classes, testFiles))
    return std::move(err);

  Expected<TargetShape> shape = targetShape(model, trainFiles.front());
  if (!shape)
    return shape.takeError();
  Expected<ImageSet> train = readSplit(trainDir, trainFiles, *shape, model);
  if (!train)
    return train.takeError();
  data.train = std::move(*train);
  Expected<ImageSet> test = readSplit(testDir, testFiles, *shape, model);
  if (!test)
    return test.takeError();
  data.test = std::move(*test);
  return std::move(data);
}
