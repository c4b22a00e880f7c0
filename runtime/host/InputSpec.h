//===- InputSpec.h - What the data readers know about a model ---*- C++ -*-===//
//
// The generic readers (npz, IDX folders, image folders) have no dataset
// registry entry to say what shape the data has, so they take it from the
// model: the shape of one input sample, the number of classes, and its name
// for messages. Array data may store its images channel-first or
// channel-last; the user can say which with -data-layout when the shapes
// alone cannot tell (ArrayImages.h has the rules).
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_INPUTSPEC_H
#define INTC_RUNTIME_HOST_INPUTSPEC_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace intc::host {

/// How the per-sample dimensions of an image array are ordered.
enum class DataLayout { Auto, NCHW, NHWC };

/// "auto", "nchw" or "nhwc", as written after -data-layout=.
llvm::StringRef dataLayoutName(DataLayout layout);

/// The inverse of dataLayoutName(); std::nullopt for anything else.
std::optional<DataLayout> parseDataLayout(llvm::StringRef name);

/// The model's input as the data readers see it. A model with a flat input
/// of F features has c = F and h = w = 1 (as in ModelInfo).
struct InputSpec {
  std::string modelName;
  uint32_t c = 0, h = 0, w = 0;
  uint32_t numClasses = 0;

  bool isFlat() const { return h == 1 && w == 1; }
  /// [C, H, W], or [F] for a flat input: what messages show.
  std::vector<int64_t> shape() const;
};

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_INPUTSPEC_H
