/* intc_cuda_nccl.h - NCCL for data-parallel training on several GPUs.
 *
 * `mpirun -np N intc train -target=cuda` sums the int64 weight gradients of
 * its N GPUs with ncclAllReduce where they are, on runtime/cuda's stream.
 * Like the driver (intc_cuda_driver.h), libnccl is opened with dlopen on
 * first use, so intc starts, and falls back to summing through host memory
 * and MPI, on machines without it; a build without nccl.h (INTC_NCCL=OFF)
 * compiles intc_cuda_no_nccl.cpp instead, whose functions all report why.
 *
 * Every function returns 0 (or a non-null communicator), or -1 (null) with
 * a message in err (err_len bytes, may be 0). The communicator lives on the
 * device runtime/cuda selected (intc_cuda_init first).
 */
#ifndef INTC_RUNTIME_CUDA_INTC_CUDA_NCCL_H
#define INTC_RUNTIME_CUDA_INTC_CUDA_NCCL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* NCCL_UNIQUE_ID_BYTES of nccl.h. */
#define INTC_NCCL_ID_BYTES 128

/* 1 if intc was built with NCCL (nccl.h found, INTC_NCCL=ON), else 0. */
int intc_nccl_built(void);

/* Loads libnccl (once); writes its version ("2.28.9") to version
 * (version_len bytes, may be 0). */
int intc_nccl_load(char *version, size_t version_len, char *err,
                   size_t err_len);

/* A new unique id for ncclCommInitRank: made by one rank, sent to all. */
int intc_nccl_unique_id(unsigned char id[INTC_NCCL_ID_BYTES], char *err,
                        size_t err_len);

/* The communicator of rank `rank` of `nranks` (collective over the ranks
 * that pass the same id), or null. */
void *intc_nccl_comm_init(int nranks,
                          const unsigned char id[INTC_NCCL_ID_BYTES], int rank,
                          char *err, size_t err_len);

/* Enqueues the in-place sum over all ranks of `count` int64 at device
 * address `values` on runtime/cuda's stream (ncclInt64, ncclSum: exact). */
int intc_nccl_all_reduce_sum_i64(void *comm, int64_t *values, size_t count,
                                 char *err, size_t err_len);

/* Waits for the stream, then destroys the communicator. */
void intc_nccl_comm_destroy(void *comm);

#ifdef __cplusplus
}
#endif

#endif /* INTC_RUNTIME_CUDA_INTC_CUDA_NCCL_H */
