//===- CudaRunner.cpp - Run a model on an NVIDIA GPU ----------------------===//

#include "lib/Target/CUDA/CudaRunner.h"
#include "lib/Target/CUDA/CudaEntryPoints.h"
#include "lib/Target/Common/JitEntryPoints.h"
#include "lib/Target/Common/JitModelRunner.h"

#include "runtime/cuda/intc_cuda_kernels.h"
#include "runtime/cuda/intc_cuda_mgpu.h"
#include "runtime/cuda/intc_cuda_runtime.h"
#include "runtime/host/Communicator.h"
#include "runtime/host/DeviceReducer.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::intc;

namespace {

class CudaRunner : public JitModelRunner {
public:
  ~CudaRunner() override;
  int64_t batchSize() const override { return shape.batch; }
  void init(int32_t *state, uint64_t seed) override;
  void trainStep(int32_t *state, const int8_t *x, const uint8_t *labels,
                 int64_t lrInv, uint64_t seed, uint64_t step,
                 int8_t *logits) override;
  void predict(const int32_t *state, const int8_t *x, int8_t *logits) override;
  void syncState(int32_t *state) override;

  // The gradient steps run on the device with its own gradient and cache
  // buffers; host arrays passed in their place are copied to or from them.
  void trainGrads(const int32_t *state, const int8_t *x, const uint8_t *labels,
                  uint64_t seed, uint64_t step, int64_t sampleOffset,
                  int64_t globalBatch, int64_t *grads, uint8_t *cache,
                  int8_t *logits) override;
  void applyGrads(int32_t *state, const int64_t *grads, int64_t lrInv) override;
  void trainGrads2(const int32_t *state, const uint8_t *cache,
                   const uint8_t *labels, int64_t *grads) override;
  void applyGrads2(int32_t *state, const int64_t *grads,
                   int64_t lrInv) override;
  llvm::Expected<DeviceGradients>
  deviceGradients(::intc::host::Communicator &comm) override;

