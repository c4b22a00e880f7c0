//===- Datasets.cpp - Dataset registry and data-directory lookup ----------===//

#include "runtime/host/Datasets.h"

#include "runtime/host/ArrayDatasets.h"
#include "runtime/host/Cifar10.h"
#include "runtime/host/DataFile.h"
#include "runtime/host/Idx.h"
#include "runtime/host/ImageFolder.h"
#include "runtime/host/SplitCache.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#ifndef INTC_DEFAULT_DATA_DIR
#error                                                                         \
    "INTC_DEFAULT_DATA_DIR must be defined by the build (CMake cache variable)"
#endif

using namespace llvm;
using namespace intc::host;

static const StringRef kFashionSystemDirs[] = {
    "/usr/share/datasets/fashion-mnist"};
static const StringRef kGzSuffix[] = {".gz"};
static const StringRef kXzSuffix[] = {".xz"};
/// The folder the official CIFAR-10 binary tarball unpacks to.
static const char kCifarTarballDir[] = "cifar-10-batches-bin";

static const StringRef kDigitNames[] = {"0", "1", "2", "3", "4",
                                        "5", "6", "7", "8", "9"};
static const StringRef kFashionNames[] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
static const StringRef kCifar10Names[] = {
    "airplane", "automobile", "bird",  "cat",  "deer",
    "dog",      "frog",       "horse", "ship", "truck"};

static const DatasetInfo kDatasets[] = {
    {"mnist",
     DatasetFormat::Idx,
     10,
     1,
     28,
     28,
     60000,
     10000,
     "mnist",
     {},
     kDigitNames},
    {"fashion-mnist", DatasetFormat::Idx, 10, 1, 28, 28, 60000, 10000,
     "fashion-mnist", kFashionSystemDirs, kFashionNames},
    {"cifar10",
     DatasetFormat::Cifar10,
     10,
     3,
     32,
     32,
     50000,
     10000,
     "cifar10",
     {},
     kCifar10Names},
};

ArrayRef<DatasetInfo> intc::host::allDatasets() { return kDatasets; }

std::string intc::host::datasetNameList() {
  std::string list;
  for (const DatasetInfo &info : kDatasets)
    list += (list.empty() ? "" : ", ") + info.name.str();
  return list;
}

Expected<const DatasetInfo &> intc::host::lookupDataset(StringRef name) {
  for (const DatasetInfo &info : kDatasets)
    if (info.name == name)
      return info;
  return createStringError(std::errc::invalid_argument,
                           "unknown dataset '%s'; valid names are: %s",
                           name.str().c_str(), datasetNameList().c_str());
}

std::vector<std::string> intc::host::datasetFiles(const DatasetInfo &info,
                                                  Split split) {
  if (info.format == DatasetFormat::Cifar10) {
    std::vector<std::string> files;
    for (StringRef name : cifar10Files(split))
      files.push_back(name.str());
    return files;
  }
  StringRef prefix = split == Split::Train ? "train" : "t10k";
  return {(prefix + "-images-idx3-ubyte").str(),
          (prefix + "-labels-idx1-ubyte").str()};
}

ArrayRef<StringRef> intc::host::datasetFileSuffixes(const DatasetInfo &info) {
  if (info.format == DatasetFormat::Cifar10)
    return kXzSuffix;
  return kGzSuffix;
}

StringRef intc::host::defaultDataDir() { return INTC_DEFAULT_DATA_DIR; }

DataDirSearch DataDirSearch::fromEnvironment(StringRef explicitDir) {
  DataDirSearch search;
  search.explicitDir = explicitDir.str();
  if (std::optional<std::string> env = sys::Process::GetEnv("INTC_DATA_DIR"))
    search.envDir = *env;
  search.defaultDir = defaultDataDir().str();
  return search;
}

static std::string joinPath(StringRef a, StringRef b) {
  SmallString<256> path(a);
  sys::path::append(path, b);
  return std::string(path);
}

