// RUN: intc-opt %s | intc-opt | FileCheck %s
// RUN: intc-opt %s --mlir-print-op-generic | intc-opt | FileCheck %s
//
// Round trip of every step-level op, in custom and generic form.

// CHECK-LABEL: func.func @linear_block
func.func @linear_block(%x: tensor<64x784xi8>, %w: tensor<100x784xi32>,
                        %labels: tensor<64xi8>, %wh: tensor<10x100xi32>,
                        %lr_inv: i64)
    -> (tensor<100x784xi32>, tensor<10x100xi32>) {
  // CHECK: %[[Z:.*]] = intc.linear %{{.*}}, %{{.*}} : tensor<64x784xi8>, tensor<100x784xi32> -> tensor<64x100xi64>
  %z = intc.linear %x, %w : tensor<64x784xi8>, tensor<100x784xi32> -> tensor<64x100xi64>
  // CHECK: %[[S:.*]] = intc.rescale %[[Z]] factor 200704 : tensor<64x100xi64> -> tensor<64x100xi8>
  %s = intc.rescale %z factor 200704 : tensor<64x100xi64> -> tensor<64x100xi8>
  // CHECK: %[[H:.*]] = intc.activation %[[S]] nitro_leaky_relu<4> : tensor<64x100xi8>
  %h = intc.activation %s nitro_leaky_relu<4> : tensor<64x100xi8>
  // CHECK: %[[ZH:.*]] = intc.linear %[[H]], %{{.*}} : tensor<64x100xi8>, tensor<10x100xi32> -> tensor<64x10xi32>
  %zh = intc.linear %h, %wh : tensor<64x100xi8>, tensor<10x100xi32> -> tensor<64x10xi32>
  // CHECK: %[[YH:.*]] = intc.rescale %[[ZH]] factor 25600 : tensor<64x10xi32> -> tensor<64x10xi8>
  %yh = intc.rescale %zh factor 25600 : tensor<64x10xi32> -> tensor<64x10xi8>
  // CHECK: %[[Y:.*]] = intc.one_hot %{{.*}} value 32 : tensor<64xi8> -> tensor<64x10xi8>
  %y = intc.one_hot %labels value 32 : tensor<64xi8> -> tensor<64x10xi8>
  // CHECK: %[[E:.*]] = intc.l2_grad %[[YH]], %[[Y]] wrap8 : tensor<64x10xi8>, tensor<64x10xi8> -> tensor<64x10xi32>
  %e = intc.l2_grad %yh, %y wrap8 : tensor<64x10xi8>, tensor<64x10xi8> -> tensor<64x10xi32>
  // CHECK: intc.l2_grad %[[YH]], %[[Y]] : tensor<64x10xi8>, tensor<64x10xi8> -> tensor<64x10xi16>
  %e16 = intc.l2_grad %yh, %y : tensor<64x10xi8>, tensor<64x10xi8> -> tensor<64x10xi16>
  // CHECK: %[[DH:.*]] = intc.linear_input_grad %[[E]], %{{.*}} : tensor<64x10xi32>, tensor<10x100xi32> -> tensor<64x100xi32>
  %dh = intc.linear_input_grad %e, %wh : tensor<64x10xi32>, tensor<10x100xi32> -> tensor<64x100xi32>
  // CHECK: %[[GH:.*]] = intc.linear_weight_grad %[[E]], %[[H]] : tensor<64x10xi32>, tensor<64x100xi8> -> tensor<10x100xi64>
  %gh = intc.linear_weight_grad %e, %h : tensor<64x10xi32>, tensor<64x100xi8> -> tensor<10x100xi64>
  // CHECK: %[[D:.*]] = intc.activation_grad %[[S]], %[[DH]] nitro_leaky_relu<4> : tensor<64x100xi8>, tensor<64x100xi32>
  %d = intc.activation_grad %s, %dh nitro_leaky_relu<4> : tensor<64x100xi8>, tensor<64x100xi32>
  // CHECK: %[[G:.*]] = intc.linear_weight_grad %[[D]], %{{.*}} : tensor<64x100xi32>, tensor<64x784xi8> -> tensor<100x784xi32>
  %g = intc.linear_weight_grad %d, %x : tensor<64x100xi32>, tensor<64x784xi8> -> tensor<100x784xi32>
  // CHECK: %[[W2:.*]] = intc.sgd_update %{{.*}}, %[[G]], %{{.*}} lr_amp 640 decay_inv 12000 : tensor<100x784xi32>, tensor<100x784xi32>
  %w2 = intc.sgd_update %w, %g, %lr_inv lr_amp 640 decay_inv 12000 : tensor<100x784xi32>, tensor<100x784xi32>
  // CHECK: intc.sgd_overflow_count %{{.*}}, %[[GH]], %{{.*}} lr_amp 1 decay_inv 0 : tensor<10x100xi32>, tensor<10x100xi64>
  %n = intc.sgd_overflow_count %wh, %gh, %lr_inv lr_amp 1 decay_inv 0 : tensor<10x100xi32>, tensor<10x100xi64>
  // CHECK: %[[WH2:.*]] = intc.sgd_update %{{.*}}, %[[GH]], %{{.*}} lr_amp 1 decay_inv 0 : tensor<10x100xi32>, tensor<10x100xi64>
  %wh2 = intc.sgd_update %wh, %gh, %lr_inv lr_amp 1 decay_inv 0 : tensor<10x100xi32>, tensor<10x100xi64>
  // CHECK: return %[[W2]], %[[WH2]]
  return %w2, %wh2 : tensor<100x784xi32>, tensor<10x100xi32>
}

