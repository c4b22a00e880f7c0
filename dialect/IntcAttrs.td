//===- IntcAttrs.td - IntC attributes and enums ------------*- tablegen -*-===//
//
// Attributes of the IntC dialect: the activation functions of ALGORITHM.md
// §2.4, the weight-initialisation schemes of §5, the constants that
// `intc-verify-model` derives for every layer (§2.3, §3.2, §5), and where a
// pipeline stage sits in the model it was cut from.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_ATTRS_TD
#define INTC_ATTRS_TD

include "dialect/IntcDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

class Intc_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Intc_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

//===----------------------------------------------------------------------===//
// Integer attribute constraints
//===----------------------------------------------------------------------===//

// A signless 64-bit integer attribute read as a signed int64_t. (Upstream
// I64Attr reads it as uint64_t, which would turn a negative hyper-parameter
// into a huge positive one before the verifier sees it.)
def Intc_I64Attr : SignlessIntegerAttrBase<I64, "64-bit integer attribute"> {
  let returnType = "int64_t";
  let convertFromStorage = "$_self.getValue().getSExtValue()";
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

// The numbering is runtime/c's INTC_ACT_* (intc_activations.h).
def Intc_ActivationKind : I32EnumAttr<"ActivationKind",
    "integer activation function", [
      I32EnumAttrCase<"NitroLeakyRelu", 0, "nitro_leaky_relu">,
      I32EnumAttrCase<"PocketLeakyRelu", 1, "pocket_leaky_relu">,
      I32EnumAttrCase<"PocketRelu", 2, "pocket_relu">,
      I32EnumAttrCase<"PocketTanh", 3, "pocket_tanh">,
      I32EnumAttrCase<"BipolarPocketRelu", 4, "bipolar_pocket_relu">,
      I32EnumAttrCase<"BipolarLeakyRelu", 5, "bipolar_leaky_relu">
    ]> {
  let cppNamespace = "::mlir::intc";
  let genSpecializedAttr = 0;
}

def Intc_ActivationAttr : Intc_Attr<"Activation", "activation"> {
  let summary = "An integer activation function and its parameter";
  let description = [{
    One of the activation functions of ALGORITHM.md §2.4. The leaky kinds take
    the inverse negative slope `nsi` (`negative_slope_inv`), one of
    3, 4, 5, 7, 8, 10, 15, 16 or 20; the others take no parameter.
    All take an int8 input in [−127, 127] and return int8:

    | kind | forward y(x) | backward δ_in |
    |---|---|---|
    | `pocket_leaky_relu<n>` | clip(x,0,127) + tdiv(clip(x,−127,0), n) | tdiv(δ, g), g = 1 on [0,127), n on [−127,0), INT32_MAX elsewhere |
    | `nitro_leaky_relu<n>` | pocket_leaky_relu minus c[n] (c[4] = 36; table in §2.4) | as pocket_leaky_relu |
    | `pocket_relu` | clip(x, 0, 127) | δ·[0 < x ≤ 127] |
    | `pocket_tanh` | piecewise linear tanh, output ±127 | tdiv(δ, g), g ∈ {1, 2, 8, INT32_MAX} |
    | `bipolar_leaky_relu<n>` | f(x·M)·M with f = pocket_leaky_relu, M = ±1 mask | f′(δ·M)·M |
    | `bipolar_pocket_relu` | f(x·M)·M with f = pocket_relu | f′(δ·M)·M |

    The bipolar mask M is −1 on odd feature columns of a 2-D tensor and on a
    checkerboard ((h even, w odd) or (h odd, w even)) of a 4-D tensor.

    Examples: `#intc.activation<nitro_leaky_relu<4>>`,
    `#intc.activation<pocket_tanh>`. In op syntax the prefix is omitted:
    `activation nitro_leaky_relu<4>`.
  }];
  let parameters = (ins "ActivationKind":$kind, "int32_t":$nsi);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// True for the kinds that take a negative slope parameter.
    static bool hasSlope(ActivationKind kind);
    bool hasSlope() const { return hasSlope(getKind()); }
    /// The mean correction c[nsi] subtracted by nitro_leaky_relu (§2.4).
    static int32_t nitroCorrection(int32_t nsi);
    /// The inclusive range of the forward output, for range analysis.
    std::pair<int64_t, int64_t> outputRange() const;
    /// Prints `kind` or `kind<nsi>` without the attribute prefix.
    void printBare(::mlir::AsmPrinter &printer) const;
    static ::mlir::Attribute parseBare(::mlir::AsmParser &parser);
  }];
}

//===----------------------------------------------------------------------===//
// Weight initialisation
//===----------------------------------------------------------------------===//

