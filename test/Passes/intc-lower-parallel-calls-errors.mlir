// RUN: intc-opt %s -intc-lower-parallel-calls -verify-diagnostics

// A function marked as a parallel body must take the range first.
// expected-error @+1 {{an intc.parallel_body function must take (i64 lo, i64 hi, ...)}}
llvm.func @bad_par0(%x: !llvm.ptr) attributes {intc.parallel_body} {
  llvm.return
}
