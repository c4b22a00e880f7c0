//===- IntcDialect.h - The IntC dialect -------------------------*- C++ -*-===//

#ifndef INTC_DIALECT_INTCDIALECT_H
#define INTC_DIALECT_INTCDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialect/IntcDialect.h.inc"

#endif // INTC_DIALECT_INTCDIALECT_H