// The numbering is runtime/c's INTC_INIT_* (intc_init.h).
def Intc_InitScheme : I32EnumAttr<"InitScheme",
    "integer weight initialisation scheme (ALGORITHM.md §5)", [
      I32EnumAttrCase<"KaimingLeakyRelu", 0, "kaiming_leaky_relu">,
      I32EnumAttrCase<"KaimingRelu", 1, "kaiming_relu">,
      I32EnumAttrCase<"Xavier", 2, "xavier">,
      I32EnumAttrCase<"Std", 3, "std">,
      I32EnumAttrCase<"Fixed", 4, "fixed">,
      I32EnumAttrCase<"Zeros", 5, "zeros">,
      I32EnumAttrCase<"Ones", 6, "ones">
    ]> {
  let cppNamespace = "::mlir::intc";
  let genSpecializedAttr = 0;
}

def Intc_InitSchemeAttr : EnumAttr<Intc_Dialect, Intc_InitScheme, "init"> {
  let summary = "A weight initialisation scheme";
  let description = [{
    The bound b of the uniform integer init (ALGORITHM.md §5), from
    fan_in (= in_features, or C_in·k·k) and fan_out:

    | scheme | b |
    |---|---|
    | `kaiming_leaky_relu` | (g·128·1732) // (int_sqrt(fan_in)·10⁶), g = 1372 (the reference hard-codes nsi = 4) |
    | `kaiming_relu` | (1414·128·1732) // (int_sqrt(fan_in)·10⁶) |
    | `xavier` | (1667·128·2449) // (int_sqrt(fan_in + fan_out)·10⁶) |
    | `std` | int_sqrt((64·32767) // fan_in) |
    | `fixed` | 64 |
    | `zeros` / `ones` | every weight is 0 / 1 |

    then b = min(b, 64) and every weight is drawn uniformly from the integers
    in [−b, b]. Example: `#intc.init<kaiming_leaky_relu>`.
  }];
  let assemblyFormat = "`<` $value `>`";
}

//===----------------------------------------------------------------------===//
// Derived constants
//===----------------------------------------------------------------------===//

def Intc_DerivedAttr : Intc_Attr<"Derived", "derived"> {
  let summary = "NITRO constants that intc-verify-model derives for a layer";
  let description = [{
    The constants of one model-level layer, computed by `intc-verify-model`
    from the inferred shapes and never typed by hand (the verifier rejects a
    `derived` attribute that disagrees with the recomputation):

    * `F`: the NITRO-Scaling factor of the encoder (or output) layer,
      256 × fan_in (§2.3);
    * `init`: the init bound of the encoder weights (§5);
    * `head_pool`, `head_pad`, `head_grid`: the learning-head max-pool kernel
      (= stride), padding and output grid of a conv block (§3.2); [1, 1],
      [0, 0] and the feature map when no pooling is needed;
    * `dim_in_decoder`: the input size of the head linear;
    * `head_F`, `head_init`: the head's scaling factor and init bound.

    Linear blocks have no head pooling and print only the scalar fields; the
    output layer prints only `F` and `init`.

    Example (VGG8B CIFAR-10, conv0):
    `#intc.derived<F = 6912, init = 60, head_pool = [8, 4], head_pad = [0, 0],
    head_grid = [4, 8], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>`
  }];
  let parameters = (ins
    "int64_t":$fwd_factor,
    "int64_t":$init_bound,
    OptionalArrayRefParameter<"int64_t">:$head_pool,
    OptionalArrayRefParameter<"int64_t">:$head_pad,
    OptionalArrayRefParameter<"int64_t">:$head_grid,
    "int64_t":$dim_in_decoder,
    "int64_t":$head_factor,
    "int64_t":$head_init_bound
  );
  let hasCustomAssemblyFormat = 1;
}

//===----------------------------------------------------------------------===//
// Pipeline stages
//===----------------------------------------------------------------------===//

def Intc_StageAttr : Intc_Attr<"Stage", "stage"> {
  let summary = "Where a pipeline stage sits in the model it was cut from";
  let description = [{
    `intc-extract-stage` cuts a model into S contiguous runs of local blocks
    and keeps one of them as a model of its own, stage `index` of `count`.
    Its weights, initial values and dropout masks must be those of the
    same layers in the whole model, bit for bit, so the stage records what
    the layers before it used up:

    * `first_block`: the whole model's index of the stage's first block;
      its tensors are named `block<first_block>.encoder`, … as there;
    * `first_tensor`: the whole model's index of the stage's first weight
      tensor, the RNG stream `init` draws it from (§5);
    * `first_dropout`: the whole model's index of the stage's first dropout
      layer, the RNG stream of its masks;
    * `cnn`: whether the whole model has conv blocks, which gives its linear
      blocks the double update (§11 Q2) even in a stage without conv blocks.

    Example (stage 1 of 2 of VGG8B CIFAR-10):
    `#intc.stage<index = 1, count = 2, first_block = 3, first_tensor = 6,
    first_dropout = 0, cnn = true>`
  }];
  let parameters = (ins
    "int64_t":$index,
    "int64_t":$count,
    "int64_t":$first_block,
    "int64_t":$first_tensor,
    "int64_t":$first_dropout,
    "bool":$cnn
  );
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// True for the last stage, which holds the output layer.
    bool isLast() const { return getIndex() == getCount() - 1; }
  }];
}

#endif // INTC_ATTRS_TD
