// Stage counts and cuts that do not fit the model are refused, at the model.
// RUN: not intc-opt %s -intc-verify-model -intc-extract-stage="stage=0 stages=3" 2>&1 | FileCheck %s --check-prefix=TOOMANY
// RUN: not intc-opt %s -intc-verify-model -intc-extract-stage="stage=0 stages=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not intc-opt %s -intc-verify-model -intc-extract-stage="stage=2 stages=2" 2>&1 | FileCheck %s --check-prefix=INDEX
// RUN: not intc-opt %s -intc-verify-model -intc-extract-stage="stage=0 stages=2 cuts=1,2" 2>&1 | FileCheck %s --check-prefix=NCUTS
// RUN: not intc-opt %s -intc-verify-model -intc-extract-stage="stage=0 stages=2 cuts=2" 2>&1 | FileCheck %s --check-prefix=RANGE
// RUN: not intc-opt %s -intc-verify-model -intc-extract-stage="stage=0 stages=2 cuts=0" 2>&1 | FileCheck %s --check-prefix=RANGE0
// The cost estimate needs the derived constants.
// RUN: not intc-opt %s -intc-extract-stage="stage=0 stages=2" 2>&1 | FileCheck %s --check-prefix=UNVERIFIED
// A stage is not cut again.
// RUN: not intc-opt %s -intc-verify-model -intc-extract-stage="stage=0 stages=2" -intc-extract-stage="stage=0 stages=1" 2>&1 | FileCheck %s --check-prefix=TWICE

// TOOMANY: error: 'intc.model' op model 'two' has 2 local blocks, too few for 3 pipeline stages: every stage needs at least one block
// ZERO: error: 'intc.model' op the number of pipeline stages must be at least 1, got 0
// INDEX: error: 'intc.model' op has no pipeline stage 2: stages are numbered 0 to 1
// NCUTS: error: 'intc.model' op 2 pipeline stages need 1 cut (the first block of each stage after the first), got 2
// RANGE: error: 'intc.model' op pipeline cuts must be strictly increasing block indices in [1, 1] (model 'two' has 2 local blocks), got 2 after 0
// RANGE0: error: 'intc.model' op pipeline cuts must be strictly increasing block indices in [1, 1] (model 'two' has 2 local blocks), got 0 after 0
// UNVERIFIED: error: 'intc.local_linear_block' op has no derived constants; run intc-verify-model first
// TWICE: error: 'intc.model' op is already a pipeline stage; cut the whole model
intc.model @two(%x: tensor<?x8xi8>) attributes {num_classes = 3} {
  %0 = intc.local_linear_block %x features 6 activation nitro_leaky_relu<4>
         : tensor<?x8xi8> -> tensor<?x6xi8>
  %1 = intc.local_linear_block %0 features 4 activation nitro_leaky_relu<4>
         : tensor<?x6xi8> -> tensor<?x4xi8>
  %2 = intc.output_layer %1 : tensor<?x4xi8> -> tensor<?x3xi8>
  intc.yield %2 : tensor<?x3xi8>
}
