//===- Patterns.h - Patterns of intc-lower-to-linalg ------------*- C++ -*-===//
//
// One populate function per family of step-level ops; the pass
// (passes/LowerToLinalg.cpp) applies them all.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_PASSES_LOWERTOLINALG_PATTERNS_H
#define INTC_PASSES_LOWERTOLINALG_PATTERNS_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::intc::lowering {

/// linear, conv2d and their weight and input gradients (tagged generics).
void populateMatmulLikePatterns(RewritePatternSet &patterns);

/// rescale, activation(_grad), l2_grad, one_hot, dropout_apply,
/// init_uniform and flatten; splat tensor constants become fills.
void populateElementwisePatterns(RewritePatternSet &patterns);

/// sgd_update, with the magic-number division when `fastDivision`.
void populateSgdUpdatePatterns(RewritePatternSet &patterns, bool fastDivision);

/// max_pool, max_pool_grad and max_pool_gather.
void populatePoolingPatterns(RewritePatternSet &patterns);

} // namespace mlir::intc::lowering

#endif // INTC_PASSES_LOWERTOLINALG_PATTERNS_H