  std::unique_ptr<cpu::HostJit> engine;
  cuda::RunnerShape shape;
  cuda::CudaEntryPoints entries;
  void *dState = nullptr, *dX = nullptr, *dLabels = nullptr, *dLogits = nullptr,
       *dArena = nullptr;
  /// The gradient steps' buffers, allocated on their first use.
  int64_t *dGrads = nullptr;
  uint8_t *dCache = nullptr;
  const int32_t *resident = nullptr; ///< the host array dState mirrors

private:
  size_t stateBytes() const { return size_t(shape.numWeights) * 4; }
  void makeResident(const int32_t *state);
  void allocateGradients();
};

CudaRunner::~CudaRunner() {
  intc_cuda_synchronize();
  // The JIT owns the module images the runtime cached by address.
  intc_cuda_release_modules();
  for (void *p : {dState, dX, dLabels, dLogits, dArena,
                  static_cast<void *>(dGrads), static_cast<void *>(dCache)})
    intc_cuda_free(p);
}

void CudaRunner::allocateGradients() {
  if (dGrads)
    return;
  dGrads = static_cast<int64_t *>(
      intc_cuda_alloc(size_t(shape.numWeights) * sizeof(int64_t)));
  dCache = static_cast<uint8_t *>(
      intc_cuda_alloc(size_t(std::max<int64_t>(cacheBytes(), 1))));
}

void CudaRunner::makeResident(const int32_t *state) {
  if (state == resident)
    return;
  intc_cuda_upload(dState, state, stateBytes());
  resident = state;
}

void CudaRunner::init(int32_t *state, uint64_t seed) {
  entries.init(dState, static_cast<int64_t>(seed), dArena);
  intc_cuda_download(state, dState, stateBytes());
  resident = state;
}

void CudaRunner::trainStep(int32_t *state, const int8_t *x,
                           const uint8_t *labels, int64_t lrInv, uint64_t seed,
                           uint64_t step, int8_t *logits) {
  makeResident(state);
  intc_cuda_upload(dX, x, size_t(shape.batch * shape.imageBytes));
  intc_cuda_upload(dLabels, labels, size_t(shape.batch));
  entries.trainStep(dState, dX, dLabels, lrInv, static_cast<int64_t>(seed),
                    static_cast<int64_t>(step), dLogits, dArena);
  intc_cuda_download(logits, dLogits, size_t(shape.batch * shape.numClasses));
}

void CudaRunner::predict(const int32_t *state, const int8_t *x,
                         int8_t *logits) {
  makeResident(state);
  intc_cuda_upload(dX, x, size_t(shape.batch * shape.imageBytes));
  entries.predict(dState, dX, dLogits, dArena);
  intc_cuda_download(logits, dLogits, size_t(shape.batch * shape.numClasses));
}

void CudaRunner::syncState(int32_t *state) {
  if (state == resident)
    intc_cuda_download(state, dState, stateBytes());
}

void CudaRunner::trainGrads(const int32_t *state, const int8_t *x,
                            const uint8_t *labels, uint64_t seed, uint64_t step,
                            int64_t sampleOffset, int64_t globalBatch,
                            int64_t *grads, uint8_t *cache, int8_t *logits) {
  if (!hasGradientSteps())
    return ModelRunner::trainGrads(state, x, labels, seed, step, sampleOffset,
                                   globalBatch, grads, cache, logits);
  cuda::checkShard(sampleOffset, shape.batch, globalBatch);
  allocateGradients();
  makeResident(state);
  intc_cuda_upload(dX, x, size_t(shape.batch * shape.imageBytes));
  intc_cuda_upload(dLabels, labels, size_t(shape.batch));
  entries.trainGrads(dState, dX, dLabels, static_cast<int64_t>(seed),
                     static_cast<int64_t>(step), sampleOffset, globalBatch,
                     dGrads, dCache, dLogits, dArena);
  if (grads != dGrads)
    intc_cuda_download(grads, dGrads,
                       size_t(shape.numWeights) * sizeof(int64_t));
  if (cache && cache != dCache)
    intc_cuda_download(cache, dCache, size_t(cacheBytes()));
  intc_cuda_download(logits, dLogits, size_t(shape.batch * shape.numClasses));
}

void CudaRunner::applyGrads(int32_t *state, const int64_t *grads,
                            int64_t lrInv) {
  if (!hasGradientSteps())
    return ModelRunner::applyGrads(state, grads, lrInv);
  allocateGradients();
  makeResident(state);
  if (grads != dGrads)
    intc_cuda_upload(dGrads, grads, size_t(shape.numWeights) * sizeof(int64_t));
  entries.applyGrads(dState, dGrads, lrInv, dArena);
}

void CudaRunner::trainGrads2(const int32_t *state, const uint8_t *cache,
                             const uint8_t *labels, int64_t *grads) {
  if (!gradientSteps.second)
    return ModelRunner::trainGrads2(state, cache, labels, grads);
  allocateGradients();
  makeResident(state);
  if (cache && cache != dCache)
    intc_cuda_upload(dCache, cache, size_t(cacheBytes()));
  intc_cuda_upload(dLabels, labels, size_t(shape.batch));
  entries.trainGrads2(dState, dCache, dLabels, dGrads, dArena);
  if (grads != dGrads) {
    GradsRange range = grads2Range();
    intc_cuda_download(grads + range.offset, dGrads + range.offset,
                       size_t(range.count) * sizeof(int64_t));
  }
}

void CudaRunner::applyGrads2(int32_t *state, const int64_t *grads,
                             int64_t lrInv) {
  if (!gradientSteps.second)
    return ModelRunner::applyGrads2(state, grads, lrInv);
  allocateGradients();
  makeResident(state);
  if (grads != dGrads) {
    GradsRange range = grads2Range();
    intc_cuda_upload(dGrads + range.offset, grads + range.offset,
                     size_t(range.count) * sizeof(int64_t));
  }
  entries.applyGrads2(dState, dGrads, lrInv, dArena);
}

llvm::Expected<CudaRunner::DeviceGradients>
CudaRunner::deviceGradients(::intc::host::Communicator &comm) {
  if (!hasGradientSteps())
    return DeviceGradients();
  auto reducer = cuda::createCudaReducer(comm);
  if (!reducer)
    return reducer.takeError();
  allocateGradients();
  DeviceGradients device;
  device.grads = dGrads;
  device.cache = dCache;
  device.reducer = std::move(*reducer);
  return device;
}

} // namespace