// CHECK-LABEL: func.func @conv_block
func.func @conv_block(%x: tensor<64x3x32x32xi8>, %w: tensor<128x3x3x3xi32>,
                      %d: tensor<64x128x4x8xi32>)
    -> (tensor<128x3x3x3xi64>, tensor<64x4096xi8>) {
  // CHECK: %[[Z:.*]] = intc.conv2d %{{.*}}, %{{.*}} padding 1 : tensor<64x3x32x32xi8>, tensor<128x3x3x3xi32> -> tensor<64x128x32x32xi64>
  %z = intc.conv2d %x, %w padding 1 : tensor<64x3x32x32xi8>, tensor<128x3x3x3xi32> -> tensor<64x128x32x32xi64>
  // CHECK: %[[S:.*]] = intc.rescale %[[Z]] factor 6912 : tensor<64x128x32x32xi64> -> tensor<64x128x32x32xi8>
  %s = intc.rescale %z factor 6912 : tensor<64x128x32x32xi64> -> tensor<64x128x32x32xi8>
  // CHECK: %[[H:.*]] = intc.activation %[[S]] nitro_leaky_relu<4> : tensor<64x128x32x32xi8>
  %h = intc.activation %s nitro_leaky_relu<4> : tensor<64x128x32x32xi8>
  // CHECK: %[[V:.*]], %[[I:.*]] = intc.max_pool %[[H]] kernel [8, 4] padding [0, 0] pad_value 0 : tensor<64x128x32x32xi8> -> tensor<64x128x4x8xi8>, tensor<64x128x4x8xi32>
  %v, %i = intc.max_pool %h kernel [8, 4] padding [0, 0] pad_value 0
             : tensor<64x128x32x32xi8> -> tensor<64x128x4x8xi8>, tensor<64x128x4x8xi32>
  // CHECK: intc.max_pool %[[H]] kernel [8, 8] padding [4, 4] pad_value -128 : tensor<64x128x32x32xi8> -> tensor<64x128x5x5xi8>, tensor<64x128x5x5xi32>
  %v2, %i2 = intc.max_pool %h kernel [8, 8] padding [4, 4] pad_value -128
               : tensor<64x128x32x32xi8> -> tensor<64x128x5x5xi8>, tensor<64x128x5x5xi32>
  // CHECK: %[[F:.*]] = intc.flatten %[[V]] : tensor<64x128x4x8xi8> -> tensor<64x4096xi8>
  %f = intc.flatten %v : tensor<64x128x4x8xi8> -> tensor<64x4096xi8>
  // CHECK: %[[DH:.*]] = intc.max_pool_grad %{{.*}}, %[[I]] kernel [8, 4] padding [0, 0] : tensor<64x128x4x8xi32>, tensor<64x128x4x8xi32> -> tensor<64x128x32x32xi32>
  %dh = intc.max_pool_grad %d, %i kernel [8, 4] padding [0, 0]
          : tensor<64x128x4x8xi32>, tensor<64x128x4x8xi32> -> tensor<64x128x32x32xi32>
  // CHECK: %[[DZ:.*]] = intc.activation_grad %[[S]], %[[DH]] nitro_leaky_relu<4> : tensor<64x128x32x32xi8>, tensor<64x128x32x32xi32>
  %dz = intc.activation_grad %s, %dh nitro_leaky_relu<4> : tensor<64x128x32x32xi8>, tensor<64x128x32x32xi32>
  // CHECK: %[[G:.*]] = intc.conv2d_weight_grad %[[DZ]], %{{.*}} padding 1 : tensor<64x128x32x32xi32>, tensor<64x3x32x32xi8> -> tensor<128x3x3x3xi64>
  %g = intc.conv2d_weight_grad %dz, %x padding 1 : tensor<64x128x32x32xi32>, tensor<64x3x32x32xi8> -> tensor<128x3x3x3xi64>
  // CHECK: return %[[G]], %[[F]]
  return %g, %f : tensor<128x3x3x3xi64>, tensor<64x4096xi8>
}

