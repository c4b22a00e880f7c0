//===- Passes.td - IntC passes -----------------------------*- tablegen -*-===//

#ifndef INTC_PASSES_TD
#define INTC_PASSES_TD

include "mlir/Pass/PassBase.td"

def VerifyModel : Pass<"intc-verify-model", "::mlir::ModuleOp"> {
  let summary = "Infer every shape and derive the NITRO constants of a model";
  let description = [{
    Runs over every `intc.model`:

    1. **Shape inference.** Each layer's result type is refined to the type
       inferred from its input (a declared `tensor<?x?xi8>` becomes
       `tensor<?x100xi8>`), in chain order, so the whole model ends up with
       static per-sample shapes.
    2. **Derived constants.** Every local block and the output layer gets a
       `derived` attribute (`#intc.derived`) with the NITRO-Scaling factor F
       (ALGORITHM.md §2.3), the init bounds (§5) and, for conv blocks, the
       learning-head pooling kernel, padding, grid and `dim_in_decoder` of the
       §3.2 algorithm. Later passes read the constants from there.

    Any layer whose constants cannot be derived is reported at its location.

    Example:

    ```mlir
    // Before
    %1 = intc.local_linear_block %0 features 100 activation nitro_leaky_relu<4>
           : tensor<?x784xi8> -> tensor<?x?xi8>
    // After -intc-verify-model
    %1 = intc.local_linear_block %0 features 100 activation nitro_leaky_relu<4>
           {derived = #intc.derived<F = 200704, init = 10, dim_in_decoder = 100,
                                    head_F = 25600, head_init = 30>}
           : tensor<?x784xi8> -> tensor<?x100xi8>
    ```
  }];
  let dependentDialects = ["::mlir::intc::IntcDialect"];
}

#endif // INTC_PASSES_TD