llvm::Error cuda::checkCudaDevice() {
  char error[512];
  if (intc_cuda_init(error, sizeof(error)) != 0)
    return llvm::createStringError(error);
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<::intc::host::ModelRunner>>
cuda::createCudaRunner(const cpu::HostCode &code, StringRef modelName,
                       const RunnerShape &shape) {
  if (llvm::Error err = checkCudaDevice())
    return std::move(err);

  // The runtime the host code calls is linked into this executable.
  auto engine = cpu::HostJit::load(
      code, {INTC_JIT_SYMBOL(mgpuModuleLoad),
             INTC_JIT_SYMBOL(mgpuModuleLoadJIT),
             INTC_JIT_SYMBOL(mgpuModuleUnload),
             INTC_JIT_SYMBOL(mgpuModuleGetFunction),
             INTC_JIT_SYMBOL(mgpuLaunchKernel),
             INTC_JIT_SYMBOL(mgpuStreamCreate),
             INTC_JIT_SYMBOL(mgpuStreamDestroy),
             INTC_JIT_SYMBOL(mgpuStreamSynchronize),
             INTC_JIT_SYMBOL(mgpuSetDefaultDevice),
             INTC_JIT_SYMBOL(mgpuMemAlloc),
             INTC_JIT_SYMBOL(mgpuMemFree),
             INTC_JIT_SYMBOL(mgpuMemcpy),
             INTC_JIT_SYMBOL(mgpuMemset32),
             INTC_JIT_SYMBOL(intc_cuda_linear_acc_i8),
             INTC_JIT_SYMBOL(intc_cuda_linear_acc_i16),
             INTC_JIT_SYMBOL(intc_cuda_linear_wgrad_acc_i8),
             INTC_JIT_SYMBOL(intc_cuda_linear_wgrad_acc_i16),
             INTC_JIT_SYMBOL(intc_cuda_conv2d_acc_i8),
             INTC_JIT_SYMBOL(intc_cuda_conv2d_acc_i16),
             INTC_JIT_SYMBOL(intc_cuda_conv2d_wgrad_acc_i8),
             INTC_JIT_SYMBOL(intc_cuda_conv2d_wgrad_acc_i16)});
  if (!engine)
    return engine.takeError();

  auto runner = std::make_unique<CudaRunner>();
  runner->engine = std::move(*engine);
  runner->shape = shape;
  cpu::HostJit &jit = *runner->engine;
  auto entries = cuda::CudaEntryPoints::lookup(
      [&](StringRef name) { return jit.lookup(name); }, code.info, modelName);
  if (!entries)
    return entries.takeError();
  runner->entries = *entries;
  runner->gradientSteps = code.info.grads;
  int64_t arenaBytes = std::max<int64_t>(code.info.maxArenaBytes, 1);
  runner->dState = intc_cuda_alloc(size_t(shape.numWeights) * 4);
  runner->dX = intc_cuda_alloc(size_t(shape.batch * shape.imageBytes));
  runner->dLabels = intc_cuda_alloc(size_t(shape.batch));
  runner->dLogits = intc_cuda_alloc(size_t(shape.batch * shape.numClasses));
  // The entry points run one at a time on one stream: one arena serves all.
  runner->dArena = intc_cuda_alloc(size_t(arenaBytes));
  return std::unique_ptr<::intc::host::ModelRunner>(std::move(runner));
}