// Dynamic batch dimensions are accepted by every shape check.
// CHECK-LABEL: func.func @dynamic
func.func @dynamic(%x: tensor<?x3x8x8xi16>, %w: tensor<4x3x3x3xi32>,
                   %d: tensor<?x4x8x8xi64>, %e: tensor<?x10xi16>,
                   %wl: tensor<10x32xi32>, %idx: tensor<?x4x8x8xi32>) {
  // CHECK: intc.conv2d %{{.*}}, %{{.*}} padding 0 : tensor<?x3x8x8xi16>, tensor<4x3x3x3xi32> -> tensor<?x4x6x6xi32>
  %z = intc.conv2d %x, %w padding 0 : tensor<?x3x8x8xi16>, tensor<4x3x3x3xi32> -> tensor<?x4x6x6xi32>
  // CHECK: intc.conv2d_weight_grad %{{.*}}, %{{.*}} padding 1 : tensor<?x4x8x8xi64>, tensor<?x3x8x8xi16> -> tensor<4x3x3x3xi32>
  %g = intc.conv2d_weight_grad %d, %x padding 1 : tensor<?x4x8x8xi64>, tensor<?x3x8x8xi16> -> tensor<4x3x3x3xi32>
  // CHECK: intc.max_pool %{{.*}} kernel [2, 2] padding [1, 0] pad_value 0 : tensor<?x3x8x8xi16> -> tensor<?x3x5x4xi16>, tensor<?x3x5x4xi32>
  %v, %i = intc.max_pool %x kernel [2, 2] padding [1, 0] pad_value 0
             : tensor<?x3x8x8xi16> -> tensor<?x3x5x4xi16>, tensor<?x3x5x4xi32>
  // CHECK: intc.max_pool_grad %{{.*}}, %{{.*}} kernel [2, 2] padding [1, 0] : tensor<?x4x8x8xi64>, tensor<?x4x8x8xi32> -> tensor<?x4x14x16xi64>
  %dp = intc.max_pool_grad %d, %idx kernel [2, 2] padding [1, 0]
          : tensor<?x4x8x8xi64>, tensor<?x4x8x8xi32> -> tensor<?x4x14x16xi64>
  // CHECK: intc.linear_input_grad %{{.*}}, %{{.*}} : tensor<?x10xi16>, tensor<10x32xi32> -> tensor<?x32xi64>
  %di = intc.linear_input_grad %e, %wl : tensor<?x10xi16>, tensor<10x32xi32> -> tensor<?x32xi64>
  return
}

// CHECK-LABEL: func.func @misc
func.func @misc(%x: tensor<64x3000xi8>, %m: tensor<64x512x4x4xi8>,
                %seed: i64, %step: i64, %l32: tensor<64xi32>,
                %r3: tensor<64x4x64xi32>) {
  // CHECK: intc.dropout_apply %{{.*}}, %{{.*}}, %{{.*}} rate 10 stream 0 : tensor<64x3000xi8> -> tensor<64x3000xi16>
  %d = intc.dropout_apply %x, %seed, %step rate 10 stream 0 : tensor<64x3000xi8> -> tensor<64x3000xi16>
  // CHECK: intc.dropout_apply %{{.*}}, %{{.*}}, %{{.*}} rate 95 stream 7 : tensor<64x512x4x4xi8> -> tensor<64x512x4x4xi16>
  %d4 = intc.dropout_apply %m, %seed, %step rate 95 stream 7 : tensor<64x512x4x4xi8> -> tensor<64x512x4x4xi16>
  // A shard of a global batch: samples [%step, %step + 64) of %seed (any
  // i64 values).
  // CHECK: intc.dropout_apply %{{.*}}, %{{.*}}, %{{.*}} shard %{{.*}} of %{{.*}} rate 10 stream 1 : tensor<64x3000xi8> -> tensor<64x3000xi16>
  %ds = intc.dropout_apply %x, %seed, %step shard %step of %seed rate 10 stream 1 : tensor<64x3000xi8> -> tensor<64x3000xi16>
  // CHECK: intc.flatten %{{.*}} : tensor<64x512x4x4xi16> -> tensor<64x8192xi16>
  %f16 = intc.flatten %d4 : tensor<64x512x4x4xi16> -> tensor<64x8192xi16>
  // CHECK: intc.widen %{{.*}} : tensor<64x3000xi8> -> tensor<64x3000xi16>
  %wd = intc.widen %x : tensor<64x3000xi8> -> tensor<64x3000xi16>
  // CHECK: intc.flatten %{{.*}} : tensor<64x4x64xi32> -> tensor<64x256xi32>
  %f3 = intc.flatten %r3 : tensor<64x4x64xi32> -> tensor<64x256xi32>
  // CHECK: intc.init_uniform %{{.*}} bound 10 tensor_index 0 : tensor<100x784xi32>
  %w = intc.init_uniform %seed bound 10 tensor_index 0 : tensor<100x784xi32>
  // CHECK: intc.init_uniform %{{.*}} bound 64 tensor_index 3 : tensor<128x3x3x3xi32>
  %wc = intc.init_uniform %seed bound 64 tensor_index 3 : tensor<128x3x3x3xi32>
  // CHECK: intc.one_hot %{{.*}} value -1 : tensor<64xi32> -> tensor<64x2xi8>
  %y = intc.one_hot %l32 value -1 : tensor<64xi32> -> tensor<64x2xi8>
  return
}

