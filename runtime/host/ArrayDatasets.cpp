//===- ArrayDatasets.cpp - Datasets stored as integer arrays --------------===//

#include "runtime/host/ArrayDatasets.h"

#include "runtime/host/ArrayImages.h"
#include "runtime/host/Idx.h"
#include "runtime/host/Npz.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace llvm;
using namespace intc::host;

static Error pathError(StringRef path, const Twine &msg) {
  return createStringError(std::make_error_code(std::errc::invalid_argument),
                           "'" + path + "': " + msg);
}

/// Images and labels of one split, checked against each other and the model.
static Expected<ImageSet>
arraySplit(const IntArray &images, StringRef imagesWhat, const IntArray &labels,
           StringRef labelsWhat, const InputSpec &model, DataLayout layout) {
  Expected<ImageSet> set = imagesFromArray(images, model, layout, imagesWhat);
  if (!set)
    return set.takeError();
  Expected<std::vector<uint8_t>> read =
      labelsFromArray(labels, model, set->n, labelsWhat);
  if (!read)
    return read.takeError();
  set->labels = std::move(*read);
  return set;
}

//===----------------------------------------------------------------------===//
// .npz
//===----------------------------------------------------------------------===//

static const StringRef kNpzKeys[] = {"x_train", "y_train", "x_test", "y_test"};
static const char kClassNamesKey[] = "class_names";

ArrayRef<StringRef> intc::host::npzDatasetKeys() { return kNpzKeys; }

/// Reads split \p x / \p y of \p npz.
static Expected<ImageSet> npzSplit(NpzArchive &npz, StringRef x, StringRef y,
                                   const InputSpec &model, DataLayout layout) {
  Expected<IntArray> images = npz.readArray(x);
  if (!images)
    return images.takeError();
  Expected<IntArray> labels = npz.readArray(y);
  if (!labels)
    return labels.takeError();
  return arraySplit(*images, npz.describe(x), *labels, npz.describe(y), model,
                    layout);
}

Expected<Dataset> intc::host::loadNpzDataset(StringRef path,
                                             const InputSpec &model,
                                             DataLayout layout) {
  Expected<NpzArchive> npz = NpzArchive::open(path);
  if (!npz)
    return npz.takeError();
  std::vector<std::string> missing;
  for (StringRef key : kNpzKeys)
    if (!npz->contains(key))
      missing.push_back(key.str());
  if (!missing.empty())
    return pathError(path, "missing array" +
                               Twine(missing.size() > 1 ? "s " : " ") +
                               join(missing, ", ") + " (an intc .npz holds " +
                               join(ArrayRef<StringRef>(kNpzKeys), ", ") +
                               "; this one has: " +
                               (npz->keys().empty() ? std::string("nothing")
                                                    : join(npz->keys(), ", ")) +
                               ")");

  Dataset data;
  Expected<ImageSet> train =
      npzSplit(*npz, "x_train", "y_train", model, layout);
  if (!train)
    return train.takeError();
  data.train = std::move(*train);
  Expected<ImageSet> test = npzSplit(*npz, "x_test", "y_test", model, layout);
  if (!test)
    return test.takeError();
  data.test = std::move(*test);

  if (npz->contains(kClassNamesKey)) {
    Expected<std::vector<std::string>> names = npz->readStrings(kClassNamesKey);
    if (!names)
      return names.takeError();
    if (names->size() > model.numClasses)
      return arrayError(npz->describe(kClassNamesKey),
                        Twine(names->size()) + " class names, but model '" +
                            model.modelName + "' has " +
                            Twine(model.numClasses) + " classes");
    data.classNames = std::move(*names);
  }
  return std::move(data);
}

//===----------------------------------------------------------------------===//
// IDX folders
//===----------------------------------------------------------------------===//

namespace {
/// One of the four files and the name prefixes that find it.
struct IdxRole {
  std::string IdxFolderFiles::*field;
  StringRef prefixes[2];
};
} // namespace

