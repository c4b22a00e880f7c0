//===- JitModelRunner.h - What the JIT-linked runners share -----*- C++ -*-===//
//
// The cpu runner and both cuda runners run a model whose code was compiled
// (or taken from the compile cache) with a CompiledModelInfo; the host's
// questions about its gradient steps have the same answers for all three.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_COMMON_JITMODELRUNNER_H
#define INTC_LIB_TARGET_COMMON_JITMODELRUNNER_H

#include "lib/Target/Common/JitEntryPoints.h"
#include "runtime/host/ModelRunner.h"

namespace mlir::intc {

class JitModelRunner : public ::intc::host::ModelRunner {
public:
  bool hasGradientSteps() const override { return gradientSteps.present; }
  int64_t cacheBytes() const override { return gradientSteps.cacheBytes; }
  GradsRange grads2Range() const override {
    return {gradientSteps.grads2Offset,
            gradientSteps.second ? gradientSteps.grads2Count : 0};
  }

  /// The compiled code's gradient steps (CompiledModelInfo::grads), set by
  /// whoever creates the runner.
  GradientStepsInfo gradientSteps;
};

} // namespace mlir::intc

#endif // INTC_LIB_TARGET_COMMON_JITMODELRUNNER_H
