//===- CudaHostRunner.cpp - The cuda lowering, run on the host ------------===//

#include "lib/Target/CUDA/CudaHostRunner.h"
#include "lib/Target/CPU/HostJit.h"
#include "lib/Target/CUDA/CudaEntryPoints.h"
#include "lib/Target/CUDA/CudaTarget.h"
#include "lib/Target/Common/JitEntryPoints.h"
#include "lib/Target/Common/JitModelRunner.h"

#include "runtime/cpu/intc_cpu_kernels.h"
#include "runtime/host/DeviceReducer.h"

#include "mlir/Pass/PassManager.h"

#include <algorithm>
#include <cstring>
#include <vector>

using namespace mlir;
using namespace mlir::intc;

namespace {

class CudaHostRunner : public JitModelRunner {
public:
  int64_t batchSize() const override { return batch; }

  void init(int32_t *state, uint64_t seed) override {
    entries.init(state, static_cast<int64_t>(seed), arena.data());
  }

  void trainStep(int32_t *state, const int8_t *x, const uint8_t *labels,
                 int64_t lrInv, uint64_t seed, uint64_t step,
                 int8_t *logits) override {
    entries.trainStep(state, x, labels, lrInv, static_cast<int64_t>(seed),
                      static_cast<int64_t>(step), logits, arena.data());
  }

  void predict(const int32_t *state, const int8_t *x, int8_t *logits) override {
    entries.predict(state, x, logits, arena.data());
  }

  void trainGrads(const int32_t *state, const int8_t *x, const uint8_t *labels,
                  uint64_t seed, uint64_t step, int64_t sampleOffset,
                  int64_t globalBatch, int64_t *grads, uint8_t *cache,
                  int8_t *logits) override {
    if (!hasGradientSteps())
      return ModelRunner::trainGrads(state, x, labels, seed, step, sampleOffset,
                                     globalBatch, grads, cache, logits);
    cuda::checkShard(sampleOffset, batch, globalBatch);
    entries.trainGrads(state, x, labels, static_cast<int64_t>(seed),
                       static_cast<int64_t>(step), sampleOffset, globalBatch,
                       grads, cache, logits, arena.data());
  }

  void applyGrads(int32_t *state, const int64_t *grads,
                  int64_t lrInv) override {
    if (!hasGradientSteps())
      return ModelRunner::applyGrads(state, grads, lrInv);
    entries.applyGrads(state, grads, lrInv, arena.data());
  }

  void trainGrads2(const int32_t *state, const uint8_t *cache,
                   const uint8_t *labels, int64_t *grads) override {
    if (!gradientSteps.second)
      return ModelRunner::trainGrads2(state, cache, labels, grads);
    entries.trainGrads2(state, cache, labels, grads, arena.data());
  }

  void applyGrads2(int32_t *state, const int64_t *grads,
                   int64_t lrInv) override {
    if (!gradientSteps.second)
      return ModelRunner::applyGrads2(state, grads, lrInv);
    entries.applyGrads2(state, grads, lrInv, arena.data());
  }

  llvm::Expected<DeviceGradients>
  deviceGradients(::intc::host::Communicator &comm) override {
    using ::intc::host::RankDevice;
    if (!hasGradientSteps())
      return DeviceGradients();
    // The same collective choice as on a GPU; no rank here has one.
    RankDevice mine;
    mine.nccl = RankDevice::Nccl::NoGpu;
    ::intc::host::ReducerChoice choice =
        ::intc::host::agreeOnDeviceReducer(comm, mine);
    deviceGrads.assign(size_t(numWeights), 0);
    deviceCache.assign(size_t(std::max<int64_t>(cacheBytes(), 1)), 0);
    auto copy = [](void *to, const void *from, size_t bytes) {
      std::memcpy(to, from, bytes);
    };
    DeviceGradients device;
    device.grads = deviceGrads.data();
    device.cache = deviceCache.data();
    device.reducer = ::intc::host::createHostStagingReducer(
        comm, copy, copy,
        "host staging through " + comm.description() +
            ", not NCCL: " + choice.reason);
    return device;
  }

  std::unique_ptr<cpu::HostJit> engine;
  int64_t batch = 0;
  cuda::CudaEntryPoints entries;
  std::vector<uint64_t> arena; // 8-byte aligned
  int64_t numWeights = 0;
  /// deviceGradients' buffers: this target's device memory is the host's.
  std::vector<int64_t> deviceGrads;
  std::vector<uint8_t> deviceCache;
};

} // namespace

llvm::Expected<cpu::HostCode>
cuda::compileCudaHost(ModuleOp module, const CodegenOptions &options) {
  PassManager pm(module.getContext());
  buildCudaHostPipeline(pm, options);
  if (failed(pm.run(module)))
    return llvm::createStringError("lowering for the cuda-host target failed");
  return cpu::compileHostCode(module);
}

llvm::Expected<std::unique_ptr<::intc::host::ModelRunner>>
cuda::createCudaHostRunner(const cpu::HostCode &code, StringRef modelName,
                           int64_t batch, int64_t numWeights) {
  // The tensor-core launchers have the runtime/cpu kernels' signatures and
  // semantics (exact, accumulating), on host pointers here.
  auto kernel = [](llvm::StringRef name, auto *fn) {
    return cpu::JitSymbol{name, llvm::orc::ExecutorAddr::fromPtr(fn)};
  };
  auto engine = cpu::HostJit::load(
      code,
      {kernel("intc_cuda_linear_acc_i8", &intc_cpu_linear_acc_i8),
       kernel("intc_cuda_linear_acc_i16", &intc_cpu_linear_acc_i16),
       kernel("intc_cuda_linear_wgrad_acc_i8", &intc_cpu_linear_wgrad_acc_i8),
       kernel("intc_cuda_linear_wgrad_acc_i16", &intc_cpu_linear_wgrad_acc_i16),
       kernel("intc_cuda_conv2d_acc_i8", &intc_cpu_conv2d_acc_i8),
       kernel("intc_cuda_conv2d_acc_i16", &intc_cpu_conv2d_acc_i16),
       kernel("intc_cuda_conv2d_wgrad_acc_i8", &intc_cpu_conv2d_wgrad_acc_i8),
       kernel("intc_cuda_conv2d_wgrad_acc_i16",
              &intc_cpu_conv2d_wgrad_acc_i16)});
  if (!engine)
    return engine.takeError();

  auto runner = std::make_unique<CudaHostRunner>();
  runner->engine = std::move(*engine);
  runner->batch = batch;
  runner->numWeights = numWeights;
  cpu::HostJit &jit = *runner->engine;
  auto entries = cuda::CudaEntryPoints::lookup(
      [&](StringRef name) { return jit.lookup(name); }, code.info, modelName);
  if (!entries)
    return entries.takeError();
  runner->entries = *entries;
  runner->gradientSteps = code.info.grads;
  int64_t arenaBytes = std::max<int64_t>(code.info.maxArenaBytes, 8);
  runner->arena.assign(size_t(arenaBytes + 7) / 8, 0);
  return std::unique_ptr<::intc::host::ModelRunner>(std::move(runner));
}