// Every activation kind, forward and backward.
// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<64x100xi8>, %d: tensor<64x100xi64>) {
  // CHECK-NEXT: intc.activation %{{.*}} nitro_leaky_relu<20> : tensor<64x100xi8>
  // CHECK-NEXT: intc.activation %{{.*}} pocket_leaky_relu<3> : tensor<64x100xi8>
  // CHECK-NEXT: intc.activation %{{.*}} pocket_relu : tensor<64x100xi8>
  // CHECK-NEXT: intc.activation %{{.*}} pocket_tanh : tensor<64x100xi8>
  // CHECK-NEXT: intc.activation %{{.*}} bipolar_leaky_relu<16> : tensor<64x100xi8>
  // CHECK-NEXT: intc.activation %{{.*}} bipolar_pocket_relu : tensor<64x100xi8>
  %a0 = intc.activation %x nitro_leaky_relu<20> : tensor<64x100xi8>
  %a1 = intc.activation %x pocket_leaky_relu<3> : tensor<64x100xi8>
  %a2 = intc.activation %x pocket_relu : tensor<64x100xi8>
  %a3 = intc.activation %x pocket_tanh : tensor<64x100xi8>
  %a4 = intc.activation %x bipolar_leaky_relu<16> : tensor<64x100xi8>
  %a5 = intc.activation %x bipolar_pocket_relu : tensor<64x100xi8>
  // CHECK-NEXT: intc.activation_grad %{{.*}}, %{{.*}} nitro_leaky_relu<5> : tensor<64x100xi8>, tensor<64x100xi64>
  // CHECK-NEXT: intc.activation_grad %{{.*}}, %{{.*}} pocket_leaky_relu<7> : tensor<64x100xi8>, tensor<64x100xi64>
  // CHECK-NEXT: intc.activation_grad %{{.*}}, %{{.*}} pocket_relu : tensor<64x100xi8>, tensor<64x100xi64>
  // CHECK-NEXT: intc.activation_grad %{{.*}}, %{{.*}} pocket_tanh : tensor<64x100xi8>, tensor<64x100xi64>
  // CHECK-NEXT: intc.activation_grad %{{.*}}, %{{.*}} bipolar_leaky_relu<10> : tensor<64x100xi8>, tensor<64x100xi64>
  // CHECK-NEXT: intc.activation_grad %{{.*}}, %{{.*}} bipolar_pocket_relu : tensor<64x100xi8>, tensor<64x100xi64>
  %g0 = intc.activation_grad %x, %d nitro_leaky_relu<5> : tensor<64x100xi8>, tensor<64x100xi64>
  %g1 = intc.activation_grad %x, %d pocket_leaky_relu<7> : tensor<64x100xi8>, tensor<64x100xi64>
  %g2 = intc.activation_grad %x, %d pocket_relu : tensor<64x100xi8>, tensor<64x100xi64>
  %g3 = intc.activation_grad %x, %d pocket_tanh : tensor<64x100xi8>, tensor<64x100xi64>
  %g4 = intc.activation_grad %x, %d bipolar_leaky_relu<10> : tensor<64x100xi8>, tensor<64x100xi64>
  %g5 = intc.activation_grad %x, %d bipolar_pocket_relu : tensor<64x100xi8>, tensor<64x100xi64>
  return
}
