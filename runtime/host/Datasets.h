//===- Datasets.h - Dataset registry and data-directory lookup --*- C++ -*-===//
//
// `intc train -data=NAME [-data-dir=DIR]` names a dataset; this file maps the
// name to its format and shape and finds its files. `-data=PATH` instead
// names the user's own data, whose shape comes from the model (InputSpec.h):
//   * a folder with train/ and test/ class folders of images (ImageFolder.h);
//   * a .npz file with x_train, y_train, x_test, y_test (ArrayDatasets.h);
//   * a folder of IDX files train-images*, train-labels*, t10k-images* or
//     test-images*, t10k-labels* or test-labels* (ArrayDatasets.h).
// A registered name wins over a file or folder of the same name in the
// working directory (write ./mnist for that).
//
// Where the files are looked for:
//   1. -data-dir=DIR, if given. DIR may be the dataset folder itself (the
//      files are directly inside) or its parent (DIR/<name>/). Nothing else is
//      tried: an explicit directory that lacks the data is an error, never a
//      silent switch to another copy.
//   2. Otherwise, in order: $INTC_DATA_DIR, the compiled-in
//      INTC_DEFAULT_DATA_DIR (<repo>/data unless configured otherwise), each
//      as a parent folder or as the dataset folder; then the dataset's system
//      folders (Debian's /usr/share/datasets/fashion-mnist).
// A folder "has" the dataset when any of its files is there (raw or
// compressed); a missing sibling is then reported by name when loading,
// rather than skipped over.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_DATASETS_H
#define INTC_RUNTIME_HOST_DATASETS_H

#include "runtime/host/ImageSet.h"
#include "runtime/host/InputSpec.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace intc::host {

enum class DatasetFormat { Idx, Cifar10 };

/// A dataset intc knows how to read.
struct DatasetInfo {
  llvm::StringRef name; // As written after -data=.
  DatasetFormat format;
  unsigned numClasses;
  unsigned channels, height, width;
  // The official split sizes. Informational: readers accept any count so that
  // small test copies work.
  unsigned trainImages, testImages;
  llvm::StringRef subdir;                     // Folder name under a data dir.
  llvm::ArrayRef<llvm::StringRef> systemDirs; // Last-resort dataset folders.
  llvm::ArrayRef<llvm::StringRef> classNames; // Index = label.
};

/// Every known dataset, in a fixed order.
llvm::ArrayRef<DatasetInfo> allDatasets();

/// "mnist, fashion-mnist, cifar10", for messages and --help.
std::string datasetNameList();

/// The dataset called \p name, or an error that lists the valid names.
llvm::Expected<const DatasetInfo &> lookupDataset(llvm::StringRef name);

/// The files of \p split relative to the dataset folder, without compression
/// suffixes (IDX: images then labels; CIFAR-10: the batch files).
std::vector<std::string> datasetFiles(const DatasetInfo &info, Split split);

/// The compression suffixes tried after each file name (".gz" for IDX,
/// ".xz" for CIFAR-10).
llvm::ArrayRef<llvm::StringRef> datasetFileSuffixes(const DatasetInfo &info);

/// The directory compiled in as INTC_DEFAULT_DATA_DIR.
llvm::StringRef defaultDataDir();

/// The places to search, in priority order (see the file comment).
struct DataDirSearch {
  std::string explicitDir; // -data-dir; when non-empty, the only place.
  std::string envDir;      // $INTC_DATA_DIR.
  std::string defaultDir;  // INTC_DEFAULT_DATA_DIR.
  bool useSystemDirs = true;

  /// \p explicitDir plus $INTC_DATA_DIR and the compiled-in default.
  static DataDirSearch fromEnvironment(llvm::StringRef explicitDir);
};

/// True if any file of the dataset (either split) is directly in \p dir.
bool containsDataset(const DatasetInfo &info, llvm::StringRef dir);

/// The dataset folder to read, or an error listing every folder tried.
llvm::Expected<std::string> resolveDatasetDir(const DatasetInfo &info,
                                              const DataDirSearch &search);

/// Reads one split from the dataset folder \p dir and checks that the images
/// have the dataset's shape and the labels its class count.
llvm::Expected<ImageSet> loadSplit(const DatasetInfo &info, llvm::StringRef dir,
                                   Split split);

/// A whole dataset, ready for the training loop.
struct Dataset {
  const DatasetInfo *info = nullptr; // Null for the user's own data.
  /// The registry name, or the absolute path (without . or .. components)
  /// of the user's data: what messages show and checkpoints record, so that
  /// a resume can check that it reads the same data.
  std::string name;
  std::string dir; // The folder the files came from (or the .npz file).
  ImageSet train, test;
  /// Class names when the data has them (image-folder names, an npz's
  /// class_names), index = label; empty when unknown.
  std::vector<std::string> classNames;
};

/// lookupDataset + resolveDatasetDir + loadSplit for both splits, or only
/// the test split when \p withTrain is false (`intc eval`: the training
/// split is neither read nor needed; `train` stays empty).
llvm::Expected<Dataset> loadDataset(llvm::StringRef name,
                                    const DataDirSearch &search,
                                    bool withTrain = true);

/// What `-data=` asks for, with what the generic readers need to know about
/// the model.
struct DataRequest {
  std::string spec;             // A registered name or a path.
  DataDirSearch search;         // For registered names only.
  uint32_t c = 0, h = 0, w = 0; // The model's input (flat: c = F, h = w = 1).
  uint32_t numClasses = 0;
  std::string modelName;
  DataLayout layout = DataLayout::Auto; // For npz and IDX arrays.
  /// False: only the test split is wanted. The registered datasets then
  /// skip reading the training files; the user's own data (one .npz, one
  /// folder) is read whole.
  bool withTrain = true;

  InputSpec input() const { return {modelName, c, h, w, numClasses}; }
};

/// A registered name as loadDataset(name, search) does; otherwise a path to
/// an image folder, an IDX folder or a .npz file, read for the model.
llvm::Expected<Dataset> loadDataset(const DataRequest &request);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_DATASETS_H