static const IdxRole kIdxRoles[] = {
    {&IdxFolderFiles::trainImages, {"train-images", ""}},
    {&IdxFolderFiles::trainLabels, {"train-labels", ""}},
    {&IdxFolderFiles::testImages, {"t10k-images", "test-images"}},
    {&IdxFolderFiles::testLabels, {"t10k-labels", "test-labels"}},
};

static bool matchesRole(const IdxRole &role, StringRef name) {
  return llvm::any_of(role.prefixes, [&](StringRef prefix) {
    return !prefix.empty() && name.starts_with(prefix);
  });
}

/// "train-images*" or "t10k-images* or test-images*".
static std::string rolePattern(const IdxRole &role) {
  std::string text;
  for (StringRef prefix : role.prefixes)
    if (!prefix.empty())
      text += (text.empty() ? "" : " or ") + prefix.str() + "*";
  return text;
}

/// The non-hidden files (not folders) in \p dir, sorted.
static Expected<std::vector<std::string>> listFiles(StringRef dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    StringRef name = sys::path::filename(it->path());
    if (!name.starts_with(".") && !sys::fs::is_directory(it->path()))
      names.push_back(name.str());
  }
  if (ec)
    return createFileError(dir, ec);
  llvm::sort(names);
  return std::move(names);
}

bool intc::host::looksLikeIdxFolder(StringRef dir) {
  Expected<std::vector<std::string>> names = listFiles(dir);
  if (!names) {
    consumeError(names.takeError());
    return false;
  }
  return llvm::any_of(*names, [](const std::string &name) {
    return llvm::any_of(kIdxRoles, [&](const IdxRole &role) {
      return matchesRole(role, name);
    });
  });
}

Expected<IdxFolderFiles> intc::host::findIdxFiles(StringRef dir) {
  Expected<std::vector<std::string>> names = listFiles(dir);
  if (!names)
    return names.takeError();
  IdxFolderFiles files;
  for (const IdxRole &role : kIdxRoles) {
    std::vector<std::string> matches;
    for (const std::string &name : *names)
      if (matchesRole(role, name))
        matches.push_back(name);
    if (matches.empty())
      return pathError(dir, "no file matching " + rolePattern(role) +
                                " (an IDX folder holds one file each of "
                                "train-images*, train-labels*, t10k-images* "
                                "or test-images*, t10k-labels* or "
                                "test-labels*)");
    if (matches.size() > 1)
      return pathError(dir, Twine(matches.size()) + " files match " +
                                rolePattern(role) + ": " + join(matches, ", ") +
                                " (keep one)");
    SmallString<256> path(dir);
    sys::path::append(path, matches.front());
    files.*role.field = std::string(path);
  }
  return std::move(files);
}

static Expected<ImageSet> idxSplit(StringRef imagesPath, StringRef labelsPath,
                                   const InputSpec &model, DataLayout layout) {
  Expected<IntArray> images = readIdxArray(imagesPath);
  if (!images)
    return images.takeError();
  Expected<IntArray> labels = readIdxArray(labelsPath);
  if (!labels)
    return labels.takeError();
  return arraySplit(*images, ("'" + imagesPath + "'").str(), *labels,
                    ("'" + labelsPath + "'").str(), model, layout);
}

Expected<Dataset> intc::host::loadIdxFolder(StringRef dir,
                                            const InputSpec &model,
                                            DataLayout layout) {
  Expected<IdxFolderFiles> files = findIdxFiles(dir);
  if (!files)
    return files.takeError();
  Dataset data;
  Expected<ImageSet> train =
      idxSplit(files->trainImages, files->trainLabels, model, layout);
  if (!train)
    return train.takeError();
  data.train = std::move(*train);
  Expected<ImageSet> test =
      idxSplit(files->testImages, files->testLabels, model, layout);
  if (!test)
    return test.takeError();
  data.test = std::move(*test);
  return std::move(data);
}
