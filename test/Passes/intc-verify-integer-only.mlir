// RUN: intc-opt %s -split-input-file -intc-verify-integer-only -verify-diagnostics

// Integer code passes.
func.func @ok(%a: i32, %m: memref<4xi8>) -> i32 {
  %c = arith.constant 3 : i32
  %r = arith.divsi %a, %c : i32
  return %r : i32
}

// -----

func.func @cast(%a: i32) -> i32 {
  // expected-error @+1 {{'arith.sitofp' op uses floating-point type 'f32'; intc generates integer-only code}}
  %f = arith.sitofp %a : i32 to f32
  %i = arith.fptosi %f : f32 to i32
  return %i : i32
}

// -----

// Floats nested in a memref element type are found too.
// expected-error @+1 {{'func.func' op uses floating-point type 'f64'}}
func.func @arg(%m: memref<4xf64>) {
  return
}

// -----

// And in LLVM types and attributes.
llvm.func @g() {
  // expected-error @+1 {{'llvm.mlir.constant' op uses floating-point type 'f16'}}
  %0 = llvm.mlir.constant(1.0 : f16) : f16
  llvm.return
}
