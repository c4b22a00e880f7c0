// RUN: intc-opt %s -split-input-file -verify-diagnostics
//
// Invalid #intc attributes, in their full form and in op syntax.

// expected-error @+1 {{unsupported negative slope inverse 6 for nitro_leaky_relu: expected one of 3, 4, 5, 7, 8, 10, 15, 16, 20}}
func.func private @f() attributes {a = #intc.activation<nitro_leaky_relu<6>>}

// -----

// expected-error @+1 {{unsupported negative slope inverse 0 for bipolar_leaky_relu}}
func.func private @f() attributes {a = #intc.activation<bipolar_leaky_relu<0>>}

// -----

// expected-error @+1 {{pocket_relu takes no slope parameter}}
func.func private @f() attributes {a = #intc.activation<pocket_relu<4>>}

// -----

// expected-error @+1 {{pocket_tanh takes no slope parameter}}
func.func private @f() attributes {a = #intc.activation<pocket_tanh<2>>}

// -----

// expected-error @+1 {{nitro_leaky_relu needs a negative slope inverse, e.g. nitro_leaky_relu<4>}}
func.func private @f() attributes {a = #intc.activation<nitro_leaky_relu>}

// -----

// expected-error @+1 {{unknown activation 'relu': expected nitro_leaky_relu, pocket_leaky_relu, pocket_relu, pocket_tanh, bipolar_leaky_relu or bipolar_pocket_relu}}
func.func private @f() attributes {a = #intc.activation<relu>}

// -----

// expected-error @+1 {{unknown derived constant 'fan_in'}}
func.func private @f() attributes {d = #intc.derived<F = 6912, fan_in = 27>}

// -----

// ODS enum parser.
// expected-error @+2 {{expected ::mlir::intc::InitScheme to be one of: kaiming_leaky_relu, kaiming_relu, xavier, std, fixed, zeros, ones}}
// expected-error @+1 {{failed to parse Intc_InitSchemeAttr parameter 'value'}}
func.func private @f() attributes {i = #intc.init<he_normal>}

// -----

// The same checks in op syntax, where the #intc.activation prefix is omitted.
func.func @f(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{unsupported negative slope inverse 2 for pocket_leaky_relu}}
  %0 = intc.activation %x pocket_leaky_relu<2> : tensor<4x8xi8>
  return
}

// -----

func.func @f(%x: tensor<4x8xi8>) {
  // expected-error @+1 {{unknown activation 'leaky_relu'}}
  %0 = intc.activation %x leaky_relu<4> : tensor<4x8xi8>
  return
}

// -----

intc.model @m(%x: tensor<?x784xi8>) {
  // expected-error @+1 {{bipolar_pocket_relu takes no slope parameter}}
  %0 = intc.local_linear_block %x features 10 activation bipolar_pocket_relu<4>
         : tensor<?x784xi8> -> tensor<?x10xi8>
  %1 = intc.output_layer %0 : tensor<?x10xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

intc.model @m(%x: tensor<?x784xi8>) {
  // expected-error @+1 {{pocket_leaky_relu needs a negative slope inverse}}
  %0 = intc.local_linear_block %x features 10 activation pocket_leaky_relu
         : tensor<?x784xi8> -> tensor<?x10xi8>
  %1 = intc.output_layer %0 : tensor<?x10xi8> -> tensor<?x10xi8>
  intc.yield %1 : tensor<?x10xi8>
}

// -----

// expected-error @+1 {{stage index 2 must be in [0, count = 2)}}
func.func private @f() attributes {s = #intc.stage<index = 2, count = 2, first_block = 1, first_tensor = 2, first_dropout = 0, cnn = false>}

// -----

// expected-error @+1 {{stage 0 starts at the model's first block, tensor and dropout layer}}
func.func private @f() attributes {s = #intc.stage<index = 0, count = 2, first_block = 1, first_tensor = 2, first_dropout = 0, cnn = false>}
