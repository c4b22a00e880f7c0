//===- ArrayDatasets.h - Datasets stored as integer arrays ------*- C++ -*-===//
//
// The user's data as arrays, read for a model (ArrayImages.h has the shape
// rules):
//   * a NumPy .npz with x_train, y_train, x_test, y_test, and optionally
//     class_names (a string array, index = label);
//   * an IDX folder: exactly one file each matching train-images*,
//     train-labels*, t10k-images* or test-images*, t10k-labels* or
//     test-labels* (hidden files ignored), raw or gzip / xz compressed, of
//     any rank and integer type (Idx.h).
// The loaders fill the splits and class names of a Dataset; the caller
// (Datasets.cpp) names it.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_ARRAYDATASETS_H
#define INTC_RUNTIME_HOST_ARRAYDATASETS_H

#include "runtime/host/Datasets.h"
#include "runtime/host/InputSpec.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace intc::host {

/// The arrays an intc .npz must hold.
llvm::ArrayRef<llvm::StringRef> npzDatasetKeys();

/// Reads the .npz dataset \p path for \p model.
llvm::Expected<Dataset>
loadNpzDataset(llvm::StringRef path, const InputSpec &model, DataLayout layout);

/// The four files of an IDX folder.
struct IdxFolderFiles {
  std::string trainImages, trainLabels, testImages, testLabels;
};

/// True if \p dir holds any file matching one of the IDX patterns.
bool looksLikeIdxFolder(llvm::StringRef dir);

/// Finds the four files of \p dir; an error names a role with no file or
/// lists the files when several match.
llvm::Expected<IdxFolderFiles> findIdxFiles(llvm::StringRef dir);

/// Reads the IDX folder \p dir for \p model.
llvm::Expected<Dataset>
loadIdxFolder(llvm::StringRef dir, const InputSpec &model, DataLayout layout);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_ARRAYDATASETS_H
