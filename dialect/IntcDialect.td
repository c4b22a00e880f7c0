//===- IntcDialect.td - The IntC dialect -------------------*- tablegen -*-===//
//
// The IntC dialect describes integer-only, backpropagation-free training of
// neural networks with local error signals (NITRO-D). It has two levels:
//
//  * the model level, which a user writes: local-loss blocks, the output layer
//    and the inter-block layers, with their training hyper-parameters;
//  * the step level, explicit integer primitives that `intc-expand-training`
//    produces and the lowering passes consume.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_DIALECT_TD
#define INTC_DIALECT_TD

include "mlir/IR/OpBase.td"

def Intc_Dialect : Dialect {
  let name = "intc";
  let cppNamespace = "::mlir::intc";
  let summary = "Integer-only local-loss (NITRO-D) training";
  let description = [{
    The `intc` dialect models neural networks that are trained with integer
    arithmetic only and without backpropagation between layers (NITRO-D,
    arXiv 2407.11698). A network is a chain of *local-loss blocks*: each block
    has an integer encoder layer (linear or 3×3 convolution), a NITRO-Scaling
    rescale to int8 and an integer activation, plus a small classifier head
    that learns from its own error. No error signal ever crosses a block.

    Every value is an integer: int8 activations, int32 weights, int64
    accumulators. Every division rounds toward zero (`tdiv`, C semantics).
    Every random draw comes from one counter-based integer RNG (see
    `runtime/c/intc_rng.h`), so the same model, seed and data give identical
    weights on every target.

    Model-level example:

    ```mlir
    intc.model @mlp(%x: tensor<?x1x28x28xi8>) attributes {dataset = "mnist"} {
      %0 = intc.flatten %x : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
      %1 = intc.local_linear_block %0 features 100
             activation nitro_leaky_relu<4> {decay_inv = 12000, head_decay_inv = 3000}
             : tensor<?x784xi8> -> tensor<?x100xi8>
      %2 = intc.output_layer %1 {decay_inv = 3000}
             : tensor<?x100xi8> -> tensor<?x10xi8>
      intc.yield %2 : tensor<?x10xi8>
    }
    ```
  }];
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    void registerAttributes();
  }];
}

class Intc_Op<string mnemonic, list<Trait> traits = []>
    : Op<Intc_Dialect, mnemonic, traits>;

#endif // INTC_DIALECT_TD
