//===- IntcOps.cpp - IntC op definitions and shared assembly helpers ------===//
//
// Instantiates the ODS-generated op classes. The verifiers and interface
// implementations live in IntcModelOps.cpp and IntcStepOps.cpp.
//
//===----------------------------------------------------------------------===//

#include "dialect/IntcOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::intc;

/// custom<Activation>: an activation without the `#intc.activation` prefix,
/// e.g. `nitro_leaky_relu<4>` or `pocket_tanh`.
static ParseResult parseActivation(OpAsmParser &parser, ActivationAttr &attr) {
  attr = llvm::dyn_cast_or_null<ActivationAttr>(
      ActivationAttr::parseBare(parser));
  return success(attr != nullptr);
}

static void printActivation(OpAsmPrinter &printer, Operation *,
                            ActivationAttr attr) {
  attr.printBare(printer);
}

#define GET_OP_CLASSES
#include "dialect/IntcOps.cpp.inc"
