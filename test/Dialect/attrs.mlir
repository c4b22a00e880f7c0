// RUN: intc-opt %s | intc-opt | FileCheck %s
// RUN: intc-opt %s --mlir-print-op-generic | intc-opt | FileCheck %s
//
// Round trip of the dialect attributes in their full form: #intc.activation
// for every kind, #intc.init for every scheme, #intc.derived for a linear
// block, a conv block and the output layer.

// CHECK-LABEL: func.func private @activations()
// CHECK-SAME:    a0 = #intc.activation<nitro_leaky_relu<4>>
// CHECK-SAME:    a1 = #intc.activation<pocket_leaky_relu<3>>
// CHECK-SAME:    a2 = #intc.activation<pocket_relu>
// CHECK-SAME:    a3 = #intc.activation<pocket_tanh>
// CHECK-SAME:    a4 = #intc.activation<bipolar_leaky_relu<20>>
// CHECK-SAME:    a5 = #intc.activation<bipolar_pocket_relu>
func.func private @activations() attributes {
  a0 = #intc.activation<nitro_leaky_relu<4>>,
  a1 = #intc.activation<pocket_leaky_relu<3>>,
  a2 = #intc.activation<pocket_relu>,
  a3 = #intc.activation<pocket_tanh>,
  a4 = #intc.activation<bipolar_leaky_relu<20>>,
  a5 = #intc.activation<bipolar_pocket_relu>
}

// CHECK-LABEL: func.func private @slopes()
// CHECK-SAME:    s10 = #intc.activation<nitro_leaky_relu<10>>
// CHECK-SAME:    s15 = #intc.activation<nitro_leaky_relu<15>>
// CHECK-SAME:    s16 = #intc.activation<nitro_leaky_relu<16>>
// CHECK-SAME:    s5 = #intc.activation<nitro_leaky_relu<5>>
// CHECK-SAME:    s7 = #intc.activation<nitro_leaky_relu<7>>
// CHECK-SAME:    s8 = #intc.activation<nitro_leaky_relu<8>>
func.func private @slopes() attributes {
  s5 = #intc.activation<nitro_leaky_relu<5>>,
  s7 = #intc.activation<nitro_leaky_relu<7>>,
  s8 = #intc.activation<nitro_leaky_relu<8>>,
  s10 = #intc.activation<nitro_leaky_relu<10>>,
  s15 = #intc.activation<nitro_leaky_relu<15>>,
  s16 = #intc.activation<nitro_leaky_relu<16>>
}

// CHECK-LABEL: func.func private @inits()
// CHECK-SAME:    i0 = #intc.init<kaiming_leaky_relu>
// CHECK-SAME:    i1 = #intc.init<kaiming_relu>
// CHECK-SAME:    i2 = #intc.init<xavier>
// CHECK-SAME:    i3 = #intc.init<std>
// CHECK-SAME:    i4 = #intc.init<fixed>
// CHECK-SAME:    i5 = #intc.init<zeros>
// CHECK-SAME:    i6 = #intc.init<ones>
func.func private @inits() attributes {
  i0 = #intc.init<kaiming_leaky_relu>,
  i1 = #intc.init<kaiming_relu>,
  i2 = #intc.init<xavier>,
  i3 = #intc.init<std>,
  i4 = #intc.init<fixed>,
  i5 = #intc.init<zeros>,
  i6 = #intc.init<ones>
}

// Fields may be written in any order; they print in a fixed order, and a
// linear block or output layer prints no pooling fields.
// CHECK-LABEL: func.func private @derived()
// CHECK-SAME:    conv = #intc.derived<F = 6912, init = 60, head_pool = [8, 4], head_pad = [0, 0], head_grid = [4, 8], dim_in_decoder = 4096, head_F = 1048576, head_init = 4>
// CHECK-SAME:    linear = #intc.derived<F = 200704, init = 10, dim_in_decoder = 100, head_F = 25600, head_init = 30>
// CHECK-SAME:    output = #intc.derived<F = 12800, init = 43>
// CHECK-SAME:    padded = #intc.derived<F = 2304, init = 64, head_pool = [8, 4], head_pad = [4, 0], head_grid = [4, 7], dim_in_decoder = 3584, head_F = 917504, head_init = 5>
func.func private @derived() attributes {
  conv = #intc.derived<F = 6912, init = 60, head_pool = [8, 4], head_pad = [0, 0],
                       head_grid = [4, 8], dim_in_decoder = 4096,
                       head_F = 1048576, head_init = 4>,
  padded = #intc.derived<head_init = 5, head_F = 917504, dim_in_decoder = 3584,
                         head_grid = [4, 7], head_pad = [4, 0],
                         head_pool = [8, 4], init = 64, F = 2304>,
  linear = #intc.derived<F = 200704, init = 10, dim_in_decoder = 100,
                         head_F = 25600, head_init = 30>,
  output = #intc.derived<F = 12800, init = 43>
}
