//===- IntcModelOps.td - IntC model-level ops --------------*- tablegen -*-===//
//
// The model level: what a user writes. A model is a chain of local-loss
// blocks, inter-block layers and one output layer, with the training
// hyper-parameters as attributes. Shapes are inferred: every op checks that
// the type it declares equals the type inferred from its input.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_MODEL_OPS_TD
#define INTC_MODEL_OPS_TD

include "dialect/IntcAttrs.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// An activation tensor: rank 2 (batch, features) or rank 4 (batch, C, H, W),
// int8 or int16 (after dropout).
def Intc_ActivationTensor : TensorRankOf<[I8, I16], [2, 4]>;

class Intc_ModelLayerOp<string mnemonic, list<Trait> traits = []>
    : Intc_Op<mnemonic, !listconcat(traits, [
        Pure, HasParent<"ModelOp">,
        InferTypeOpAdaptorWithIsCompatible])>;

def Intc_ModelOp : Intc_Op<"model", [
    IsolatedFromAbove, Symbol, SingleBlock,
    SingleBlockImplicitTerminator<"YieldOp">]> {
  let summary = "A network trained with local losses, and its hyper-parameters";
  let description = [{
    A model holds one block whose argument is the int8 input batch
    (`tensor<?xCxHxWxi8>`, NCHW; the batch dimension is normally dynamic and
    fixed by `intc-expand-training`). The body chains model-level layers and
    ends with `intc.yield` of the output layer's result.

    Training hyper-parameters (ALGORITHM.md §4, §7–§9), with the reference's
    values as defaults:

    | attribute | meaning | default |
    |---|---|---|
    | `dataset` | default dataset for `intc train` (`mnist`, `fashion-mnist`, `cifar10`) | none |
    | `num_classes` | K, the classes of every head and the output layer | 10 |
    | `one_hot` | the target value of the true class (the others are 0) | 32 |
    | `lr_inv` | the initial inverse learning rate | 512 |
    | `batch` | the training batch size | 64 |
    | `max_epochs` | the epoch limit | 150 |
    | `augment_crop` | RandomCrop padding p (0 = off), one draw per batch | 0 |
    | `augment_flip` | RandomHorizontalFlip, one draw per batch | false |
    | `plateau_factor`, `plateau_patience`, `plateau_from` | ReduceLROnPlateau on test accuracy | 3, 15, 10 |
    | `early_stop_patience`, `early_stop_from` | EarlyStopping on test accuracy | 35, 30 |
    | `loss_grad_wrap8` | compute e = ŷ − y in int8 with wrap-around, as the reference does (§11 Q3) | true |
    | `double_classifier_update` | in CNNs, give every FC block a second local step per batch, as the reference does (§11 Q2) | true |
    | `adjust_conv_lr_amp` | multiply each conv encoder's lr_amp by d²//(ks_h·ks_w), the reference's *intended* behaviour; the published results use 640 for every conv (§11 Q1) | false |
    | `stage` | set by `intc-extract-stage` on one pipeline stage of a model (`#intc.stage`) | none |

    Bounds (`dialect/IntcLimits.h`), far above any published configuration,
    so that no size or divisor can overflow: `batch` ≤ 65536, `num_classes`
    ≤ 256 (labels are bytes), `lr_inv` and every `lr_amp` < 2³¹ (a plateau
    reduction saturates there), `max_epochs` and the schedule's patience and
    start epochs ≤ 10⁶, `augment_crop` ≤ the image's smaller side, at most
    2³¹ − 1 elements per sample of every layer and in the whole state, at
    most 256 weight tensors and 256 dropout layers (each has its own RNG
    stream). The symbol name must be a C identifier: it names the generated
    functions and files. Attributes other than these (a misspelling) are
    errors; discardable attributes must carry a dialect prefix.

    **Pipeline stages.** A model with a `stage` attribute is a contiguous
    run of another model's blocks (`intc-extract-stage`): its input is the
    activation entering its first block (int8 or int16, rank 2 or 4), and
    unless it is the last stage it has no output layer and yields the
    activation that enters the next stage (after the inter-block layers
    that follow its last block). Names, initial values and dropout masks
    are those of the whole model (see `#intc.stage`).

    Example:

    ```mlir
    intc.model @mlp1_mnist(%x: tensor<?x1x28x28xi8>)
        attributes {dataset = "mnist"} {
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
  let arguments = (ins
    SymbolNameAttr:$sym_name,
    OptionalAttr<StrAttr>:$dataset,
    DefaultValuedAttr<Intc_I64Attr, "10">:$num_classes,
    DefaultValuedAttr<Intc_I64Attr, "32">:$one_hot,
    DefaultValuedAttr<Intc_I64Attr, "512">:$lr_inv,
    DefaultValuedAttr<Intc_I64Attr, "64">:$batch,
    DefaultValuedAttr<Intc_I64Attr, "150">:$max_epochs,
    DefaultValuedAttr<Intc_I64Attr, "0">:$augment_crop,
    DefaultValuedAttr<BoolAttr, "false">:$augment_flip,
    DefaultValuedAttr<Intc_I64Attr, "3">:$plateau_factor,
    DefaultValuedAttr<Intc_I64Attr, "15">:$plateau_patience,
    DefaultValuedAttr<Intc_I64Attr, "10">:$plateau_from,
    DefaultValuedAttr<Intc_I64Attr, "35">:$early_stop_patience,
    DefaultValuedAttr<Intc_I64Attr, "30">:$early_stop_from,
    DefaultValuedAttr<BoolAttr, "true">:$loss_grad_wrap8,
    DefaultValuedAttr<BoolAttr, "true">:$double_classifier_update,
    DefaultValuedAttr<BoolAttr, "false">:$adjust_conv_lr_amp,
    OptionalAttr<Intc_StageAttr>:$stage
  );
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// The input batch (the body's only argument).
    ::mlir::BlockArgument getInput() { return getBody().getArgument(0); }
    /// The per-sample input shape (C, H, W).
    ::llvm::ArrayRef<int64_t> getSampleShape() {
      return ::llvm::cast<::mlir::RankedTensorType>(getInput().getType())
          .getShape().drop_front();
    }
    YieldOp getYield();
    /// True when the model has at least one conv block (a CNN); for a
    /// pipeline stage, when the model it was cut from has one.
    bool isCnn();
    /// The output layer; null in a pipeline stage other than the last.
    OutputLayerOp getOutputLayer();
  }];
}

def Intc_YieldOp : Intc_Op<"yield", [Pure, Terminator, HasParent<"ModelOp">]> {
  let summary = "Returns the network output from a model";
  let description = [{
    Ends an `intc.model` body; its operand is the output layer's result or,
    in a pipeline stage other than the last, the activation the stage hands
    to the next one.

    ```mlir
    intc.yield %out : tensor<?x10xi8>
    ```
  }];
  let arguments = (ins Intc_ActivationTensor:$output);
  let assemblyFormat = "$output attr-dict `:` type($output)";
  let hasVerifier = 1;
  let builders = [OpBuilder<(ins), [{ /* for the implicit terminator */ }]>];
}

def Intc_LocalLinearBlockOp : Intc_ModelLayerOp<"local_linear_block"> {
  let summary = "A local-loss block with a linear encoder (LocalLinearBlock)";
  let description = [{
    ALGORITHM.md §3.1. Forward: `z = x·Wᵀ` (W: int32, `out`×`in`, int64
    accumulation), NITRO-Scaling `h = int8(clip(tdiv(z, F), −127, 127))` with
    F = 256·in, then the activation. The block's head is a linear layer
    `out → num_classes` followed by NITRO-Scaling with F = 256·out. During
    training the head's error e = ŷ_loc − y (one-hot targets) updates the head
    and, through the activation's backward, the encoder; it never reaches the
    previous block.

    Hyper-parameters: `lr_amp` (A of the encoder, default 640),
    `decay_inv` (encoder weight decay, 0 = none), `head_lr_amp` (default 1),
    `head_decay_inv`, and the `init`/`head_init` schemes (default
    `kaiming_leaky_relu`). IntegerSGD (§4.1) updates W by
    `tdiv(G, lr_inv·A) + tdiv(W, decay_inv)`.

    ```mlir
    %1 = intc.local_linear_block %0 features 100 activation nitro_leaky_relu<4>
           {decay_inv = 12000, head_decay_inv = 3000}
           : tensor<?x784xi8> -> tensor<?x100xi8>
    ```
  }];
  let arguments = (ins
    Intc_ActivationTensor:$input,
    ConfinedAttr<Intc_I64Attr, [IntPositive]>:$out_features,
    Intc_ActivationAttr:$activation,
    DefaultValuedAttr<Intc_InitSchemeAttr, "InitScheme::KaimingLeakyRelu">:$init,
    DefaultValuedAttr<Intc_I64Attr, "640">:$lr_amp,
    DefaultValuedAttr<Intc_I64Attr, "0">:$decay_inv,
    DefaultValuedAttr<Intc_InitSchemeAttr, "InitScheme::KaimingLeakyRelu">:$head_init,
    DefaultValuedAttr<Intc_I64Attr, "1">:$head_lr_amp,
    DefaultValuedAttr<Intc_I64Attr, "0">:$head_decay_inv,
    OptionalAttr<Intc_DerivedAttr>:$derived
  );
  let results = (outs TensorRankOf<[I8], [2]>:$output);
  let assemblyFormat = [{
    $input `features` $out_features `activation` custom<Activation>($activation)
    attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Intc_LocalConvBlockOp : Intc_ModelLayerOp<"local_conv_block"> {
  let summary = "A local-loss block with a convolutional encoder (LocalConv2dBlock)";
  let description = [{
    ALGORITHM.md §3.2. Forward: a k×k convolution (stride 1, zero padding p,
    cross-correlation, int32 weights `C_out×C_in×k×k`, int64 accumulation),
    NITRO-Scaling with F = 256·k²·C_in, then the activation; the output has
    shape `C_out×d×d` with d = H + 2p − k + 1.

    The head max-pools the block output (kernel = stride, padding filled
    with 0, as the reference's int8 cast of INT32_MIN gives, §11 Q5) until at
    most `pred_decoder_dim` features remain (the algorithm of §3.2), flattens,
    and applies a linear layer to `num_classes` with F = 256·dim_in_decoder.
    Conv encoders never compute an input gradient.

    ```mlir
    %1 = intc.local_conv_block %0 channels 128 activation nitro_leaky_relu<4>
           {decay_inv = 25000, head_decay_inv = 3000}
           : tensor<?x3x32x32xi8> -> tensor<?x128x32x32xi8>
    ```
  }];
  let arguments = (ins
    Intc_ActivationTensor:$input,
    ConfinedAttr<Intc_I64Attr, [IntPositive]>:$out_channels,
    Intc_ActivationAttr:$activation,
    DefaultValuedAttr<Intc_I64Attr, "3">:$kernel_size,
    DefaultValuedAttr<Intc_I64Attr, "1">:$padding,
    DefaultValuedAttr<Intc_I64Attr, "1">:$stride,
    DefaultValuedAttr<Intc_I64Attr, "4096">:$pred_decoder_dim,
    DefaultValuedAttr<Intc_InitSchemeAttr, "InitScheme::KaimingLeakyRelu">:$init,
    DefaultValuedAttr<Intc_I64Attr, "640">:$lr_amp,
    DefaultValuedAttr<Intc_I64Attr, "0">:$decay_inv,
    DefaultValuedAttr<Intc_InitSchemeAttr, "InitScheme::KaimingLeakyRelu">:$head_init,
    DefaultValuedAttr<Intc_I64Attr, "1">:$head_lr_amp,
    DefaultValuedAttr<Intc_I64Attr, "0">:$head_decay_inv,
    OptionalAttr<Intc_DerivedAttr>:$derived
  );
  let results = (outs TensorRankOf<[I8], [4]>:$output);
  let assemblyFormat = [{
    $input `channels` $out_channels `activation` custom<Activation>($activation)
    attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Intc_OutputLayerOp : Intc_ModelLayerOp<"output_layer"> {
  let summary = "The final linear classifier (not a local block)";
  let description = [{
    ALGORITHM.md §3.4: `ŷ = int8(clip(tdiv(x·Wᵀ, F), −127, 127))` with
    F = 256·in and W int32 `num_classes×in`. It learns from
    e_out = ŷ − y with A = `lr_amp` (default 1) and weight decay `decay_inv`.

    ```mlir
    %2 = intc.output_layer %1 {decay_inv = 3000}
           : tensor<?x50xi8> -> tensor<?x10xi8>
    ```
  }];
  let arguments = (ins
    TensorRankOf<[I8, I16], [2]>:$input,
    DefaultValuedAttr<Intc_InitSchemeAttr, "InitScheme::KaimingLeakyRelu">:$init,
    DefaultValuedAttr<Intc_I64Attr, "1">:$lr_amp,
    DefaultValuedAttr<Intc_I64Attr, "0">:$decay_inv,
    OptionalAttr<Intc_DerivedAttr>:$derived
  );
  let results = (outs TensorRankOf<[I8], [2]>:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($output)";
  let hasVerifier = 1;
}

def Intc_MaxPool2dOp : Intc_ModelLayerOp<"maxpool2d"> {
  let summary = "Inter-block max pooling (forward only)";
  let description = [{
    ALGORITHM.md §2.5 and §3.6: non-overlapping max pooling between blocks,
    kernel = stride, no padding; the output size is floor(d / k), so leftover
    rows and columns are dropped (7 → 3, §11 Q16). It is never
    back-propagated through.

    ```mlir
    %2 = intc.maxpool2d %1 kernel 2 : tensor<?x128x28x28xi8> -> tensor<?x128x14x14xi8>
    ```
  }];
  let arguments = (ins
    TensorRankOf<[I8, I16], [4]>:$input,
    ConfinedAttr<Intc_I64Attr, [IntPositive]>:$kernel,
    OptionalAttr<Intc_I64Attr>:$stride
  );
  let results = (outs TensorRankOf<[I8, I16], [4]>:$output);
  let assemblyFormat = [{
    $input `kernel` $kernel attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
}

def Intc_DropoutOp : Intc_ModelLayerOp<"dropout"> {
  let summary = "Inverted dropout with an integer rescale (between blocks)";
  let description = [{
    ALGORITHM.md §2.8. `rate` is a percentage, one of 5, 10, …, 95. In
    training each element is kept with probability 1 − rate (a mask drawn
    from the integer RNG) and rescaled:
    `y = int16(tdiv(x·m·f, 1000))`, where f is the table value
    (10 → 1111, 15 → 1176, 25 → 1333, …). In evaluation y = x. The result
    is int16. Dropout sits between blocks, so it is never back-propagated
    (§11 Q10).

    ```mlir
    %3 = intc.dropout %2 rate 10 : tensor<?x3000xi8> -> tensor<?x3000xi16>
    ```
  }];
  let arguments = (ins
    TensorRankOf<[I8], [2, 4]>:$input,
    Intc_I64Attr:$rate
  );
  let results = (outs TensorRankOf<[I16], [2, 4]>:$output);
  let assemblyFormat = [{
    $input `rate` $rate attr-dict `:` type($input) `->` type($output)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The ×1000 rescale factor of a rate in percent, or 0 if the rate is
    /// not in the table.
    static int64_t rescaleFactor(int64_t ratePercent);
  }];
}

#endif // INTC_MODEL_OPS_TD
