// RUN: intc-opt %s -intc-merge-gpu-modules | FileCheck %s
// RUN: intc-opt %s -intc-merge-gpu-modules=name=m_kernels | FileCheck %s --check-prefix=NAMED

// gpu-kernel-outlining's modules (unique names, kernels of the same name)
// become one module; each kernel takes its module's name and the launches
// follow.
// CHECK: gpu.module @intc_kernels {
// CHECK-DAG: gpu.func @f_kernel(
// CHECK-DAG: gpu.func @f_kernel_0(
// CHECK: }
// CHECK-NOT: gpu.module
// CHECK: gpu.launch_func @intc_kernels::@f_kernel blocks
// CHECK: gpu.launch_func @intc_kernels::@f_kernel_0 blocks
// NAMED: gpu.module @m_kernels
// NAMED: gpu.launch_func @m_kernels::@f_kernel blocks
module attributes {gpu.container_module} {
  gpu.module @f_kernel {
    gpu.func @f_kernel(%p: memref<4xi32>) kernel {
      gpu.return
    }
  }
  gpu.module @f_kernel_0 {
    gpu.func @f_kernel(%p: memref<4xi32>) kernel {
      gpu.return
    }
  }
  func.func @f(%p: memref<4xi32>) {
    %c1 = arith.constant 1 : index
    gpu.launch_func @f_kernel::@f_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%p : memref<4xi32>)
    gpu.launch_func @f_kernel_0::@f_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1) args(%p : memref<4xi32>)
    return
  }
}
