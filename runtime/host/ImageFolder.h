//===- ImageFolder.h - Datasets stored as folders of images -----*- C++ -*-===//
//
// The ImageFolder convention (torchvision's): one folder per class,
//   ROOT/train/<class>/*.png|*.jpg|*.jpeg
//   ROOT/test/<class>/*
// Extensions are matched case-insensitively; hidden files and folders (a
// leading '.') and files with other extensions are ignored. The classes are
// the train class-folder names in byte order, so class i is the i-th name; a
// test class folder must name a train class and gets its index (a test split
// may lack classes). Images are read in name order within each class (the
// training loop shuffles them) and decoded by ImageDecode.h, in parallel.
// Every image must already have the model's height and width: nothing is
// resized, since resizing would silently change what the model learns.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_IMAGEFOLDER_H
#define INTC_RUNTIME_HOST_IMAGEFOLDER_H

#include "runtime/host/ImageSet.h"
#include "runtime/host/InputSpec.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace intc::host {

/// True for a name ending in .png, .jpg or .jpeg (any case) that is not
/// hidden.
bool isImageFileName(llvm::StringRef name);

/// True if \p root has a train/ or a test/ subfolder: what marks an image
/// folder (a missing sibling is then reported by loadImageFolder).
bool looksLikeImageFolder(llvm::StringRef root);

struct ImageFolderData {
  ImageSet train, test;
  std::vector<std::string> classNames; // Index = label.
};

/// Reads both splits of the image folder \p root for \p model. A model with
/// 3 input channels gets RGB, one with 1 channel grayscale images; a flat
/// model of F features takes H×W images with F = H·W (grayscale) or 3·H·W
/// (RGB), H×W being the size of the first training image.
llvm::Expected<ImageFolderData> loadImageFolder(llvm::StringRef root,
                                                const InputSpec &model);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_IMAGEFOLDER_H
