//===- IntcStepOps.td - IntC step-level ops ----------------*- tablegen -*-===//
//
// The step level: explicit integer primitives on tensors that
// `intc-expand-training` produces from a model. Each op states its exact
// integer semantics: `tdiv` rounds toward zero (C `/`), `clip(v, lo, hi)` is
// min(hi, max(lo, v)), and every sum is exact in the accumulator type.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_STEP_OPS_TD
#define INTC_STEP_OPS_TD

include "dialect/IntcAttrs.td"
include "mlir/Interfaces/InferIntRangeInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Intc_StepOp<string mnemonic, list<Trait> traits = []>
    : Intc_Op<mnemonic, !listconcat(traits, [Pure])>;

// Element type constraints.
def Intc_ActElem : AnyTypeOf<[I8, I16]>;
def Intc_AccElem : AnyTypeOf<[I32, I64]>;
def Intc_DeltaElem : AnyTypeOf<[I8, I16, I32, I64]>;
def Intc_DeltaTensor4 : TensorRankOf<[I32, I64], [4]>;

def Intc_FlattenOp : Intc_Op<"flatten", [Pure,
    InferTypeOpAdaptorWithIsCompatible,
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "Flattens every dimension after the batch (both levels)";
  let description = [{
    Reshapes `B×C×H×W` to `B×(C·H·W)` in C order: element (b, c, h, w) goes to
    column c·H·W + h·W + w (ALGORITHM.md §2.7). Values are unchanged. Used in
    models and in expanded steps.

    ```mlir
    %1 = intc.flatten %0 : tensor<64x1x28x28xi8> -> tensor<64x784xi8>
    ```
  }];
  let arguments = (ins TensorRankOf<[I8, I16, I32], [2, 3, 4]>:$input);
  let results = (outs TensorRankOf<[I8, I16, I32], [2]>:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
}

def Intc_LinearOp : Intc_StepOp<"linear", [
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "Integer linear layer: z = x·Wᵀ";
  let description = [{
    `z[b, o] = Σ_i x[b, i] · W[o, i]` (ALGORITHM.md §2.1), x int8 or int16
    (`B×IN`), W int32 (`OUT×IN`; int16 with 16-bit weight storage). The sum is exact in the result type:
    with `i64` (the default of `intc-expand-training`) it cannot overflow for
    any IN below 2^32; with `i32` it wraps exactly like the reference's int32
    accumulation, and `intc-range-analysis` only narrows to `i32` when it
    proves the sum fits.

    ```mlir
    %z = intc.linear %x, %w : tensor<64x784xi8>, tensor<100x784xi32> -> tensor<64x100xi64>
    ```
  }];
  let arguments = (ins TensorRankOf<[I8, I16], [2]>:$input,
                       TensorRankOf<[I16, I32], [2]>:$weight);
  let results = (outs TensorRankOf<[I32, I64], [2]>:$output);
  let assemblyFormat = [{
    $input `,` $weight attr-dict `:` type($input) `,` type($weight) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Intc_Conv2dOp : Intc_StepOp<"conv2d", [
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "Integer 2-D convolution, stride 1, zero padding";
  let description = [{
    Cross-correlation (no kernel flip), NCHW (ALGORITHM.md §2.2):
    `z[m, f, i, j] = Σ_c Σ_u Σ_v W[f, c, u, v] · x_pad[m, c, i+u, j+v]`, where
    x_pad is x zero-padded by `padding` on each side of H and W. x is int8 or
    int16 (`B×C×H×W`), W int32 (`F×C×k×k`), and the output is
    `B×F×(H+2p−k+1)×(W+2p−k+1)`, exact in the result type.

    ```mlir
    %z = intc.conv2d %x, %w padding 1
           : tensor<64x3x32x32xi8>, tensor<128x3x3x3xi32> -> tensor<64x128x32x32xi64>
    ```
  }];
  let arguments = (ins TensorRankOf<[I8, I16], [4]>:$input,
                       TensorRankOf<[I16, I32], [4]>:$weight,
                       ConfinedAttr<Intc_I64Attr, [IntNonNegative]>:$padding);
  let results = (outs TensorRankOf<[I32, I64], [4]>:$output);
  let assemblyFormat = [{
    $input `,` $weight `padding` $padding attr-dict `:` type($input) `,`
    type($weight) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Intc_RescaleOp : Intc_StepOp<"rescale", [
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "NITRO-Scaling: y = int8(clip(tdiv(z, F), −127, 127))";
  let description = [{
    ALGORITHM.md §2.3. Divides by the positive constant `factor` rounding
    toward zero, clips to the symmetric range [−127, 127] and narrows to int8.
    Its backward is the identity, so it has no gradient op.

    ```mlir
    %h = intc.rescale %z factor 200704 : tensor<64x100xi64> -> tensor<64x100xi8>
    ```
  }];
  let arguments = (ins RankedTensorOf<[I32, I64]>:$input,
                       ConfinedAttr<Intc_I64Attr, [IntPositive]>:$factor);
  let results = (outs RankedTensorOf<[I8]>:$output);
  let assemblyFormat = [{
    $input `factor` $factor attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Intc_ActivationOp : Intc_StepOp<"activation", [SameOperandsAndResultType,
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "Forward of an integer activation function";
  let description = [{
    Applies the activation of `kind` (see `#intc.activation`,
    ALGORITHM.md §2.4) element-wise to int8 input in [−127, 127]. For example
    `nitro_leaky_relu<4>` computes
    `clip(x, 0, 127) + tdiv(clip(x, −127, 0), 4) − 36`, range [−67, 91].

    ```mlir
    %y = intc.activation %x nitro_leaky_relu<4> : tensor<64x100xi8>
    ```
  }];
  let arguments = (ins TensorRankOf<[I8], [2, 4]>:$input,
                       Intc_ActivationAttr:$kind);
  let results = (outs TensorRankOf<[I8], [2, 4]>:$output);
  let assemblyFormat = [{
    $input custom<Activation>($kind) attr-dict `:` type($input)
  }];
}

def Intc_ActivationGradOp : Intc_StepOp<"activation_grad", [
    AllTypesMatch<["delta", "output"]>]> {
  let summary = "Backward of an integer activation function";
  let description = [{
    Given the cached int8 activation input x and the incoming gradient δ,
    returns `tdiv(δ, g(x))` where g is the inverse slope of `kind`
    (ALGORITHM.md §2.4): for the leaky kinds g = 1 on [0, 127), nsi on
    [−127, 0) and INT32_MAX at 127 (so the saturated top passes nothing);
    `pocket_relu` passes δ where 0 < x ≤ 127 and 0 elsewhere; `pocket_tanh`
    uses g ∈ {1, 2, 8, INT32_MAX} by segment. The bipolar kinds apply the
    base rule to δ·M and multiply by M. The result has δ's type.

    ```mlir
    %d = intc.activation_grad %x, %delta nitro_leaky_relu<4>
           : tensor<64x100xi8>, tensor<64x100xi32>
    ```
  }];
  let arguments = (ins TensorRankOf<[I8], [2, 4]>:$input,
                       TensorRankOf<[I32, I64], [2, 4]>:$delta,
                       Intc_ActivationAttr:$kind);
  let results = (outs TensorRankOf<[I32, I64], [2, 4]>:$output);
  let assemblyFormat = [{
    $input `,` $delta custom<Activation>($kind) attr-dict `:` type($input) `,`
    type($delta)
  }];
  let hasVerifier = 1;
}

def Intc_MaxPoolOp : Intc_StepOp<"max_pool", [
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "Max pooling (kernel = stride) with first-argmax indices";
  let description = [{
    ALGORITHM.md §2.5. Pads H and W by `padding` [p_h, p_w] on both sides with
    the constant `pad_value`, then takes the maximum over non-overlapping
    `kernel` [k_h, k_w] windows. The output grid is
    `(H + 2p_h − k_h) // k_h + 1` × `(W + 2p_w − k_w) // k_w + 1`; leftover rows
    and columns are ignored. The second result holds, for every output
    element, the position of the **first** maximum of its window in row-major
    order, as the flat index h·W + w into the unpadded input plane, or −1 when
    that maximum is a padding element. The reference pads its learning-head
    pools with 0 (the int8 cast of INT32_MIN, §11 Q5).

    ```mlir
    %v, %idx = intc.max_pool %h kernel [8, 4] padding [0, 0] pad_value 0
                 : tensor<64x128x32x32xi8> -> tensor<64x128x4x8xi8>, tensor<64x128x4x8xi32>
    ```
  }];
  let arguments = (ins TensorRankOf<[I8, I16], [4]>:$input,
                       DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$padding,
                       Intc_I64Attr:$pad_value);
  let results = (outs TensorRankOf<[I8, I16], [4]>:$output,
                      TensorRankOf<[I32], [4]>:$indices);
  let assemblyFormat = [{
    $input `kernel` $kernel `padding` $padding `pad_value` $pad_value attr-dict
    `:` type($input) `->` type($output) `,` type($indices)
  }];
  let hasVerifier = 1;
}

def Intc_MaxPoolGradOp : Intc_StepOp<"max_pool_grad"> {
  let summary = "Routes a gradient back to the max-pool argmax positions";
  let description = [{
    ALGORITHM.md §2.5. Every δ of the pooled grid goes to the input position
    named by `indices` (from an `intc.max_pool` with the same `kernel` and
    `padding`); every other position, and any δ whose index is −1 (a padding
    maximum), gives 0. The result has the unpadded input shape `B×C×H×W` and
    δ's element type. Since windows do not overlap, input position (h, w)
    belongs to grid cell ((h + p_h) // k_h, (w + p_w) // k_w) at most.

    ```mlir
    %d = intc.max_pool_grad %delta, %idx kernel [8, 4] padding [0, 0]
           : tensor<64x128x4x8xi32>, tensor<64x128x4x8xi32> -> tensor<64x128x32x32xi32>
    ```
  }];
  let arguments = (ins Intc_DeltaTensor4:$delta,
                       TensorRankOf<[I32], [4]>:$indices,
                       DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$padding);
  let results = (outs Intc_DeltaTensor4:$output);
  let assemblyFormat = [{
    $delta `,` $indices `kernel` $kernel `padding` $padding attr-dict `:`
    type($delta) `,` type($indices) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Intc_DropoutApplyOp : Intc_StepOp<"dropout_apply", [
    AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "Training-mode dropout with a counter-based integer mask";
  let description = [{
    ALGORITHM.md §2.8 with the integer RNG of `runtime/c/intc_rng.h`.
    With n elements in the tensor (batch included) and flat index i,
    `key = rng_key(seed, 0x400 + stream)`, element i is kept iff
    `rng_below(rng_u64(key, step·n + i), 1000) ≥ 10·rate`, and
    `y = int16(tdiv(x·keep·f, 1000))` with f the ×1000 factor of `rate`
    (a percentage in the table 5, 10, …, 95).

    With `shard %offset of %global_batch`, the tensor holds samples
    [offset, offset + B) of a global batch of `global_batch` samples, and
    each element draws the counter of the same element in the global batch:
    `step·(global_batch·s) + offset·s + i`, with s the elements per sample.
    So a data-parallel rank's shard drops exactly what one process dropping
    the whole batch would; without it (offset 0, global batch B) the masks
    are those above.

    ```mlir
    %y = intc.dropout_apply %x, %seed, %step rate 10 stream 0
           : tensor<64x3000xi8> -> tensor<64x3000xi16>
    %z = intc.dropout_apply %x, %seed, %step shard %off of %gb rate 10 stream 0
           : tensor<16x3000xi8> -> tensor<16x3000xi16>
    ```
  }];
  let arguments = (ins TensorRankOf<[I8], [2, 4]>:$input,
                       I64:$seed, I64:$step,
                       Optional<I64>:$sample_offset,
                       Optional<I64>:$global_batch,
                       Intc_I64Attr:$rate, Intc_I64Attr:$stream);
  let results = (outs TensorRankOf<[I16], [2, 4]>:$output);
  let builders = [
    // The whole batch: no shard operands.
    OpBuilder<(ins "::mlir::Type":$output, "::mlir::Value":$input,
                   "::mlir::Value":$seed, "::mlir::Value":$step,
                   "::mlir::IntegerAttr":$rate, "::mlir::IntegerAttr":$stream),
    [{
      build($_builder, $_state, output, input, seed, step, ::mlir::Value(),
            ::mlir::Value(), rate, stream);
    }]>
  ];
  let assemblyFormat = [{
    $input `,` $seed `,` $step (`shard` $sample_offset^ `of` $global_batch)?
    `rate` $rate `stream` $stream attr-dict `:` type($input) `->`
    type($output)
  }];
  let hasVerifier = 1;
}

def Intc_WidenOp : Intc_StepOp<"widen", [
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "Sign-extends an int8 activation to int16";
  let description = [{
    `y = int16(x)`: evaluation-mode dropout (§2.8, the identity) where its
    int16 result type matters, i.e. in the activation a pipeline stage
    hands to the next one, whose input is the training-mode dropout's
    int16. Elsewhere the evaluation forward keeps int8, which every layer
    takes.

    ```mlir
    %y = intc.widen %x : tensor<64x1024xi8> -> tensor<64x1024xi16>
    ```
  }];
  let arguments = (ins TensorRankOf<[I8], [2, 4]>:$input);
  let results = (outs TensorRankOf<[I16], [2, 4]>:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Intc_OneHotOp : Intc_StepOp<"one_hot", [
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "One-hot integer targets";
  let description = [{
    `y[b, k] = value` if `labels[b] == k` (labels read as unsigned), else 0
    (ALGORITHM.md §7.4; the reference uses value 32). A label ≥ K gives an
    all-zero row; the host rejects such labels when it reads a dataset.

    ```mlir
    %y = intc.one_hot %labels value 32 : tensor<64xi8> -> tensor<64x10xi8>
    ```
  }];
  let arguments = (ins TensorRankOf<[I8, I32], [1]>:$labels,
                       Intc_I64Attr:$value);
  let results = (outs TensorRankOf<[I8], [2]>:$output);
  let assemblyFormat = [{
    $labels `value` $value attr-dict `:` type($labels) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Intc_L2GradOp : Intc_StepOp<"l2_grad", [
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "Integer L2 loss gradient e = ŷ − y";
  let description = [{
    ALGORITHM.md §3.3: `e = ŷ − y`, with no division by the batch size.
    The exact difference lies in [−255, 254] in general and in [−159, 127]
    for NITRO outputs and 0/32 targets. With `wrap8` the difference is
    wrapped into int8 as the reference does (`((v + 128) mod 256) − 128`,
    §11 Q3: ŷ = −127 with y = 32 gives +97).

    ```mlir
    %e = intc.l2_grad %yhat, %y wrap8 : tensor<64x10xi8>, tensor<64x10xi8> -> tensor<64x10xi32>
    ```
  }];
  let arguments = (ins TensorRankOf<[I8], [2]>:$prediction,
                       TensorRankOf<[I8], [2]>:$target,
                       UnitAttr:$wrap8);
  let results = (outs TensorRankOf<[I16, I32], [2]>:$output);
  let assemblyFormat = [{
    $prediction `,` $target (`wrap8` $wrap8^)? attr-dict `:` type($prediction)
    `,` type($target) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Intc_LinearWeightGradOp : Intc_StepOp<"linear_weight_grad"> {
  let summary = "Linear weight gradient G = δᵀ·x (a sum over the batch)";
  let description = [{
    `G[o, i] = Σ_b δ[b, o] · x[b, i]` (ALGORITHM.md §2.1 step 3): a sum, not a
    mean. δ is `B×OUT`, x is `B×IN` (int8 or int16), G is `OUT×IN`, exact in
    the result type (i64 by default: the reference's int32 sum can overflow,
    §11.1).

    ```mlir
    %g = intc.linear_weight_grad %delta, %x
           : tensor<64x100xi32>, tensor<64x784xi8> -> tensor<100x784xi64>
    ```
  }];
  let arguments = (ins TensorRankOf<[I16, I32, I64], [2]>:$delta,
                       TensorRankOf<[I8, I16], [2]>:$input);
  let results = (outs TensorRankOf<[I32, I64], [2]>:$output);
  let assemblyFormat = [{
    $delta `,` $input attr-dict `:` type($delta) `,` type($input) `->`
    type($output)
  }];
  let hasVerifier = 1;
}

def Intc_LinearInputGradOp : Intc_StepOp<"linear_input_grad"> {
  let summary = "Linear input gradient δ_in = δ·W (head layers only)";
  let description = [{
    `δ_in[b, i] = Σ_o δ[b, o] · W[o, i]` (ALGORITHM.md §2.1 step 2), with the
    **pre-update** W. The sum is computed exactly and stored in the result
    type; an `i32` result equals the reference's wrapping int32 arithmetic.
    Only learning heads propagate; encoders never do.

    ```mlir
    %d = intc.linear_input_grad %e, %w
           : tensor<64x10xi32>, tensor<10x100xi32> -> tensor<64x100xi32>
    ```
  }];
  let arguments = (ins TensorRankOf<[I16, I32, I64], [2]>:$delta,
                       TensorRankOf<[I16, I32], [2]>:$weight);
  let results = (outs TensorRankOf<[I32, I64], [2]>:$output);
  let assemblyFormat = [{
    $delta `,` $weight attr-dict `:` type($delta) `,` type($weight) `->`
    type($output)
  }];
  let hasVerifier = 1;
}

def Intc_Conv2dWeightGradOp : Intc_StepOp<"conv2d_weight_grad"> {
  let summary = "Conv weight gradient (correlation of x with δ)";
  let description = [{
    `G[f, c, u, v] = Σ_m Σ_i Σ_j δ[m, f, i, j] · x_pad[m, c, i+u, j+v]`
    (ALGORITHM.md §2.2), x_pad being x zero-padded by `padding`. δ is
    `B×F×Ho×Wo`, x is `B×C×H×W`, and G is `F×C×k×k` with
    k = H + 2p − Ho + 1, exact in the result type (i64 by default).

    ```mlir
    %g = intc.conv2d_weight_grad %delta, %x padding 1
           : tensor<64x128x32x32xi32>, tensor<64x3x32x32xi8> -> tensor<128x3x3x3xi64>
    ```
  }];
  let arguments = (ins TensorRankOf<[I32, I64], [4]>:$delta,
                       TensorRankOf<[I8, I16], [4]>:$input,
                       ConfinedAttr<Intc_I64Attr, [IntNonNegative]>:$padding);
  let results = (outs TensorRankOf<[I32, I64], [4]>:$output);
  let assemblyFormat = [{
    $delta `,` $input `padding` $padding attr-dict `:` type($delta) `,`
    type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Intc_MaxPoolGatherOp : Intc_StepOp<"max_pool_gather", [
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "Reads a tensor at the max-pool argmax positions";
  let description = [{
    `y[b, c, i, j] = x[b, c, idx / W, idx % W]` with idx = `indices[b, c, i,
    j]` (a flat position in the H×W plane, as `intc.max_pool` produces), or 0
    when idx is −1. `intc-sparse-wgrad` uses it to evaluate an activation's
    backward only where the routed gradient can be non-zero.

    ```mlir
    %p = intc.max_pool_gather %pre, %idx
           : tensor<64x128x32x32xi8>, tensor<64x128x4x8xi32> -> tensor<64x128x4x8xi8>
    ```
  }];
  let arguments = (ins TensorRankOf<[I8, I16, I32], [4]>:$input,
                       TensorRankOf<[I32], [4]>:$indices);
  let results = (outs TensorRankOf<[I8, I16, I32], [4]>:$output);
  let assemblyFormat = [{
    $input `,` $indices attr-dict `:` type($input) `,` type($indices) `->`
    type($output)
  }];
  let hasVerifier = 1;
}

def Intc_Conv2dWeightGradSparseOp : Intc_StepOp<"conv2d_weight_grad_sparse"> {
  let summary = "Conv weight gradient over the argmax positions only";
  let description = [{
    The conv weight gradient of a δ that is zero everywhere except at one
    position per learning-pool window (ALGORITHM.md §6.5, §13.4): δ is given
    on the pooled grid (`B×F×GH×GW`) with `indices` the flat position
    idx = i·Wo + j of each value in the `Ho×Wo` output plane (−1: none), and

    `G[f, c, u, v] = Σ_{m, gh, gw : idx ≥ 0} δ[m, f, gh, gw] · x_pad[m, c, i+u, j+v]`

    with x_pad zero-padded by `padding`, exactly the dense
    `intc.conv2d_weight_grad` of the scattered δ, with GH·GW instead of Ho·Wo
    terms per image. The output plane is `out_size` [Ho, Wo].

    ```mlir
    %g = intc.conv2d_weight_grad_sparse %d, %idx, %x padding 1 out_size [32, 32]
           : tensor<64x128x4x8xi32>, tensor<64x128x4x8xi32>, tensor<64x3x32x32xi8>
           -> tensor<128x3x3x3xi64>
    ```
  }];
  let arguments = (ins TensorRankOf<[I32, I64], [4]>:$delta,
                       TensorRankOf<[I32], [4]>:$indices,
                       TensorRankOf<[I8, I16], [4]>:$input,
                       ConfinedAttr<Intc_I64Attr, [IntNonNegative]>:$padding,
                       DenseI64ArrayAttr:$out_size);
  let results = (outs TensorRankOf<[I32, I64], [4]>:$output);
  let assemblyFormat = [{
    $delta `,` $indices `,` $input `padding` $padding `out_size` $out_size
    attr-dict `:` type($delta) `,` type($indices) `,` type($input) `->`
    type($output)
  }];
  let hasVerifier = 1;
}

def Intc_SgdUpdateOp : Intc_StepOp<"sgd_update", [
    AllTypesMatch<["weight", "output"]>]> {
  let summary = "IntegerSGD: W − tdiv(G, lr_inv·A) − tdiv(W, decay_inv)";
  let description = [{
    ALGORITHM.md §4.1, element-wise with int64 intermediates:
    `ΔW = tdiv(G, lr_inv · lr_amp)`; if `decay_inv` > 0,
    `ΔW += tdiv(W, decay_inv)` (with the pre-update W); the result is
    `W − ΔW` in W's type: int32 wraps like the reference's int32 weights;
    int16 (16-bit weight storage, `intc-expand-training{weight-bits=16}`)
    saturates to [−32768, 32767] — the reference's trained weights stay
    below `decay_inv` ≤ 30000 (ALGORITHM.md §11.2), so saturation marks a
    departure from the int32 reference rather than silent wrap-around.
    `lr_inv` is a runtime value (it is multiplied by the plateau factor
    during training).

    ```mlir
    %w2 = intc.sgd_update %w, %g, %lr_inv lr_amp 640 decay_inv 12000
            : tensor<100x784xi32>, tensor<100x784xi64>
    ```
  }];
  let arguments = (ins RankedTensorOf<[I16, I32]>:$weight,
                       RankedTensorOf<[I32, I64]>:$grad,
                       I64:$lr_inv,
                       ConfinedAttr<Intc_I64Attr, [IntPositive]>:$lr_amp,
                       ConfinedAttr<Intc_I64Attr, [IntNonNegative]>:$decay_inv);
  let results = (outs RankedTensorOf<[I16, I32]>:$output);
  let assemblyFormat = [{
    $weight `,` $grad `,` $lr_inv `lr_amp` $lr_amp `decay_inv` $decay_inv
    attr-dict `:` type($weight) `,` type($grad)
  }];
  let hasVerifier = 1;
}

def Intc_SgdOverflowCountOp : Intc_StepOp<"sgd_overflow_count"> {
  let summary = "How many elements of an int32 IntegerSGD update wrap";
  let description = [{
    The number of elements whose `intc.sgd_update` with the same operands
    and attributes, computed exactly in int64, lies outside int32: the
    elements that the int32 update wraps (ALGORITHM.md §4.1 stores the
    result in int32). `intc-expand-training{check-overflow}` reads it from
    the pre-update W and G before each int32 update and reports a non-zero
    count to the host (`intc_overflow`). Elements whose update fits are not
    affected, so the guard changes no weight.

    ```mlir
    %n = intc.sgd_overflow_count %w, %g, %lr_inv lr_amp 640 decay_inv 0
           : tensor<100x784xi32>, tensor<100x784xi64>
    ```
  }];
  let arguments = (ins RankedTensorOf<[I32]>:$weight,
                       RankedTensorOf<[I32, I64]>:$grad,
                       I64:$lr_inv,
                       ConfinedAttr<Intc_I64Attr, [IntPositive]>:$lr_amp,
                       ConfinedAttr<Intc_I64Attr, [IntNonNegative]>:$decay_inv);
  let results = (outs I64:$count);
  let assemblyFormat = [{
    $weight `,` $grad `,` $lr_inv `lr_amp` $lr_amp `decay_inv` $decay_inv
    attr-dict `:` type($weight) `,` type($grad)
  }];
  let hasVerifier = 1;
}

def Intc_InitUniformOp : Intc_StepOp<"init_uniform", [
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "Uniform integer weight initialisation from the integer RNG";
  let description = [{
    ALGORITHM.md §5 with the integer RNG: element i (flat, row-major) is
    `rng_below(rng_u64(rng_key(seed, 0x100 + tensor_index), i), 2b + 1) − b`,
    uniform in [−b, b] for b = `bound`.

    ```mlir
    %w = intc.init_uniform %seed bound 10 tensor_index 0 : tensor<100x784xi32>
    ```
  }];
  let arguments = (ins I64:$seed,
                       ConfinedAttr<Intc_I64Attr, [IntNonNegative]>:$bound,
                       ConfinedAttr<Intc_I64Attr, [IntNonNegative]>:$tensor_index);
  let results = (outs RankedTensorOf<[I16, I32]>:$output);
  let assemblyFormat = [{
    $seed `bound` $bound `tensor_index` $tensor_index attr-dict `:` type($output)
  }];
  let hasVerifier = 1;
}

#endif // INTC_STEP_OPS_TD
