// RUN: intc-opt %s | FileCheck %s
// CHECK: intc.model @m
intc.model @m(%x: tensor<?x4xi8>) {
  %0 = intc.output_layer %x : tensor<?x4xi8> -> tensor<?x10xi8>
  intc.yield %0 : tensor<?x10xi8>
}
