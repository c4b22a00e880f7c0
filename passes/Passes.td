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

def ExtractStage : Pass<"intc-extract-stage", "::mlir::ModuleOp"> {
  let summary = "Keep one pipeline stage of a model: a contiguous run of its "
                "local blocks";
  let description = [{
    Pipeline-parallel training (`mpirun -np N intc train -pipeline-stages=S`)
    gives each group of ranks a contiguous run of a model's local blocks. No
    error crosses a block (ALGORITHM.md §3.3), so a stage needs from the one
    before it only the activation entering its first block, and trains on
    its own with the entry points `intc-expand-training` writes for it.

    This pass rewrites every verified `intc.model` into stage `stage` of
    `stages`. Stage k keeps blocks [first[k], first[k+1]) and the
    inter-block layers (max-pool, dropout, flatten) that follow its last
    block; stage 0 also keeps the layers before the first block, the last
    stage the output layer. A stage's input is the activation entering its
    first block (int8, or int16 after a dropout); a stage before the last
    has no output layer and yields the activation it hands on, so its
    `train_step`, `train_grads` and `predict(_heads)` write that activation
    where the whole model writes its logits. The stage keeps the whole
    model's tensor names (`block3.encoder`, ...), init RNG streams and
    dropout streams (`#intc.stage`), so its weights, masks and initial
    values equal the whole model's for its tensors, bit for bit; its state
    is the whole model's state from its first tensor on.

    **Partition rule.** With `cuts` (the first block of stages 1..S-1,
    strictly increasing), those. Without, the blocks are split to balance an
    estimate of their training work in multiply-accumulates per sample
    (encoder forward and weight gradient, the head's three products, the
    double update's second step, the output layer on the last block): the
    contiguous split whose costliest stage costs least. More stages than
    blocks, or bad cuts, are errors.

    Example (`-intc-extract-stage="stage=1 stages=2"` on a 784-100-50-10
    MLP):

    ```mlir
    intc.model @mlp(%x: tensor<?x100xi8>) attributes {
        stage = #intc.stage<index = 1, count = 2, first_block = 1,
                            first_tensor = 2, first_dropout = 0, cnn = false>} {
      %0 = intc.local_linear_block %x features 50 ... : tensor<?x100xi8> -> tensor<?x50xi8>
      %1 = intc.output_layer %0 ... : tensor<?x50xi8> -> tensor<?x10xi8>
      intc.yield %1 : tensor<?x10xi8>
    }
    ```
  }];
  let options = [
    Option<"stage", "stage", "int64_t", /*default=*/"0",
           "The stage to keep, from 0">,
    Option<"stages", "stages", "int64_t", /*default=*/"1",
           "How many stages the model is cut into">,
    ListOption<"cuts", "cuts", "int64_t",
               "The first block of each stage after the first (default: "
               "balance the blocks' training work)">
  ];
  let dependentDialects = ["::mlir::intc::IntcDialect"];
}

def ExpandTraining : Pass<"intc-expand-training", "::mlir::ModuleOp"> {
  let summary = "Expand a model into init, train_step, its gradient and "
                "update halves, predict and predict_heads functions";
  let description = [{
    Turns every verified `intc.model @m` into functions written in
    step-level ops on tensors, with the trainable state passed in
    destination-passing style as ONE flat `memref<Nxi32>` (the layout of
    `dialect/IntcModelLayout.h`: block by block the encoder then the head
    weight, then the output layer):

    ```mlir
    func.func @m_init(%state: memref<Nxi32>, %seed: i64)
    func.func @m_train_step(%state: memref<Nxi32>, %x: memref<BxCxHxWxi8>,
                            %labels: memref<Bxi8>, %lr_inv: i64, %seed: i64,
                            %step: i64, %logits: memref<BxKxi8>)
    func.func @m_predict(%state: memref<Nxi32>, %x: memref<BxCxHxWxi8>,
                         %logits: memref<BxKxi8>)
    func.func @m_predict_heads(%state: memref<Nxi32>, %x: memref<BxCxHxWxi8>,
                               %logits: memref<BxKxi8>,
                               %heads: memref<HxBxKxi8>)
    ```

    `train_step` is one NITRO-D step (ALGORITHM.md §3.3–§3.7) and also writes
    the training-mode network output to `%logits` (for the running train
    accuracy of §8): the forward
    pass in training mode (dropout drawn from the integer RNG with `seed` and
    `step`), the output layer's update from e = ŷ − y, then each block's
    local step in reverse order: its head forward on the cached block output,
    the head's error, the head update with the pre-update head weight's
    input gradient, the activation backward and the encoder update. No error
    signal crosses a block: an encoder's gradient never reaches the previous
    block. In a CNN with `double_classifier_update`, the linear blocks take a
    second local step (§11 Q2). Updated weights are written back into the
    state with `bufferization.materialize_in_destination`.

    `predict` is the evaluation forward (dropout is the identity).
    `predict_heads` is the same forward, with the same `%logits`, that also
    writes the output of each of the model's H local blocks' heads to
    `%heads` (blocks in model order): the head exactly as the block's local
    step computes it, on the evaluation-mode block output (for conv blocks
    the learning max-pool with padding value 0, flatten, linear, rescale).
    It carries `intc.num_heads = H`, and is not generated for a model
    without blocks or with `predict-heads=false` (the c and cuda targets,
    whose runtimes have no use for it).

    **Gradient steps** (data-parallel training; not generated with
    `gradient-steps=false`, which the c target and the cuda target's
    `-o DIR` output set). `train_step` split so that N ranks, each on a
    contiguous shard of b samples of a global batch of G, reach
    train_step's weights on the whole batch bit for bit: every weight's
    (first) update needs only the pre-step weights
    and an exact int64 sum over samples, so the ranks add their shards'
    sums (an all-reduce) and all apply the same update.

    ```mlir
    func.func @m_train_grads(%state: memref<Nxi32>, %x: memref<bxCxHxWxi8>,
                             %labels: memref<bxi8>, %seed: i64, %step: i64,
                             %sample_offset: i64, %global_batch: i64,
                             %grads: memref<Nxi64>, %cache: memref<Sxi8>,
                             %logits: memref<bxKxi8>)
    func.func @m_apply_grads(%state: memref<Nxi32>, %grads: memref<Nxi64>,
                             %lr_inv: i64)
    func.func @m_train_grads2(%state: memref<Nxi32>, %cache: memref<Sxi8>,
                              %labels: memref<bxi8>, %grads: memref<Nxi64>)
    func.func @m_apply_grads2(%state: memref<Nxi32>, %grads: memref<Nxi64>,
                              %lr_inv: i64)
    ```

    `train_grads` runs train_step's training forward and the first local
    step of every block on samples [sample_offset, sample_offset + b) of the
    global batch (dropout draws the masks of those samples in the global
    batch, see `intc.dropout_apply`), writes the shard's training-mode output
    to `%logits`, and writes each weight's gradient sum over the shard to
    `%grads`, laid out like the state; it does not modify the state.
    `apply_grads` is train_step's `intc.sgd_update` of every weight with its
    sum from `%grads`. In a CNN with `double_classifier_update`, the linear
    blocks' second local step (§11 Q2) reads the weights after that update
    and the first forward's block input, pre-activation and output, which
    `train_grads` leaves in `%cache` (`intc.cache_bytes` = S bytes; S = 0
    and `%cache` unused otherwise): `train_grads2` writes their gradient
    sums and `apply_grads2` applies them. Models without a second step have
    neither function. Each function records the part of `%grads` it writes
    or reads as `intc.grads_offset` and `intc.grads_count` (elements); the
    linear blocks' tensors are contiguous in the state.

    One step on N ranks: `train_grads` on every shard, all-reduce `%grads`,
    `apply_grads`; then, if present, `train_grads2`, all-reduce the second
    range, `apply_grads2`. With one shard (offset 0, G = b) this is
    train_step.

    On the cuda target the four functions launch kernels on each rank's
    GPU and `%grads` and `%cache` stay in device memory: the ranks sum
    `%grads` there with NCCL when each has a GPU of its own, else through
    host memory and MPI (runtime/host/DeviceReducer.h).

    With `grads-ready-hook`, `train_grads` and `train_grads2` call the
    external `intc_grads_ready(offset, count)` (two i64 element counts)
    as soon as a part of `%grads` is final: after the output layer's
    gradient and after each block's local step (a block's tensors are
    contiguous in the state). The host starts that part's all-reduce there,
    so that communication overlaps the remaining blocks' gradients:

    ```mlir
    func.func private @intc_grads_ready(i64, i64)
    ...
    call @intc_grads_ready(%c78400, %c1000) : (i64, i64) -> ()
    ```

    With `check-overflow`, the steps assert at run time what no type
    proves: before every int32 `intc.sgd_update` (train_step, apply_grads,
    apply_grads2) an `intc.sgd_overflow_count` counts the elements whose
    exact int64 update leaves int32, and a non-zero count calls the external
    `intc_overflow(tensor_index, quantity, step, count)` (the tensor's index
    in the state layout; quantity 0, the weights; the step argument of
    train_step, −1 in apply_grads). The update itself is unchanged: the host
    decides what to do (`intc train` stops with the layer, quantity and
    step). The int64 accumulations need no run-time check: the pass proves
    each from its operand types and contraction size K, requiring
    K · max|a| · max|b| ≤ 2⁶² (linear and conv forward: K = fan-in; weight
    gradients: K = batch · output pixels), which also keeps the update's
    int64 intermediate W − tdiv(G, d) − tdiv(W, decay_inv) exact; a layer
    where the proof fails is a compile-time error located at that layer.
    int16 weights saturate instead of wrapping and get no guard.

    ```mlir
    func.func private @intc_overflow(i64, i64, i64, i64)
    ...
    %n = intc.sgd_overflow_count %w, %g, %lr_inv lr_amp 640 decay_inv 0
           : tensor<100x784xi32>, tensor<100x784xi64>
    %wraps = arith.cmpi ne, %n, %c0 : i64
    scf.if %wraps {
      func.call @intc_overflow(%c0, %c0, %step, %n) : (i64, i64, i64, i64) -> ()
    }
    %w2 = intc.sgd_update %w, %g, %lr_inv lr_amp 640 decay_inv 0
            : tensor<100x784xi32>, tensor<100x784xi64>
    ```

    With `weight-bits=16` the state is a `memref<Nxi16>`: every weight is
    stored and used as int16 (the microcontroller target halves its largest
    memory item); updates saturate (see `intc.sgd_update`).

    A pipeline stage (`intc-extract-stage`) expands the same way, with its
    input type for `%x`; a stage before the last has no output layer, and
    every function's `%logits` is then the activation the stage hands on
    (`predict(_heads)` sign-extends it with `intc.widen` when it leaves
    through a dropout, whose evaluation mode is the identity). `init` draws
    each tensor from the whole model's stream and dropout masks use the
    whole model's streams (`#intc.stage`).

    The model op is kept (it carries the hyper-parameters the host reads)
    unless `keep-model=false`. The batch size is the model's `batch` unless
    the `batch` option overrides it.
  }];
  let options = [
    Option<"batch", "batch", "int64_t", /*default=*/"0",
           "Batch size of the generated functions (0: the model's batch)">,
    Option<"keepModel", "keep-model", "bool", /*default=*/"true",
           "Keep the intc.model op after expansion">,
    Option<"weightBits", "weight-bits", "int64_t", /*default=*/"32",
           "Weight storage: 32 (the reference's int32) or 16 (half the "
           "memory; updates saturate at +-32767, which trained weights never "
           "reach with weight decay)">,
    Option<"predictHeads", "predict-heads", "bool", /*default=*/"true",
           "Also write predict_heads (the evaluation forward with every "
           "block's head output)">,
    Option<"gradientSteps", "gradient-steps", "bool", /*default=*/"true",
           "Also write train_grads / apply_grads (and train_grads2 / "
           "apply_grads2 with a second local step) for data-parallel "
           "training">,
    Option<"gradsReadyHook", "grads-ready-hook", "bool", /*default=*/"false",
           "train_grads(2) call intc_grads_ready(offset, count) when a "
           "block's gradients are final (the JIT's data-parallel runner "
           "starts their all-reduce there)">,
    Option<"checkOverflow", "check-overflow", "bool", /*default=*/"false",
           "Prove every int64 accumulation's range from its types and "
           "shapes (an error where that fails) and guard every int32 SGD "
           "update: a non-zero count of wrapping elements calls "
           "intc_overflow(tensor_index, quantity, step, count)">
  ];
  let dependentDialects = [
    "::mlir::intc::IntcDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def Fuse : Pass<"intc-fuse", "::mlir::ModuleOp"> {
  let summary = "Fuse element-wise chains and matmul/conv epilogues into tiles";
  let description = [{
    Runs on the linalg-on-tensors form that `intc-lower-to-linalg` produces:

    1. **Element-wise chains**: an element-wise generic whose only user is
       another element-wise generic is fused into it (for example the
       backward chain of an activation gradient that feeds nothing else).
    2. **Epilogues**: an element-wise consumer of a matmul-like reduction
       (`intc.kernel` linear or conv2d: NITRO-Scaling, the activation) is
       tiled along its first dimension (batch rows) and the reduction is
       fused into the tile loop, so the int64 pre-activation exists one tile
       at a time instead of for the whole batch.
    3. **Weight updates** (`weight-updates`): the `sgd_update` of a weight
       gradient is tiled along the output rows and the gradient reduction
       fused into it, so no full int64 gradient buffer exists — the memory
       the microcontroller target needs to train MLP1 in 256 KB.

    Tiles hold at most `scratch-bytes` of int64 accumulators (rounded to a
    divisor of the dimension, so tiles stay static). Every value is computed
    with the same integer arithmetic, only in a different order of whole
    elements, so the results are bit-identical.

    ```mlir
    // before: %z = <linear generic> ; %h = <rescale generic>(%z)
    // after:
    %h = scf.for %i = %c0 to %c64 step %c16 iter_args(%acc = %init) {
      %xs = tensor.extract_slice %x[%i, 0] [16, 784] [1, 1]
      %zs = <linear generic>(%xs, %w)            // 16x100xi64
      %hs = <rescale generic>(%zs)               // 16x100xi8
      %r = tensor.insert_slice %hs into %acc[%i, 0] [16, 100] [1, 1]
      scf.yield %r
    }
    ```
  }];
  let options = [
    Option<"scratchBytes", "scratch-bytes", "int64_t", /*default=*/"65536",
           "Largest accumulator tile, in bytes">,
    Option<"weightUpdates", "weight-updates", "bool", /*default=*/"false",
           "Also fuse weight-gradient reductions into their SGD updates">
  ];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def Tile : Pass<"intc-tile", "::mlir::ModuleOp"> {
  let summary = "Tile matmul-like reductions for the cache";
  let description = [{
    Tiles every matmul-like reduction (`intc.kernel` generics) that
    `intc-fuse` left whole along its parallel dimensions, so that one tile's
    operands — the slice of the activations or deltas, the slice of the
    weights and the int64 accumulator tile — fit in `cache-bytes`. The tile
    loop runs the reduction on tensor slices (`scf.for` + `extract_slice` /
    `insert_slice`), which bufferizes in place; a tile's result is the same
    exact integer sum as before, only computed in blocks.

    The first parallel dimension is split first (batch rows, output rows),
    then the second, until a tile fits; sizes are divisors, so tiles stay
    static and the microkernels still take them.

    ```mlir
    // %z = <linear generic> ins(%x: 64x784xi8, %w: 100x784xi32) outs(64x100xi64)
    // with cache-bytes = 65536 becomes a loop over row blocks of %x
    ```
  }];
  let options = [
    Option<"cacheBytes", "cache-bytes", "int64_t", /*default=*/"1048576",
           "Working-set budget of one tile, in bytes">
  ];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def SparseWgrad : Pass<"intc-sparse-wgrad", "::mlir::ModuleOp"> {
  let summary = "Conv weight gradients only where the routed delta can be non-zero";
  let description = [{
    A conv block's encoder receives its δ through the learning head's max
    pool: one non-zero per pool window and channel. This pass rewrites

    ```mlir
    %full = intc.max_pool_grad %d, %idx kernel [8, 4] padding [0, 0] : ...
    %act  = intc.activation_grad %pre, %full nitro_leaky_relu<4> : ...
    %g    = intc.conv2d_weight_grad %act, %x padding 1 : ...
    ```

    into the equivalent

    ```mlir
    %p   = intc.max_pool_gather %pre, %idx : ...
    %act = intc.activation_grad %p, %d nitro_leaky_relu<4> : ...
    %g   = intc.conv2d_weight_grad_sparse %act, %idx, %x padding 1 out_size [32, 32] : ...
    ```

    which sums over the pooled grid instead of every output position: a
    ks_h·ks_w (2–64×) smaller weight-gradient reduction, with the same exact
    integer result (the omitted terms are products with zero). Bipolar
    activations, whose backward depends on the position, are left alone.
  }];
}

def LowerToLinalg : Pass<"intc-lower-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lower step-level ops to linalg, tensor and arith on tensors";
  let description = [{
    Rewrites every step-level op into `linalg.generic` ops (plus `tensor.pad`,
    `tensor.collapse_shape`, `tensor.empty`, `linalg.fill`) whose bodies are
    plain `arith` integer ops, so that the result can be bufferized and
    lowered to loops for any target. The semantics are exactly those stated
    on each op: `tdiv` is `arith.divsi`, sums are accumulated in the result
    type, narrowing is `arith.trunci` (two's-complement wrap), and the
    counter-based RNG of `runtime/c/intc_rng.h` is expanded inline
    (SplitMix64 mixing with 64-bit wrapping arithmetic).

    Max-pool reductions compare (value, window position) lexicographically,
    so the first-maximum rule holds whatever order a later pass reduces in.

    Example:

    ```mlir
    %y = intc.rescale %z factor 200704 : tensor<64x100xi64> -> tensor<64x100xi8>
    // becomes
    %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = [...]}
           ins(%z : tensor<64x100xi64>) outs(%e : tensor<64x100xi8>) {
    ^bb0(%in: i64, %out: i8):
      %q = arith.divsi %in, %c200704 : i64
      ... clamp to [-127, 127], arith.trunci to i8
    }
    ```
  }];
  let options = [
    Option<"fastDivision", "fast-division", "bool", /*default=*/"true",
           "Divide by the runtime learning-rate divisor with a multiply-high "
           "magic number computed once per update (exact, Hacker's Delight "
           "10-1) instead of a division per weight">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def VerifyIntegerOnly : Pass<"intc-verify-integer-only", "::mlir::ModuleOp"> {
  let summary = "Refuse any floating-point type, value or op in the module";
  let description = [{
    intc's generated code is integer-only: this check runs at the end of every
    target pipeline and fails, at the offending op, if any operand, result,
    block argument, function signature or attribute involves a floating-point
    type (f16, bf16, f32, f64, ... alone or as the element of a tensor,
    memref, vector or LLVM aggregate). It is the guard against the float
    "escape hatches" that other integer training schemes fall back on.

    ```mlir
    // error: 'arith.sitofp' op uses floating-point type 'f32'; intc
    // generates integer-only code
    %f = arith.sitofp %i : i32 to f32
    ```
  }];
}

def UseMicrokernels : Pass<"intc-use-microkernels", "::mlir::ModuleOp"> {
  let summary = "Call runtime/cpu microkernels for matmul-like loops";
  let description = [{
    After bufferization, every `linalg.generic` that `intc-lower-to-linalg`
    tagged as a linear, linear weight-gradient, conv2d or conv2d
    weight-gradient reduction (`intc.kernel`) and whose buffers have a type
    the kernels take (int8/int16 activations, int32 weights and deltas, int64
    accumulators, contiguous row-major views) becomes a call to the matching
    `runtime/cpu` function, e.g. `intc_cpu_linear_acc_i8`. The kernels have
    the generic's exact accumulating semantics (`+=`, exact integer sums) and
    choose AVX-512 VNNI, AVX2 or scalar code at run time; they are checked
    bit for bit against runtime/c. Other generics stay loops.

    A linear weight gradient whose accumulator is filled with zeros right
    before it (the last op with memory effects, into the same buffer) calls
    the overwriting `intc_cpu_linear_wgrad_<i8|i16>` instead, and the fill
    is erased: the kernel zeroes each tile of the int64 gradient just before
    adding into it, while it is in L1, rather than a separate pass over the
    whole gradient (72 MB per step for a 3000 x 3000 layer).

    When, moreover, the next op with memory effects is that gradient's SGD
    update (the lowered `intc.sgd_update`, marked `intc.sgd_decay_inv`) on
    int32 weights and nothing else reads the gradient, the fill, the
    gradient and the update become one call of
    `intc_cpu_linear_wgrad_sgd_<i8|i16>(d, x, w, B, IN, OUT, div,
    decay_inv)` where the update was: the kernel sums each tile of the
    gradient in L1 and updates its weights at once, with the update's exact
    integer arithmetic, so the gradient is never written to memory nor read
    back. Updates guarded by `check-overflow` (whose count reads the
    gradient) and int16 weights keep the separate update.

    Each buffer is passed as (base pointer, element offset), then the sizes:

    ```mlir
    %base, %off, %sizes:2, %strides:2 = memref.extract_strided_metadata %x
    func.call @intc_cpu_linear_acc_i8(%xb, %xo, %wb, %wo, %zb, %zo, %c64, %c784, %c100)
      : (memref<i8>, i64, memref<i32>, i64, memref<i64>, i64, i64, i64, i64) -> ()
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::func::FuncDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def PlanMemory : Pass<"intc-plan-memory", "::mlir::ModuleOp"> {
  let summary = "Pack every temporary buffer into one statically planned arena";
  let description = [{
    After bufferization, every `memref.alloc` of static size at the top level
    of a function gets a live range (from the allocation to the last top-level
    op that uses the buffer or any view of it). Buffers are placed greedily,
    largest first, at the lowest 64-byte-aligned offset that does not overlap
    a buffer whose live range intersects theirs; each allocation becomes a
    `memref.view` into one arena and its deallocation disappears. The arena
    is a private `memref.global` per function (the CPU target) and its size,
    the peak temporary memory of one call, is recorded on the function as
    `intc.arena_bytes` — the microcontroller figure of merit.

    Run it before the buffer-deallocation pipeline; allocations it cannot
    place (dynamic sizes, nested in regions) are left to that pipeline.

    ```mlir
    %a = memref.alloc() : memref<64x100xi64>
    // becomes
    %arena = memref.get_global @m_train_step_arena : memref<204800xi8>
    %a = memref.view %arena[%c0][] : memref<204800xi8> to memref<64x100xi64>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

#endif // INTC_PASSES_TD
