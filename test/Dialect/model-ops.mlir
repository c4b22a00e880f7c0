// RUN: intc-opt %s | intc-opt | FileCheck %s
// RUN: intc-opt %s --mlir-print-op-generic | intc-opt | FileCheck %s
//
// Round trip of every model-level op (model, yield, local_linear_block,
// local_conv_block, output_layer, maxpool2d, dropout, flatten), in custom and
// generic form. Hyper-parameters equal to their defaults are not printed.

// An MLP with every hyper-parameter of the model at its default: none is
// printed.
// CHECK-LABEL: intc.model @mlp(%{{.*}}: tensor<?x1x28x28xi8>) {
// CHECK-NEXT:    %[[F:.*]] = intc.flatten %{{.*}} : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
// CHECK-NEXT:    %[[B:.*]] = intc.local_linear_block %[[F]] features 100 activation nitro_leaky_relu<4> {decay_inv = 12000 : i64, head_decay_inv = 3000 : i64} : tensor<?x784xi8> -> tensor<?x100xi8>
// CHECK-NEXT:    %[[D:.*]] = intc.dropout %[[B]] rate 10 : tensor<?x100xi8> -> tensor<?x100xi16>
// CHECK-NEXT:    %[[O:.*]] = intc.output_layer %[[D]] {decay_inv = 3000 : i64} : tensor<?x100xi16> -> tensor<?x10xi8>
// CHECK-NEXT:    intc.yield %[[O]] : tensor<?x10xi8>
// CHECK-NEXT:  }
intc.model @mlp(%x: tensor<?x1x28x28xi8>)
    attributes {num_classes = 10, one_hot = 32, lr_inv = 512, batch = 64,
                max_epochs = 150, augment_crop = 0, augment_flip = false,
                loss_grad_wrap8 = true, double_classifier_update = true,
                adjust_conv_lr_amp = false} {
  %0 = intc.flatten %x : tensor<?x1x28x28xi8> -> tensor<?x784xi8>
  %1 = intc.local_linear_block %0 features 100 activation nitro_leaky_relu<4>
         {lr_amp = 640, decay_inv = 12000, head_lr_amp = 1,
          head_decay_inv = 3000, init = #intc.init<kaiming_leaky_relu>}
         : tensor<?x784xi8> -> tensor<?x100xi8>
  %2 = intc.dropout %1 rate 10 : tensor<?x100xi8> -> tensor<?x100xi16>
  %3 = intc.output_layer %2 {decay_inv = 3000, lr_amp = 1}
         : tensor<?x100xi16> -> tensor<?x10xi8>
  intc.yield %3 : tensor<?x10xi8>
}

// Every model hyper-parameter away from its default, a flat input, a static
// batch and hand-written derived constants that agree with the layer.
// CHECK-LABEL: intc.model @hyper(%{{.*}}: tensor<32x784xi8>)
// CHECK-SAME:    attributes {adjust_conv_lr_amp = true, batch = 32 : i64, dataset = "mnist", double_classifier_update = false, early_stop_from = 4 : i64, early_stop_patience = 7 : i64, loss_grad_wrap8 = false, lr_inv = 256 : i64, max_epochs = 20 : i64, num_classes = 5 : i64, one_hot = 16 : i64, plateau_factor = 2 : i64, plateau_from = 3 : i64, plateau_patience = 5 : i64} {
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 8 activation pocket_tanh
// CHECK-SAME:      {decay_inv = 100 : i64, derived = #intc.derived<F = 200704, init = 18, dim_in_decoder = 8, head_F = 2048, head_init = 64>, head_decay_inv = 50 : i64, head_init = #intc.init<std>, head_lr_amp = 2 : i64, init = #intc.init<xavier>, lr_amp = 320 : i64}
// CHECK-SAME:      : tensor<32x784xi8> -> tensor<32x8xi8>
// CHECK-NEXT:    intc.output_layer %{{.*}} {decay_inv = 9 : i64, derived = #intc.derived<F = 2048, init = 0>, init = #intc.init<zeros>, lr_amp = 3 : i64}
// CHECK-SAME:      : tensor<32x8xi8> -> tensor<32x5xi8>
// CHECK-NEXT:    intc.yield %{{.*}} : tensor<32x5xi8>
intc.model @hyper(%x: tensor<32x784xi8>)
    attributes {dataset = "mnist", num_classes = 5, one_hot = 16, lr_inv = 256,
                batch = 32, max_epochs = 20, plateau_factor = 2,
                plateau_patience = 5, plateau_from = 3, early_stop_patience = 7,
                early_stop_from = 4, loss_grad_wrap8 = false,
                double_classifier_update = false, adjust_conv_lr_amp = true} {
  %0 = intc.local_linear_block %x features 8 activation pocket_tanh
         {init = #intc.init<xavier>, lr_amp = 320, decay_inv = 100,
          head_init = #intc.init<std>, head_lr_amp = 2, head_decay_inv = 50,
          derived = #intc.derived<F = 200704, init = 18, dim_in_decoder = 8,
                                  head_F = 2048, head_init = 64>}
         : tensor<32x784xi8> -> tensor<32x8xi8>
  %1 = intc.output_layer %0
         {init = #intc.init<zeros>, lr_amp = 3, decay_inv = 9,
          derived = #intc.derived<init = 0, F = 2048>}
         : tensor<32x8xi8> -> tensor<32x5xi8>
  intc.yield %1 : tensor<32x5xi8>
}

// A CNN: conv blocks with default and explicit kernel/padding/stride/
// pred_decoder_dim, an inter-block pool with and without an explicit stride,
// dropout on a 4-D map, flatten of int16 values and augmentation.
// CHECK-LABEL: intc.model @cnn(%{{.*}}: tensor<?x3x32x32xi8>)
// CHECK-SAME:    attributes {augment_crop = 4 : i64, augment_flip = true, dataset = "cifar10"} {
// CHECK-NEXT:    %[[C0:.*]] = intc.local_conv_block %{{.*}} channels 16 activation nitro_leaky_relu<4> {decay_inv = 25000 : i64, head_decay_inv = 3000 : i64} : tensor<?x3x32x32xi8> -> tensor<?x16x32x32xi8>
// CHECK-NEXT:    %[[P0:.*]] = intc.maxpool2d %[[C0]] kernel 2 : tensor<?x16x32x32xi8> -> tensor<?x16x16x16xi8>
// CHECK-NEXT:    %[[C1:.*]] = intc.local_conv_block %[[P0]] channels 8 activation pocket_leaky_relu<8>
// CHECK-SAME:      {head_init = #intc.init<fixed>, head_lr_amp = 4 : i64, init = #intc.init<kaiming_relu>, kernel_size = 5 : i64, lr_amp = 100 : i64, padding = 0 : i64, pred_decoder_dim = 128 : i64}
// CHECK-SAME:      : tensor<?x16x16x16xi8> -> tensor<?x8x12x12xi8>
// CHECK-NEXT:    %[[D:.*]] = intc.dropout %[[C1]] rate 25 : tensor<?x8x12x12xi8> -> tensor<?x8x12x12xi16>
// CHECK-NEXT:    %[[P1:.*]] = intc.maxpool2d %[[D]] kernel 3 {stride = 3 : i64} : tensor<?x8x12x12xi16> -> tensor<?x8x4x4xi16>
// CHECK-NEXT:    %[[F:.*]] = intc.flatten %[[P1]] : tensor<?x8x4x4xi16> -> tensor<?x128xi16>
// CHECK-NEXT:    %[[L:.*]] = intc.local_linear_block %[[F]] features 32 activation bipolar_pocket_relu {head_init = #intc.init<ones>} : tensor<?x128xi16> -> tensor<?x32xi8>
// CHECK-NEXT:    %[[O:.*]] = intc.output_layer %[[L]] : tensor<?x32xi8> -> tensor<?x10xi8>
// CHECK-NEXT:    intc.yield %[[O]] : tensor<?x10xi8>
intc.model @cnn(%x: tensor<?x3x32x32xi8>)
    attributes {dataset = "cifar10", augment_crop = 4, augment_flip = true} {
  %0 = intc.local_conv_block %x channels 16 activation nitro_leaky_relu<4>
         {kernel_size = 3, padding = 1, stride = 1, pred_decoder_dim = 4096,
          decay_inv = 25000, head_decay_inv = 3000}
         : tensor<?x3x32x32xi8> -> tensor<?x16x32x32xi8>
  %1 = intc.maxpool2d %0 kernel 2 : tensor<?x16x32x32xi8> -> tensor<?x16x16x16xi8>
  %2 = intc.local_conv_block %1 channels 8 activation pocket_leaky_relu<8>
         {kernel_size = 5, padding = 0, pred_decoder_dim = 128, lr_amp = 100,
          init = #intc.init<kaiming_relu>, head_init = #intc.init<fixed>,
          head_lr_amp = 4}
         : tensor<?x16x16x16xi8> -> tensor<?x8x12x12xi8>
  %3 = intc.dropout %2 rate 25 : tensor<?x8x12x12xi8> -> tensor<?x8x12x12xi16>
  %4 = intc.maxpool2d %3 kernel 3 {stride = 3} : tensor<?x8x12x12xi16> -> tensor<?x8x4x4xi16>
  %5 = intc.flatten %4 : tensor<?x8x4x4xi16> -> tensor<?x128xi16>
  %6 = intc.local_linear_block %5 features 32 activation bipolar_pocket_relu
         {head_init = #intc.init<ones>}
         : tensor<?x128xi16> -> tensor<?x32xi8>
  %7 = intc.output_layer %6 : tensor<?x32xi8> -> tensor<?x10xi8>
  intc.yield %7 : tensor<?x10xi8>
}

// Declared result types may leave dimensions dynamic; intc-verify-model
// refines them (test/Passes/intc-verify-model.mlir).
// CHECK-LABEL: intc.model @dynamic(%{{.*}}: tensor<?x2x8x8xi8>) {
// CHECK-NEXT:    intc.local_conv_block %{{.*}} channels 4 activation pocket_relu : tensor<?x2x8x8xi8> -> tensor<?x?x?x?xi8>
// CHECK-NEXT:    intc.maxpool2d %{{.*}} kernel 2 : tensor<?x?x?x?xi8> -> tensor<?x?x?x?xi8>
// CHECK-NEXT:    intc.flatten %{{.*}} : tensor<?x?x?x?xi8> -> tensor<?x?xi8>
// CHECK-NEXT:    intc.local_linear_block %{{.*}} features 6 activation bipolar_leaky_relu<3> : tensor<?x?xi8> -> tensor<?x?xi8>
// CHECK-NEXT:    intc.output_layer %{{.*}} : tensor<?x?xi8> -> tensor<?x10xi8>
// CHECK-NEXT:    intc.yield
intc.model @dynamic(%x: tensor<?x2x8x8xi8>) {
  %0 = intc.local_conv_block %x channels 4 activation pocket_relu
         : tensor<?x2x8x8xi8> -> tensor<?x?x?x?xi8>
  %1 = intc.maxpool2d %0 kernel 2 : tensor<?x?x?x?xi8> -> tensor<?x?x?x?xi8>
  %2 = intc.flatten %1 : tensor<?x?x?x?xi8> -> tensor<?x?xi8>
  %3 = intc.local_linear_block %2 features 6 activation bipolar_leaky_relu<3>
         : tensor<?x?xi8> -> tensor<?x?xi8>
  %4 = intc.output_layer %3 : tensor<?x?xi8> -> tensor<?x10xi8>
  intc.yield %4 : tensor<?x10xi8>
}

// A pipeline stage (intc-extract-stage): an int16 activation in, the
// activation it hands on out, no output layer.
// CHECK-LABEL: intc.model @stage(%{{.*}}: tensor<?x100xi16>)
// CHECK-SAME:    attributes {stage = #intc.stage<index = 1, count = 3, first_block = 1, first_tensor = 2, first_dropout = 1, cnn = true>} {
// CHECK-NEXT:    %[[B:.*]] = intc.local_linear_block
// CHECK-NEXT:    %[[D:.*]] = intc.dropout %[[B]] rate 10 : tensor<?x50xi8> -> tensor<?x50xi16>
// CHECK-NEXT:    intc.yield %[[D]] : tensor<?x50xi16>
intc.model @stage(%x: tensor<?x100xi16>) attributes {
    stage = #intc.stage<index = 1, count = 3, first_block = 1, first_tensor = 2,
                        first_dropout = 1, cnn = true>} {
  %0 = intc.local_linear_block %x features 50 activation nitro_leaky_relu<4>
         : tensor<?x100xi16> -> tensor<?x50xi8>
  %1 = intc.dropout %0 rate 10 : tensor<?x50xi8> -> tensor<?x50xi16>
  intc.yield %1 : tensor<?x50xi16>
}
