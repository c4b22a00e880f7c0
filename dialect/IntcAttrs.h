//===- IntcAttrs.h - IntC attributes and enums ------------------*- C++ -*-===//

#ifndef INTC_DIALECT_INTCATTRS_H
#define INTC_DIALECT_INTCATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectImplementation.h"

#include "dialect/IntcEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialect/IntcAttrs.h.inc"

#endif // INTC_DIALECT_INTCATTRS_H
