// RUN: intc-opt %s -split-input-file -verify-diagnostics
//
// Invalid models: every diagnostic of the model-level verifiers and shape
// inference (dialect/IntcModelOps.cpp).

//===----------------------------------------------------------------------===//
// intc.model
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'intc.model' op takes exactly one input batch, got 2 arguments}}
intc.model @m(%x: tensor<?x4xi8>, %y: tensor<?x4xi8>) {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op input must be an int8 batch tensor<?xCxHxWxi8> or tensor<?xNxi8>, got 'tensor<?x4xi16>'}}
intc.model @m(%x: tensor<?x4xi16>) {
  %0 = intc.output_layer %x : tensor<?x4xi16> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// A rank-3 input is neither an image batch nor a flat batch.
// expected-error @+1 {{'intc.model' op input must be an int8 batch}}
intc.model @m(%x: tensor<?x28x28xi8>) {
  %0 = intc.flatten %x : tensor<?x28x28xi8> -> tensor<?x784xi8>
  %1 = intc.output_layer %0 : tensor<?x784xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op input sample shape must be static, got 'tensor<?x1x?x28xi8>'}}
intc.model @m(%x: tensor<?x1x?x28xi8>) {
  %0 = intc.flatten %x : tensor<?x1x?x28xi8> -> tensor<?x?xi8>
  %1 = intc.output_layer %0 : tensor<?x?xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op input batch dimension 32 differs from batch = 64 (write ? to leave it to the expansion)}}
intc.model @m(%x: tensor<32x4xi8>) {
  %0 = intc.output_layer %x : tensor<32x4xi8> -> tensor<32x10xi8>
  intc.yield %0 : tensor<32x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op num_classes must be in [2, 256], got 1}}
intc.model @m(%x: tensor<?x4xi8>) attributes {num_classes = 1} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x1xi8>
  intc.yield %0 : tensor<?x1xi8>
}

// -----

// expected-error @+1 {{'intc.model' op one_hot must be in [1, 127] (an int8 target), got 128}}
intc.model @m(%x: tensor<?x4xi8>) attributes {one_hot = 128} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op one_hot must be in [1, 127] (an int8 target), got 0}}
intc.model @m(%x: tensor<?x4xi8>) attributes {one_hot = 0} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op lr_inv must be in [1, 2147483647], got 0}}
intc.model @m(%x: tensor<?x4xi8>) attributes {lr_inv = 0} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op batch must be in [1, 65536], got -64}}
intc.model @m(%x: tensor<?x4xi8>) attributes {batch = -64} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op max_epochs must be in [1, 1000000], got 0}}
intc.model @m(%x: tensor<?x4xi8>) attributes {max_epochs = 0} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op plateau_patience must be in [1, 1000000], got 0}}
intc.model @m(%x: tensor<?x4xi8>) attributes {plateau_patience = 0} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op early_stop_from must be in [0, 1000000], got -1}}
intc.model @m(%x: tensor<?x4xi8>) attributes {early_stop_from = -1} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op augment_crop must be in [0, 28], got -2}}
intc.model @m(%x: tensor<?x1x28x28xi8>) attributes {augment_crop = -2} {
  %0 = intc.flatten %x : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
  %1 = intc.output_layer %0 : tensor<?x784xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// The crop pads by at most the image's smaller side (a larger value used to
// wrap through a 32-bit field).
// expected-error @+1 {{'intc.model' op augment_crop must be in [0, 28], got 4294967298}}
intc.model @m(%x: tensor<?x1x28x28xi8>) attributes {augment_crop = 4294967298} {
  %0 = intc.flatten %x : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
  %1 = intc.output_layer %0 : tensor<?x784xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// Hyper-parameters of the wrong kind are errors, not dropped.
// expected-error @+1 {{custom op 'intc.model' attribute 'batch' failed to satisfy constraint: 64-bit integer attribute}}
intc.model @m(%x: tensor<?x4xi8>) attributes {batch = "x"} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{custom op 'intc.model' attribute 'dataset' failed to satisfy constraint: string attribute}}
intc.model @m(%x: tensor<?x4xi8>) attributes {dataset = 5} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{custom op 'intc.model' attribute 'augment_flip' failed to satisfy constraint: bool attribute}}
intc.model @m(%x: tensor<?x1x28x28xi8>) attributes {augment_flip = 3} {
  %0 = intc.flatten %x : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
  %1 = intc.output_layer %0 : tensor<?x784xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// lr_inv · lr_amp must fit int64: both stay below 2^31.
// expected-error @+1 {{'intc.model' op lr_inv must be in [1, 2147483647], got 9223372036854775807}}
intc.model @m(%x: tensor<?x4xi8>) attributes {lr_inv = 9223372036854775807} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op plateau_factor must be in [1, 2147483647], got 36028797018963968}}
intc.model @m(%x: tensor<?x4xi8>) attributes {plateau_factor = 36028797018963968} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op batch must be in [1, 65536], got 4294967295}}
intc.model @m(%x: tensor<?x4xi8>) attributes {batch = 4294967295} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op num_classes must be in [2, 256], got 4294967296}}
intc.model @m(%x: tensor<?x4xi8>) attributes {num_classes = 4294967296} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x4294967296xi8>
  intc.yield %0 : tensor<?x4294967296xi8>
}

