//===- ReferenceModel.h - A model as a runtime/c descriptor -----*- C++ -*-===//
//
// Describes a verified intc.model as the plain-data `intc_model` of
// runtime/c/intc_model.h, so the reference trainer can run it and the
// generated code can be checked against it bit for bit. The descriptor's
// layout is checked against the compiler's (dialect/IntcModelLayout.h).
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_COMMON_REFERENCEMODEL_H
#define INTC_LIB_TARGET_COMMON_REFERENCEMODEL_H

#include "dialect/IntcOps.h"
#include "runtime/c/intc_model.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir::intc {

/// Owns an intc_model and the layers it points to.
struct ReferenceModel {
  std::string name;
  std::vector<intc_layer> layers;
  intc_model model{};
};

/// Builds the descriptor of a model on which intc-verify-model has run.
/// Emits an error at the model when runtime/c rejects it.
FailureOr<std::unique_ptr<ReferenceModel>> buildReferenceModel(ModelOp model);

/// Writes the descriptor as C99 source: `const intc_model <symbol>`.
void emitReferenceModelC(const ReferenceModel &ref, llvm::StringRef symbol,
                         llvm::raw_ostream &os);

} // namespace mlir::intc

#endif // INTC_LIB_TARGET_COMMON_REFERENCEMODEL_H
