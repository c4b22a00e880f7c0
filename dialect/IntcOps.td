//===- IntcOps.td - IntC operations ------------------------*- tablegen -*-===//

#ifndef INTC_OPS_TD
#define INTC_OPS_TD

include "dialect/IntcModelOps.td"
include "dialect/IntcStepOps.td"

#endif // INTC_OPS_TD