// -----

// expected-error @+1 {{'intc.model' op input sample dimensions must be positive, got 0}}
intc.model @m(%x: tensor<?x0xi8>) {
  %0 = intc.output_layer %x : tensor<?x0xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op input samples of shape 1x65536x65536 have more than 2147483647 elements}}
intc.model @m(%x: tensor<?x1x65536x65536xi8>) {
  %0 = intc.flatten %x : tensor<?x1x65536x65536xi8> -> tensor<?x4294967296xi8>
  %1 = intc.output_layer %0 : tensor<?x4294967296xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// Labels are bytes: at most 256 classes.
// expected-error @+1 {{'intc.model' op num_classes must be in [2, 256], got 257}}
intc.model @m(%x: tensor<?x4xi8>) attributes {num_classes = 257} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x257xi8>
  intc.yield %0 : tensor<?x257xi8>
}

// -----

// A misspelt hyper-parameter is an error, not a silently kept default.
// expected-error @+1 {{'intc.model' op has no attribute 'lr_invv' (discardable attributes need a dialect prefix)}}
intc.model @m(%x: tensor<?x4xi8>) attributes {lr_invv = 3} {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x1x8x8xi8>) {
  // expected-error @+1 {{'intc.local_conv_block' op has no attribute 'kernal_size' (discardable attributes need a dialect prefix)}}
  %0 = intc.local_conv_block %x channels 4 activation nitro_leaky_relu<4> {kernal_size = 5}
         : tensor<?x1x8x8xi8> -> tensor<?x4x8x8xi8>
  %1 = intc.flatten %0 : tensor<?x4x8x8xi8> -> tensor<?x256xi8>
  %2 = intc.output_layer %1 : tensor<?x256xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

// The name becomes C symbols and file names.
// expected-error @+1 {{'intc.model' op name '../escaped' must be a C identifier ([A-Za-z_][A-Za-z0-9_]*): it names the generated functions and files}}
intc.model @"../escaped"(%x: tensor<?x4xi8>) {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op name '123' must be a C identifier}}
intc.model @"123"(%x: tensor<?x4xi8>) {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op augmentation needs an image input (rank 4)}}
intc.model @m(%x: tensor<?x784xi8>) attributes {augment_flip = true} {
  %0 = intc.output_layer %x : tensor<?x784xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op unknown dataset 'imagenet': expected mnist, fashion-mnist or cifar10}}
intc.model @m(%x: tensor<?x3x32x32xi8>) attributes {dataset = "imagenet"} {
  %0 = intc.flatten %x : tensor<?x3x32x32xi8> -> tensor<?x3072xi8>
  %1 = intc.output_layer %0 : tensor<?x3072xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op dataset 'cifar10' has 3x32x32 images, but the model input is 1x28x28}}