bool intc::host::containsDataset(const DatasetInfo &info, StringRef dir) {
  if (!sys::fs::is_directory(dir))
    return false;
  for (Split split : {Split::Train, Split::Test})
    for (const std::string &file : datasetFiles(info, split))
      if (dataFileExists(joinPath(dir, file), datasetFileSuffixes(info)))
        return true;
  return false;
}

/// The folders under which \p root may hold the dataset, most direct first.
static std::vector<std::string> candidateDirs(const DatasetInfo &info,
                                              StringRef root) {
  std::vector<std::string> dirs = {root.str(), joinPath(root, info.subdir)};
  if (info.format == DatasetFormat::Cifar10) {
    dirs.push_back(joinPath(root, kCifarTarballDir));
    dirs.push_back(joinPath(dirs[1], kCifarTarballDir));
  }
  return dirs;
}

Expected<std::string>
intc::host::resolveDatasetDir(const DatasetInfo &info,
                              const DataDirSearch &search) {
  // (folder, where the folder came from) in priority order.
  std::vector<std::pair<std::string, std::string>> tried;
  auto addRoot = [&](StringRef root, StringRef origin) {
    if (root.empty())
      return;
    for (std::string &dir : candidateDirs(info, root))
      tried.emplace_back(std::move(dir), origin.str());
  };
  if (!search.explicitDir.empty()) {
    addRoot(search.explicitDir, "-data-dir");
  } else {
    addRoot(search.envDir, "$INTC_DATA_DIR");
    addRoot(search.defaultDir, "default data dir");
    if (search.useSystemDirs)
      for (StringRef dir : info.systemDirs)
        tried.emplace_back(dir.str(), "system");
  }
  for (const auto &[dir, origin] : tried)
    if (containsDataset(info, dir))
      return dir;

  std::string msg;
  raw_string_ostream os(msg);
  os << "cannot find dataset '" << info.name << "' ("
     << datasetFiles(info, Split::Train).front() << " or its "
     << join(datasetFileSuffixes(info), "/") << " form); looked in:";
  for (const auto &[dir, origin] : tried)
    os << "\n  " << dir << " (" << origin << ")";
  if (search.explicitDir.empty())
    os << "\npass -data-dir=DIR (the dataset folder or its parent) or set "
          "INTC_DATA_DIR";
  return createStringError(std::errc::no_such_file_or_directory, "%s",
                           msg.c_str());
}

Expected<ImageSet> intc::host::loadSplit(const DatasetInfo &info, StringRef dir,
                                         Split split) {
  std::vector<std::string> files = datasetFiles(info, split);
  // A decoded copy from an earlier run, when the files are the same ones.
  SplitCache *cache = splitCache();
  std::optional<std::string> identity;
  if (cache)
    identity = splitIdentity(info, dir, split);
  std::optional<ImageSet> cached;
  if (identity)
    cached = cache->load(*identity);
  Expected<ImageSet> set =
      cached ? std::move(*cached)
      : info.format == DatasetFormat::Cifar10
          ? loadCifar10(dir, split)
          : loadIdxPair(joinPath(dir, files[0]), joinPath(dir, files[1]),
                        info.numClasses);
  if (!set)
    return set.takeError();
  // A folder of the wrong dataset (e.g. 32x32 images under mnist/) would
  // otherwise only fail much later, inside the compiled model.
  if (set->c != info.channels || set->h != info.height || set->w != info.width)
    return createFileError(
        joinPath(dir, files[0]),
        createStringError(std::errc::invalid_argument,
                          "images are %ux%ux%u (CxHxW), but dataset '%s' "
                          "has %ux%ux%u images",
                          set->c, set->h, set->w, info.name.str().c_str(),
                          info.channels, info.height, info.width));
  if (identity && !cached)
    cache->store(*identity, *set);
  return set;
}

