/* intc_cuda_kernels.h - exact int8 tensor-core kernels of the cuda target.
 *
 * intc-use-gpu-kernels turns the matmul-like reductions of a training step
 * (ALGORITHM.md §2.1-2.2) into calls to these functions. They have the
 * signatures and the semantics of runtime/cpu/intc_cpu_kernels.h, on DEVICE
 * pointers:
 * - ACCUMULATING (+=) into int64 outputs, exact integer sums for every input
 *   (runtime/c/intc_linear.c and intc_conv.c are the reference);
 * - every tensor is (base, element offset), row-major contiguous from there.
 * They enqueue the work on the runtime's stream (intc_cuda_runtime.h) and
 * return. How the sums stay exact on int8 tensor cores (limbs W = 256 W_hi +
 * W_lo, int32 chunks, the checked int64 fallback) is in intc_cuda_gemm.h.
 * Set INTC_CUDA_GEMM=wide to run the exact int64 kernels instead.
 */
#ifndef INTC_RUNTIME_CUDA_INTC_CUDA_KERNELS_H
#define INTC_RUNTIME_CUDA_INTC_CUDA_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* z[b, o] += sum_i x[b, i] * w[o, i]; x: B x IN, w: OUT x IN, z: B x OUT. */
void intc_cuda_linear_acc_i8(const int8_t *x, int64_t x_off, const int32_t *w,
                             int64_t w_off, int64_t *z, int64_t z_off,
                             int64_t B, int64_t IN, int64_t OUT);
void intc_cuda_linear_acc_i16(const int16_t *x, int64_t x_off, const int32_t *w,
                              int64_t w_off, int64_t *z, int64_t z_off,
                              int64_t B, int64_t IN, int64_t OUT);

/* g[o, i] += sum_b d[b, o] * x[b, i]; d: B x OUT, x: B x IN, g: OUT x IN. */
void intc_cuda_linear_wgrad_acc_i8(const int32_t *d, int64_t d_off,
                                   const int8_t *x, int64_t x_off, int64_t *g,
                                   int64_t g_off, int64_t B, int64_t IN,
                                   int64_t OUT);
void intc_cuda_linear_wgrad_acc_i16(const int32_t *d, int64_t d_off,
                                    const int16_t *x, int64_t x_off, int64_t *g,
                                    int64_t g_off, int64_t B, int64_t IN,
                                    int64_t OUT);

/* z[m, f, i, j] += sum_{c,u,v} w[f, c, u, v] * xp[m, c, i + u, j + v];
 * xp: B x C x Hp x Wp (padded), w: F x C x K x K, z: B x F x Ho x Wo. */
void intc_cuda_conv2d_acc_i8(const int8_t *xp, int64_t x_off, const int32_t *w,
                             int64_t w_off, int64_t *z, int64_t z_off,
                             int64_t B, int64_t C, int64_t Hp, int64_t Wp,
                             int64_t F, int64_t K);
void intc_cuda_conv2d_acc_i16(const int16_t *xp, int64_t x_off,
                              const int32_t *w, int64_t w_off, int64_t *z,
                              int64_t z_off, int64_t B, int64_t C, int64_t Hp,
                              int64_t Wp, int64_t F, int64_t K);

/* g[f, c, u, v] += sum_{m,i,j} d[m, f, i, j] * xp[m, c, i + u, j + v]. */
void intc_cuda_conv2d_wgrad_acc_i8(const int32_t *d, int64_t d_off,
                                   const int8_t *xp, int64_t x_off, int64_t *g,
                                   int64_t g_off, int64_t B, int64_t C,
                                   int64_t Hp, int64_t Wp, int64_t F,
                                   int64_t K);
void intc_cuda_conv2d_wgrad_acc_i16(const int32_t *d, int64_t d_off,
                                    const int16_t *xp, int64_t x_off,
                                    int64_t *g, int64_t g_off, int64_t B,
                                    int64_t C, int64_t Hp, int64_t Wp,
                                    int64_t F, int64_t K);

#ifdef __cplusplus
}
#endif

#endif /* INTC_RUNTIME_CUDA_INTC_CUDA_KERNELS_H */
