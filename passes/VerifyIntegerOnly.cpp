//===- VerifyIntegerOnly.cpp - No floating point in generated code --------===//
//
// intc-verify-integer-only: every type reachable from an op (operands,
// results, block arguments, type and attribute parameters) is walked; any
// floating-point type is an error at that op.
//
//===----------------------------------------------------------------------===//

#include "passes/Passes.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

namespace mlir::intc {
#define GEN_PASS_DEF_VERIFYINTEGERONLY
#include "passes/Passes.h.inc"
} // namespace mlir::intc

using namespace mlir;
using namespace mlir::intc;

namespace {

/// The first floating-point type nested anywhere inside `t` (element types,
/// struct bodies, function signatures), or null.
Type findFloat(Type t) {
  Type found;
  t.walk([&](Type sub) {
    if (!found && llvm::isa<FloatType>(sub))
      found = sub;
  });
  return found;
}

Type findFloat(Attribute a) {
  Type found;
  a.walk([&](Type sub) {
    if (!found && llvm::isa<FloatType>(sub))
      found = sub;
  });
  return found;
}

struct VerifyIntegerOnlyPass
    : intc::impl::VerifyIntegerOnlyBase<VerifyIntegerOnlyPass> {
  void runOnOperation() override {
    WalkResult result = getOperation().walk([&](Operation *op) {
      auto report = [&](Type t) {
        op->emitOpError() << "uses floating-point type " << t
                          << "; intc generates integer-only code";
        return WalkResult::interrupt();
      };
      for (Type t : op->getOperandTypes())
        if (Type f = findFloat(t))
          return report(f);
      for (Type t : op->getResultTypes())
        if (Type f = findFloat(t))
          return report(f);
      for (Region &region : op->getRegions())
        for (Block &block : region)
          for (BlockArgument arg : block.getArguments())
            if (Type f = findFloat(arg.getType()))
              return report(f);
      for (NamedAttribute attr : op->getAttrs())
        if (Type f = findFloat(attr.getValue()))
          return report(f);
      return WalkResult::advance();
    });
    if (result.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
