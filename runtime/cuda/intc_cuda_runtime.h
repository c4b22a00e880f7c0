/* intc_cuda_runtime.h - device, stream, memory and module glue of the cuda
 * target (CUDA driver API, loaded at run time).
 *
 * The code the cuda target generates is host code that launches kernels (its
 * own, from the PTX/cubin embedded in it, and the tensor-core kernels of
 * intc_cuda_kernels.h). Everything it enqueues goes to ONE stream owned by
 * this runtime, in program order; the host code itself never touches device
 * memory. So the generated entry points return as soon as their work is
 * enqueued, and intc_cuda_synchronize() waits for it (set INTC_CUDA_SYNC=1
 * to wait after every launch instead, to attribute errors to a kernel).
 *
 * Errors of the driver abort the process with a message naming the call;
 * only intc_cuda_init reports failure to its caller. Device pointers are
 * passed as void *. Set INTC_CUDA_DEVICE=N to use device N (default 0, or
 * the one intc_cuda_prefer_device chose: one GPU per rank under mpirun).
 */
#ifndef INTC_RUNTIME_CUDA_INTC_CUDA_RUNTIME_H
#define INTC_RUNTIME_CUDA_INTC_CUDA_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Loads the driver, selects the device, makes its primary context current
 * on the calling thread and creates the stream. Returns 0, or -1 with a
 * message ("no CUDA device: ...") in err (err_len bytes, may be 0). Safe to
 * call again; other threads using the runtime call it too. */
int intc_cuda_init(char *err, size_t err_len);

/* The number of CUDA devices this process sees (CUDA_VISIBLE_DEVICES
 * applies), or -1 with a message ("no CUDA device: ...") in err. Selects
 * none. */
int intc_cuda_device_count(char *err, size_t err_len);

/* The device intc_cuda_init will select when INTC_CUDA_DEVICE is not set.
 * Returns 0, or -1 once the runtime is initialised (on another device or
 * the same: the choice can no longer change). */
int intc_cuda_prefer_device(int ordinal);

/* The selected device: name, compute capability (major * 10 + minor),
 * number of multiprocessors, ordinal, UUID (16 bytes, the same on every
 * process that uses this GPU) and PCI bus id ("0000:1b:00.0"). Valid after
 * a successful intc_cuda_init. */
const char *intc_cuda_device_name(void);
int intc_cuda_device_sm(void);
int intc_cuda_device_multiprocessors(void);
int intc_cuda_device_ordinal(void);
void intc_cuda_device_uuid(unsigned char uuid[16]);
const char *intc_cuda_device_pci_bus_id(void);

/* The runtime's stream (a CUstream). */
void *intc_cuda_stream(void);
/* Waits for everything enqueued so far. */
void intc_cuda_synchronize(void);

/* Device memory. intc_cuda_upload is ordered on the stream (the source must
 * stay valid until the next synchronize); intc_cuda_download waits. */
void *intc_cuda_alloc(size_t bytes);
void intc_cuda_free(void *device);
void intc_cuda_upload(void *device, const void *host, size_t bytes);
void intc_cuda_download(void *host, const void *device, size_t bytes);
void intc_cuda_zero(void *device, size_t bytes);

/* Loads a module (cubin, fatbin or NUL-terminated PTX) once: later calls with
 * the same image pointer return the cached CUmodule. intc_cuda_release_modules
 * unloads every cached module (call it before the image memory goes away). */
void *intc_cuda_load_module(const void *image);
void intc_cuda_release_modules(void);

/* Tensor-core tiles that took the exact int64 fallback since the start
 * (intc_cuda_kernels.h). Waits for the stream. */
unsigned long long intc_cuda_fallback_tiles(void);

#ifdef __cplusplus
}
#endif

#endif /* INTC_RUNTIME_CUDA_INTC_CUDA_RUNTIME_H */
