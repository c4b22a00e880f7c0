//===- IntcDialect.cpp - IntC dialect registration ------------------------===//

#include "dialect/IntcDialect.h"
#include "dialect/IntcOps.h"

using namespace mlir;
using namespace mlir::intc;

#include "dialect/IntcDialect.cpp.inc"

void IntcDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "dialect/IntcOps.cpp.inc"
      >();
}