Expected<Dataset> intc::host::loadDataset(StringRef name,
                                          const DataDirSearch &search,
                                          bool withTrain) {
  Expected<const DatasetInfo &> info = lookupDataset(name);
  if (!info)
    return info.takeError();
  Expected<std::string> dir = resolveDatasetDir(*info, search);
  if (!dir)
    return dir.takeError();
  Dataset data;
  data.info = &*info;
  data.name = info->name.str();
  data.dir = *dir;
  for (StringRef className : info->classNames)
    data.classNames.push_back(className.str());
  if (withTrain) {
    Expected<ImageSet> train = loadSplit(*info, *dir, Split::Train);
    if (!train)
      return train.takeError();
    data.train = std::move(*train);
  }
  Expected<ImageSet> test = loadSplit(*info, *dir, Split::Test);
  if (!test)
    return test.takeError();
  data.test = std::move(*test);
  return std::move(data);
}

//===----------------------------------------------------------------------===//
// -data=PATH: the user's own data
//===----------------------------------------------------------------------===//

/// True if \p spec can only be meant as a path, so that a missing file gets
/// "no such file" rather than "unknown dataset".
static bool looksLikePath(StringRef spec) {
  return spec.contains('/') || spec.starts_with(".") || spec.starts_with("~") ||
         StringRef(spec.lower()).ends_with(".npz");
}

static Error dataError(const Twine &msg) {
  return createStringError(std::make_error_code(std::errc::invalid_argument),
                           msg);
}

/// Reads the image folder, IDX folder or .npz file at the absolute \p path.
static Expected<Dataset> loadPath(StringRef path, const DataRequest &request) {
  InputSpec model = request.input();
  if (sys::fs::is_directory(path)) {
    if (looksLikeImageFolder(path)) {
      Expected<ImageFolderData> folder = loadImageFolder(path, model);
      if (!folder)
        return folder.takeError();
      Dataset data;
      data.train = std::move(folder->train);
      data.test = std::move(folder->test);
      data.classNames = std::move(folder->classNames);
      return std::move(data);
    }
    if (looksLikeIdxFolder(path))
      return loadIdxFolder(path, model, request.layout);
    return dataError("'" + path +
                     "' is neither an image folder (it has no train/ or "
                     "test/ subfolder) nor an IDX folder (it has no "
                     "train-images* file)");
  }
  if (StringRef(path.lower()).ends_with(".npz"))
    return loadNpzDataset(path, model, request.layout);
  return dataError("'" + path +
                   "' is not a dataset: -data takes a dataset name, an image "
                   "folder, a folder of IDX files or a .npz file");
}

Expected<Dataset> intc::host::loadDataset(const DataRequest &request) {
  StringRef spec = request.spec;
  bool registered = llvm::any_of(
      kDatasets, [&](const DatasetInfo &info) { return info.name == spec; });
  if (registered)
    return loadDataset(spec, request.search, request.withTrain);
  if (!sys::fs::exists(spec)) {
    if (looksLikePath(spec))
      return createFileError(
          spec, createStringError(std::errc::no_such_file_or_directory,
                                  "no such file or folder"));
    return dataError("unknown dataset '" + spec +
                     "'; valid names are: " + datasetNameList() +
                     "; or give a path to an image folder, a folder of IDX "
                     "files or a .npz file");
  }
  if (!request.search.explicitDir.empty())
    return dataError("-data-dir only applies to the named datasets (" +
                     datasetNameList() + "); -data='" + spec +
                     "' is a path already");

  SmallString<256> path(spec);
  if (std::error_code ec = sys::fs::make_absolute(path))
    return createFileError(spec, ec);
  sys::path::remove_dots(path, /*remove_dot_dot=*/true);
  Expected<Dataset> data = loadPath(path, request);
  if (!data)
    return data.takeError();
  data->name = std::string(path);
  data->dir = std::string(path);
  return data;
}