intc.model @m(%x: tensor<?x1x28x28xi8>) attributes {dataset = "cifar10"} {
  %0 = intc.flatten %x : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
  %1 = intc.output_layer %0 : tensor<?x784xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// A flat input must have as many features as the dataset has pixels.
// expected-error @+1 {{'intc.model' op dataset 'fashion-mnist' has 1x28x28 images, but the model input is 3072}}
intc.model @m(%x: tensor<?x3072xi8>) attributes {dataset = "fashion-mnist"} {
  %0 = intc.output_layer %x : tensor<?x3072xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// The model is a chain: the input feeds exactly one layer.
// expected-error @+1 {{'intc.model' op input must feed exactly one layer (a model is a chain of layers), but it has 2 uses}}
intc.model @m(%x: tensor<?x4xi8>) {
  %0 = intc.local_linear_block %x features 4 activation nitro_leaky_relu<4>
         : tensor<?x4xi8> -> tensor<?x4xi8>
  %1 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// A skip connection: %0 feeds two layers.
intc.model @m(%x: tensor<?x4xi8>) {
  // expected-error @+1 {{'intc.local_linear_block' op result must feed exactly one layer (a model is a chain of layers), but it has 2 uses}}
  %0 = intc.local_linear_block %x features 8 activation nitro_leaky_relu<4>
         : tensor<?x4xi8> -> tensor<?x8xi8>
  %1 = intc.local_linear_block %0 features 8 activation nitro_leaky_relu<4>
         : tensor<?x8xi8> -> tensor<?x8xi8>
  %2 = intc.output_layer %0 : tensor<?x8xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

// An input that feeds nothing breaks the chain too.
// expected-error @+1 {{'intc.model' op input must feed exactly one layer (a model is a chain of layers), but it has 0 uses}}
intc.model @m(%x: tensor<?x4xi8>) {
  %c = arith.constant dense<0> : tensor<64x4xi8>
  %0 = intc.output_layer %c : tensor<64x4xi8> -> tensor<64x10xi8>
  intc.yield %0 : tensor<64x10xi8>
}

// -----

// Step-level ops do not belong in a model.
intc.model @m(%x: tensor<?x4xi8>) {
  // expected-error @+1 {{'intc.activation' op is not a model-level layer; a model body holds only local_linear_block, local_conv_block, maxpool2d, dropout, flatten and output_layer}}
  %0 = intc.activation %x pocket_relu : tensor<?x4xi8>
  %1 = intc.output_layer %0 : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x4xi8>) {
  // expected-error @+1 {{'arith.constant' op is not a model-level layer}}
  %c = arith.constant 0 : i64
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op must have exactly one output_layer, found 0}}
intc.model @m(%x: tensor<?x4xi8>) {
  %0 = intc.local_linear_block %x features 10 activation nitro_leaky_relu<4>
         : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op must have exactly one output_layer, found 2}}
intc.model @m(%x: tensor<?x4xi8>) {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  %1 = intc.output_layer %0 : tensor<?x10xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x4xi8>) {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  %1 = intc.local_linear_block %0 features 10 activation nitro_leaky_relu<4>
         : tensor<?x10xi8> -> tensor<?x10xi8>
  // expected-error @+1 {{'intc.yield' op must yield the result of the output_layer}}
  intc.yield %1 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x4xi8>) {
  %0 = intc.local_linear_block %x features 5 activation nitro_leaky_relu<4>
         : tensor<?x4xi8> -> tensor<?x5xi8>
  // expected-error @+1 {{'intc.yield' op yields 5 classes, but the model has num_classes = 10}}
  intc.yield %0 : tensor<?x5xi8>
}

// -----

// The output layer infers num_classes columns from its model.
intc.model @m(%x: tensor<?x4xi8>) attributes {num_classes = 4} {
  // expected-error @+2 {{'intc.output_layer' op inferred type(s) 'tensor<?x4xi8>' are incompatible with return type(s) of operation 'tensor<?x10xi8>'}}
  // expected-error @+1 {{'intc.output_layer' op failed to infer returned types}}
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

func.func @f(%x: tensor<?x10xi8>) {
  // expected-error @+1 {{'intc.yield' op expects parent op 'intc.model'}}
  intc.yield %x : tensor<?x10xi8>
}

// -----

//===----------------------------------------------------------------------===//
// Pipeline stages (#intc.stage)
//===----------------------------------------------------------------------===//

// A model yields class scores; an int16 or rank-4 activation is a stage's.
intc.model @m(%x: tensor<?x4xi8>) {
  %0 = intc.local_linear_block %x features 10 activation nitro_leaky_relu<4>
         : tensor<?x4xi8> -> tensor<?x10xi8>
  %1 = intc.dropout %0 rate 10 : tensor<?x10xi8> -> tensor<?x10xi16>
  // expected-error @+1 {{'intc.yield' op yields 'tensor<?x10xi16>', but a model's output is an int8 batch of class scores (rank 2)}}
  intc.yield %1 : tensor<?x10xi16>
}

// -----

// A stage before the last yields the activation it hands on...
intc.model @m(%x: tensor<?x4xi16>) attributes {
    stage = #intc.stage<index = 1, count = 3, first_block = 1, first_tensor = 2, first_dropout = 1, cnn = false>} {
  %0 = intc.local_linear_block %x features 6 activation nitro_leaky_relu<4>
         : tensor<?x4xi16> -> tensor<?x6xi8>
  %1 = intc.dropout %0 rate 10 : tensor<?x6xi8> -> tensor<?x6xi16>
  intc.yield %1 : tensor<?x6xi16>
}

// -----

// ... and holds no output layer.
// expected-error @+1 {{'intc.model' op is pipeline stage 0 of 2 and must not hold the output_layer (the last stage does)}}
intc.model @m(%x: tensor<?x4xi8>) attributes {
    stage = #intc.stage<index = 0, count = 2, first_block = 0, first_tensor = 0, first_dropout = 0, cnn = false>} {
  %0 = intc.local_linear_block %x features 6 activation nitro_leaky_relu<4>
         : tensor<?x4xi8> -> tensor<?x6xi8>
  %1 = intc.output_layer %0 : tensor<?x6xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x4xi8>) attributes {
    stage = #intc.stage<index = 0, count = 2, first_block = 0, first_tensor = 0, first_dropout = 0, cnn = false>} {
  %0 = intc.local_linear_block %x features 6 activation nitro_leaky_relu<4>
         : tensor<?x4xi8> -> tensor<?x6xi8>
  %1 = intc.dropout %0 rate 10 : tensor<?x6xi8> -> tensor<?x6xi16>
  // expected-error @+1 {{'intc.yield' op must yield the stage's last layer's result}}
  intc.yield %0 : tensor<?x6xi8>
}

// -----

// The last stage ends with the output layer like a model.
// expected-error @+1 {{'intc.model' op must have exactly one output_layer, found 0}}
intc.model @m(%x: tensor<?x4xi8>) attributes {
    stage = #intc.stage<index = 1, count = 2, first_block = 1, first_tensor = 2, first_dropout = 0, cnn = false>} {
  %0 = intc.local_linear_block %x features 10 activation nitro_leaky_relu<4>
         : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// Only a stage after the first takes an int16 activation, and no stage a
// wider one.
// expected-error @+1 {{'intc.model' op input of a pipeline stage must be an int8 or int16 activation batch of rank 2 or 4, got 'tensor<?x4xi32>'}}
intc.model @m(%x: tensor<?x4xi32>) attributes {
    stage = #intc.stage<index = 1, count = 2, first_block = 1, first_tensor = 2, first_dropout = 0, cnn = false>} {
  %0 = intc.output_layer %x : tensor<?x4xi32> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{'intc.model' op input must be an int8 batch tensor<?xCxHxWxi8> or tensor<?xNxi8>, got 'tensor<?x4xi16>'}}
intc.model @m(%x: tensor<?x4xi16>) attributes {
    stage = #intc.stage<index = 0, count = 2, first_block = 0, first_tensor = 0, first_dropout = 0, cnn = false>} {
  %0 = intc.local_linear_block %x features 6 activation nitro_leaky_relu<4>
         : tensor<?x4xi16> -> tensor<?x6xi8>
  intc.yield %0 : tensor<?x6xi8>
}

// -----

// A stage with conv blocks is cut from a CNN.
// expected-error @+1 {{'intc.model' op has conv blocks, but its stage attribute says the model it was cut from has none}}
intc.model @m(%x: tensor<?x1x4x4xi8>) attributes {
    stage = #intc.stage<index = 1, count = 2, first_block = 1, first_tensor = 2, first_dropout = 0, cnn = false>} {
  %0 = intc.local_conv_block %x channels 2 activation nitro_leaky_relu<4>
         {pred_decoder_dim = 8} : tensor<?x1x4x4xi8> -> tensor<?x2x4x4xi8>
  %1 = intc.flatten %0 : tensor<?x2x4x4xi8> -> tensor<?x32xi8>
  %2 = intc.output_layer %1 : tensor<?x32xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----


//===----------------------------------------------------------------------===//
// Shapes that do not chain
//===----------------------------------------------------------------------===//

intc.model @m(%x: tensor<?x784xi8>) {
  // expected-error @+2 {{'intc.local_linear_block' op inferred type(s) 'tensor<?x100xi8>' are incompatible with return type(s) of operation 'tensor<?x50xi8>'}}
  // expected-error @+1 {{'intc.local_linear_block' op failed to infer returned types}}
  %0 = intc.local_linear_block %x features 100 activation nitro_leaky_relu<4>
         : tensor<?x784xi8> -> tensor<?x50xi8>
  %1 = intc.output_layer %0 : tensor<?x50xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x3x32x32xi8>) {
  // expected-error @+2 {{'intc.local_conv_block' op inferred type(s) 'tensor<?x8x30x30xi8>' are incompatible with return type(s) of operation 'tensor<?x8x32x32xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = intc.local_conv_block %x channels 8 activation nitro_leaky_relu<4> {padding = 0}
         : tensor<?x3x32x32xi8> -> tensor<?x8x32x32xi8>
  %1 = intc.flatten %0 : tensor<?x8x32x32xi8> -> tensor<?x8192xi8>
  %2 = intc.output_layer %1 : tensor<?x8192xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x1x28x28xi8>) {
  // expected-error @+2 {{'intc.flatten' op inferred type(s) 'tensor<?x784xi8>' are incompatible with return type(s) of operation 'tensor<?x748xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = intc.flatten %x : tensor<?x1x28x28xi8> -> tensor<?x748xi8>
  %1 = intc.output_layer %0 : tensor<?x748xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// Dropout produces int16.
intc.model @m(%x: tensor<?x4xi8>) {
  // expected-error @+1 {{'intc.dropout' op result #0 must be 2D/4D tensor of 16-bit signless integer values, but got 'tensor<?x4xi8>'}}
  %0 = intc.dropout %x rate 10 : tensor<?x4xi8> -> tensor<?x4xi8>
  %1 = intc.output_layer %0 : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// The 7 -> 3 floor of an inter-block pool (§11 Q16): a declared 4 is wrong.
intc.model @m(%x: tensor<?x2x7x7xi8>) {
  // expected-error @+2 {{'intc.maxpool2d' op inferred type(s) 'tensor<?x2x3x3xi8>' are incompatible with return type(s) of operation 'tensor<?x2x4x4xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = intc.maxpool2d %x kernel 2 : tensor<?x2x7x7xi8> -> tensor<?x2x4x4xi8>
  %1 = intc.flatten %0 : tensor<?x2x4x4xi8> -> tensor<?x32xi8>
  %2 = intc.output_layer %1 : tensor<?x32xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

// ODS: activations are integers, never floats.
intc.model @m(%x: tensor<?x4xi8>) {
  %f = arith.constant dense<0.0> : tensor<64x4xf32>
  // expected-error @+1 {{'intc.local_linear_block' op operand #0 must be 2D/4D tensor of 8-bit signless integer or 16-bit signless integer values, but got 'tensor<64x4xf32>'}}
  %0 = intc.local_linear_block %f features 4 activation nitro_leaky_relu<4>
         : tensor<64x4xf32> -> tensor<64x4xi8>
  %1 = intc.output_layer %0 : tensor<64x4xi8> -> tensor<64x10xi8>
  intc.yield %1 : tensor<64x10xi8>
}

// -----

//===----------------------------------------------------------------------===//
// intc.local_linear_block
//===----------------------------------------------------------------------===//

intc.model @m(%x: tensor<?x1x28x28xi8>) {
  // expected-error @+2 {{local_linear_block expects a 2-D (batch x features) input, got 'tensor<?x1x28x28xi8>'; insert intc.flatten before it}}
  // expected-error @+1 {{'intc.local_linear_block' op failed to infer returned types}}
  %0 = intc.local_linear_block %x features 100 activation nitro_leaky_relu<4>
         : tensor<?x1x28x28xi8> -> tensor<?x100xi8>
  %1 = intc.output_layer %0 : tensor<?x100xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x1x28x28xi8>) {
  // expected-error @+2 {{local_linear_block expects a 2-D (batch x features) input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = intc.local_linear_block %x features 100 activation nitro_leaky_relu<4>
         {derived = #intc.derived<F = 256, init = 64, dim_in_decoder = 100,
                                  head_F = 25600, head_init = 30>}
         : tensor<?x1x28x28xi8> -> tensor<?x100xi8>
  %1 = intc.output_layer %0 : tensor<?x100xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x4xi8>) {
  // expected-error @+1 {{'intc.local_linear_block' op lr_amp must be in [1, 2147483647], got 0}}
  %0 = intc.local_linear_block %x features 4 activation nitro_leaky_relu<4> {lr_amp = 0}
         : tensor<?x4xi8> -> tensor<?x4xi8>
  %1 = intc.output_layer %0 : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x4xi8>) {
  // expected-error @+1 {{'intc.local_linear_block' op decay_inv must be 0 (no decay) or positive, got -12000}}
  %0 = intc.local_linear_block %x features 4 activation nitro_leaky_relu<4> {decay_inv = -12000}
         : tensor<?x4xi8> -> tensor<?x4xi8>
  %1 = intc.output_layer %0 : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x4xi8>) {
  // expected-error @+1 {{'intc.local_linear_block' op head_lr_amp must be in [1, 2147483647], got -1}}
  %0 = intc.local_linear_block %x features 4 activation nitro_leaky_relu<4> {head_lr_amp = -1}
         : tensor<?x4xi8> -> tensor<?x4xi8>
  %1 = intc.output_layer %0 : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x4xi8>) {
  // expected-error @+1 {{'intc.local_linear_block' op head_decay_inv must be 0 (no decay) or positive, got -3000}}
  %0 = intc.local_linear_block %x features 4 activation nitro_leaky_relu<4> {head_decay_inv = -3000}
         : tensor<?x4xi8> -> tensor<?x4xi8>
  %1 = intc.output_layer %0 : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// ODS: features must be positive.
intc.model @m(%x: tensor<?x4xi8>) {
  // expected-error @+1 {{'intc.local_linear_block' op attribute 'out_features' failed to satisfy constraint: 64-bit integer attribute whose value is positive}}
  %0 = intc.local_linear_block %x features 0 activation nitro_leaky_relu<4>
         : tensor<?x4xi8> -> tensor<?x0xi8>
  %1 = intc.output_layer %0 : tensor<?x0xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// Derived constants are never typed by hand; a hand-written one must agree.
intc.model @m(%x: tensor<?x784xi8>) {
  // expected-error @+1 {{'intc.local_linear_block' op derived constants #intc.derived<F = 200704, init = 10, dim_in_decoder = 100, head_F = 25600, head_init = 64> disagree with the layer, which gives #intc.derived<F = 200704, init = 10, dim_in_decoder = 100, head_F = 25600, head_init = 30>; they are computed by intc-verify-model, not written by hand}}
  %0 = intc.local_linear_block %x features 100 activation nitro_leaky_relu<4>
         {derived = #intc.derived<F = 200704, init = 10, dim_in_decoder = 100,
                                  head_F = 25600, head_init = 64>}
         : tensor<?x784xi8> -> tensor<?x100xi8>
  %1 = intc.output_layer %0 : tensor<?x100xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// Derived constants on a layer whose input shape is not yet inferred.
intc.model @m(%x: tensor<?x784xi8>) {
  %0 = intc.local_linear_block %x features 100 activation nitro_leaky_relu<4>
         : tensor<?x784xi8> -> tensor<?x?xi8>
  // expected-error @+1 {{'intc.output_layer' op has derived constants but its input shape 'tensor<?x?xi8>' is not static}}
  %1 = intc.output_layer %0 {derived = #intc.derived<F = 25600, init = 30>}
         : tensor<?x?xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

//===----------------------------------------------------------------------===//
// intc.local_conv_block
//===----------------------------------------------------------------------===//

intc.model @m(%x: tensor<?x784xi8>) {
  // expected-error @+2 {{local_conv_block expects a 4-D (batch x C x H x W) input, got 'tensor<?x784xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = intc.local_conv_block %x channels 8 activation nitro_leaky_relu<4>
         : tensor<?x784xi8> -> tensor<?x8x28x28xi8>
  %1 = intc.flatten %0 : tensor<?x8x28x28xi8> -> tensor<?x6272xi8>
  %2 = intc.output_layer %1 : tensor<?x6272xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

// The rank is reported even when derived constants are present.
intc.model @m(%x: tensor<?x784xi8>) {
  // expected-error @+2 {{local_conv_block expects a 4-D (batch x C x H x W) input, got 'tensor<?x784xi8>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = intc.local_conv_block %x channels 8 activation nitro_leaky_relu<4>
         {derived = #intc.derived<F = 2304, init = 64, head_pool = [1, 1],
                                  head_pad = [0, 0], head_grid = [28, 28],
                                  dim_in_decoder = 6272, head_F = 1605632,
                                  head_init = 2>}
         : tensor<?x784xi8> -> tensor<?x8x28x28xi8>
  %1 = intc.flatten %0 : tensor<?x8x28x28xi8> -> tensor<?x6272xi8>
  %2 = intc.output_layer %1 : tensor<?x6272xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x1x28x28xi8>) {
  // expected-error @+2 {{only stride 1 is supported (as in the reference), got stride 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = intc.local_conv_block %x channels 8 activation nitro_leaky_relu<4> {stride = 2}
         : tensor<?x1x28x28xi8> -> tensor<?x8x14x14xi8>
  %1 = intc.flatten %0 : tensor<?x8x14x14xi8> -> tensor<?x1568xi8>
  %2 = intc.output_layer %1 : tensor<?x1568xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x1x2x2xi8>) {
  // expected-error @+2 {{a 5x5 kernel with padding 1 does not fit the 2x2 input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = intc.local_conv_block %x channels 8 activation nitro_leaky_relu<4> {kernel_size = 5}
         : tensor<?x1x2x2xi8> -> tensor<?x8x1x1xi8>
  %1 = intc.flatten %0 : tensor<?x8x1x1xi8> -> tensor<?x8xi8>
  %2 = intc.output_layer %1 : tensor<?x8xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x1x8x8xi8>) {
  // expected-error @+1 {{'intc.local_conv_block' op kernel_size must be positive, got 0}}
  %0 = intc.local_conv_block %x channels 8 activation nitro_leaky_relu<4> {kernel_size = 0}
         : tensor<?x1x8x8xi8> -> tensor<?x8x8x8xi8>
  %1 = intc.flatten %0 : tensor<?x8x8x8xi8> -> tensor<?x512xi8>
  %2 = intc.output_layer %1 : tensor<?x512xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x1x8x8xi8>) {
  // expected-error @+1 {{'intc.local_conv_block' op padding must be non-negative, got -1}}
  %0 = intc.local_conv_block %x channels 8 activation nitro_leaky_relu<4> {padding = -1}
         : tensor<?x1x8x8xi8> -> tensor<?x8x4x4xi8>
  %1 = intc.flatten %0 : tensor<?x8x4x4xi8> -> tensor<?x128xi8>
  %2 = intc.output_layer %1 : tensor<?x128xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x1x8x8xi8>) {
  // expected-error @+1 {{'intc.local_conv_block' op pred_decoder_dim must be positive, got 0}}
  %0 = intc.local_conv_block %x channels 8 activation nitro_leaky_relu<4> {pred_decoder_dim = 0}
         : tensor<?x1x8x8xi8> -> tensor<?x8x8x8xi8>
  %1 = intc.flatten %0 : tensor<?x8x8x8xi8> -> tensor<?x512xi8>
  %2 = intc.output_layer %1 : tensor<?x512xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x1x8x8xi8>) {
  // expected-error @+1 {{'intc.local_conv_block' op lr_amp must be in [1, 2147483647], got 0}}
  %0 = intc.local_conv_block %x channels 8 activation nitro_leaky_relu<4> {lr_amp = 0}
         : tensor<?x1x8x8xi8> -> tensor<?x8x8x8xi8>
  %1 = intc.flatten %0 : tensor<?x8x8x8xi8> -> tensor<?x512xi8>
  %2 = intc.output_layer %1 : tensor<?x512xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x1x8x8xi8>) {
  // expected-error @+1 {{'intc.local_conv_block' op head_decay_inv must be 0 (no decay) or positive, got -1}}
  %0 = intc.local_conv_block %x channels 8 activation nitro_leaky_relu<4> {head_decay_inv = -1}
         : tensor<?x1x8x8xi8> -> tensor<?x8x8x8xi8>
  %1 = intc.flatten %0 : tensor<?x8x8x8xi8> -> tensor<?x512xi8>
  %2 = intc.output_layer %1 : tensor<?x512xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

// A hand-written head pooling that differs from the §3.2 algorithm: for
// 128x32x32 and pred_decoder_dim 4096 the head pools (8, 4), not (4, 8).
intc.model @m(%x: tensor<?x3x32x32xi8>) {
  // expected-error @+1 {{disagree with the layer, which gives #intc.derived<F = 6912, init = 60, head_pool = [8, 4], head_pad = [0, 0], head_grid = [4, 8], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>}}
  %0 = intc.local_conv_block %x channels 128 activation nitro_leaky_relu<4>
         {derived = #intc.derived<F = 6912, init = 60, head_pool = [4, 8],
                                  head_pad = [0, 0], head_grid = [8, 4],
                                  dim_in_decoder = 4096, head_F = 1048576,
                                  head_init = 4>}
         : tensor<?x3x32x32xi8> -> tensor<?x128x32x32xi8>
  %1 = intc.flatten %0 : tensor<?x128x32x32xi8> -> tensor<?x131072xi8>
  %2 = intc.output_layer %1 : tensor<?x131072xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

//===----------------------------------------------------------------------===//
// intc.output_layer
//===----------------------------------------------------------------------===//

intc.model @m(%x: tensor<?x4xi8>) {
  // expected-error @+1 {{'intc.output_layer' op lr_amp must be in [1, 2147483647], got 0}}
  %0 = intc.output_layer %x {lr_amp = 0} : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x4xi8>) {
  // expected-error @+1 {{'intc.output_layer' op decay_inv must be 0 (no decay) or positive, got -3000}}
  %0 = intc.output_layer %x {decay_inv = -3000} : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x50xi8>) {
  // expected-error @+1 {{'intc.output_layer' op derived constants #intc.derived<F = 12800, init = 64> disagree with the layer, which gives #intc.derived<F = 12800, init = 43>}}
  %0 = intc.output_layer %x {derived = #intc.derived<F = 12800, init = 64>}
         : tensor<?x50xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}

// -----

// ODS: model-level layers live in a model.
func.func @f(%x: tensor<?x4xi8>) -> tensor<?x10xi8> {
  // expected-error @+1 {{'intc.output_layer' op expects parent op 'intc.model'}}
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  return %0 : tensor<?x10xi8>
}

// -----

//===----------------------------------------------------------------------===//
// intc.maxpool2d, intc.dropout
//===----------------------------------------------------------------------===//

intc.model @m(%x: tensor<?x2x8x8xi8>) {
  // expected-error @+2 {{pool stride 3 must equal its kernel 2 (windows do not overlap)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = intc.maxpool2d %x kernel 2 {stride = 3} : tensor<?x2x8x8xi8> -> tensor<?x2x4x4xi8>
  %1 = intc.flatten %0 : tensor<?x2x4x4xi8> -> tensor<?x32xi8>
  %2 = intc.output_layer %1 : tensor<?x32xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x2x3x3xi8>) {
  // expected-error @+2 {{a 4x4 pool does not fit the 3x3 feature map}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = intc.maxpool2d %x kernel 4 : tensor<?x2x3x3xi8> -> tensor<?x2x1x1xi8>
  %1 = intc.flatten %0 : tensor<?x2x1x1xi8> -> tensor<?x2xi8>
  %2 = intc.output_layer %1 : tensor<?x2xi8> -> tensor<?x10xi8>
  intc.yield %2 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x128xi8>) {
  // expected-error @+1 {{'intc.maxpool2d' op operand #0 must be 4D tensor of 8-bit signless integer or 16-bit signless integer values, but got 'tensor<?x128xi8>'}}
  %0 = intc.maxpool2d %x kernel 2 : tensor<?x128xi8> -> tensor<?x64xi8>
  %1 = intc.output_layer %0 : tensor<?x64xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x4xi8>) {
  // expected-error @+1 {{'intc.dropout' op dropout rate 12% is not in the rescale table: expected a multiple of 5 from 5 to 95}}
  %0 = intc.dropout %x rate 12 : tensor<?x4xi8> -> tensor<?x4xi16>
  %1 = intc.output_layer %0 : tensor<?x4xi16> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x4xi8>) {
  // expected-error @+1 {{'intc.dropout' op dropout rate 100% is not in the rescale table}}
  %0 = intc.dropout %x rate 100 : tensor<?x4xi8> -> tensor<?x4xi16>
  %1 = intc.output_layer %0 : tensor<?x4xi16> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// A rate is a percentage, not a fraction.
intc.model @m(%x: tensor<?x4xi8>) {
  // expected-error @+1 {{'intc.dropout' op dropout rate 0% is not in the rescale table}}
  %0 = intc.dropout %x rate 0 : tensor<?x4xi8> -> tensor<?x4xi16>
  %1 = intc.output_layer %0 : tensor<?x4xi16> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}
