/* intc_cpu_x86.c - instantiates intc_cpu_simd.inc for the x86 instruction
 * sets. Every function carries its own target attribute, so this file builds
 * with the default (baseline x86-64) flags and is only entered after the
 * run-time CPU check in intc_cpu_dispatch.c. */
#include "runtime/cpu/intc_cpu_internal.h"

#if defined(INTC_CPU_X86)

#include <immintrin.h>
#include <string.h>

#define VECTOR_LAYER "runtime/cpu/intc_cpu_vec512.inc"

#define SFX avx512vnni
#define TGT "avx512f,avx512bw,avx512dq,avx512vl,avx512vnni"
#define VNNI 1
#include "runtime/cpu/intc_cpu_simd.inc"
#undef SFX
#undef TGT
#undef VNNI

#define SFX avx512bw
#define TGT "avx512f,avx512bw,avx512dq,avx512vl"
#define VNNI 0
#include "runtime/cpu/intc_cpu_simd.inc"
#undef SFX
#undef TGT
#undef VNNI

#undef VECTOR_LAYER
#define VECTOR_LAYER "runtime/cpu/intc_cpu_vec256.inc"

#define SFX avxvnni
#define TGT "avx2,avxvnni"
#define VNNI 1
#include "runtime/cpu/intc_cpu_simd.inc"
#undef SFX
#undef TGT
#undef VNNI

#define SFX avx2
#define TGT "avx2"
#define VNNI 0
#include "runtime/cpu/intc_cpu_simd.inc"
#undef SFX
#undef TGT
#undef VNNI

#endif
