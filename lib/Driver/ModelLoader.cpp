//===- ModelLoader.cpp - Read and verify a model file ---------------------===//

#include "lib/Driver/ModelLoader.h"
#include "dialect/IntcLimits.h"
#include "lib/Pipeline/Pipelines.h"
#include "passes/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::intc;

namespace intc::driver {

llvm::SourceMgr &sourceMgr() {
  static llvm::SourceMgr mgr;
  return mgr;
}

MLIRContext &context() {
  static MLIRContext *ctx = [] {
    DialectRegistry registry;
    registerAllDialects(registry);
    registerAllExtensions(registry);
    registry.insert<IntcDialect>();
    auto *c = new MLIRContext(registry);
    c->loadAllAvailableDialects();
    // Diagnostics print as file:line:col: error: ... on stderr, with the
    // source line; a dump of the failing op in generic form would only bury
    // it (intc-opt keeps MLIR's default for debugging passes).
    c->printOpOnDiagnostic(false);
    static SourceMgrDiagnosticHandler handler(sourceMgr(), c, llvm::errs());
    return c;
  }();
  return *ctx;
}

FailureOr<LoadedModel> parseModel(llvm::SourceMgr &mgr, MLIRContext &ctx,
                                  llvm::StringRef path, llvm::StringRef name) {
  LoadedModel loaded;
  loaded.path = path.str();
  ParserConfig config(&ctx);
  loaded.module = parseSourceFile<ModuleOp>(mgr, config);
  if (!loaded.module || failed(verify(*loaded.module)))
    return failure();
  PassManager pm(&ctx);
  pm.addPass(createVerifyModel());
  if (failed(pm.run(*loaded.module)))
    return failure();

  SmallVector<ModelOp> models(loaded.module->getOps<ModelOp>());
  if (models.empty()) {
    emitError(loaded.module->getLoc())
        << "'" << path << "' holds no intc.model";
    return failure();
  }
  for (ModelOp m : models)
    if (name.empty() ? models.size() == 1 : m.getSymName() == name)
      loaded.model = m;
  if (!loaded.model) {
    InFlightDiagnostic diag = emitError(loaded.module->getLoc());
    if (name.empty())
      diag << "'" << path << "' holds " << models.size()
           << " models; choose one with -model=NAME";
    else
      diag << "'" << path << "' has no model named '" << name << "'";
    return failure();
  }
  FailureOr<ModelLayout> layout = ModelLayout::get(loaded.model);
  if (failed(layout))
    return failure();
  loaded.layout = std::move(*layout);
  return loaded;
}

/// Parses and verifies one model buffer; `path` names it in messages.
static FailureOr<LoadedModel>
loadModelBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer,
                llvm::StringRef path, llvm::StringRef name,
                llvm::raw_ostream &diag) {
  MLIRContext &ctx = context();
  // Diagnostics of this load go to `diag` (quoting the source line); the
  // context's own handler keeps stderr for everything else.
  // The parser reads the main buffer of the SourceMgr it is given, so each
  // model gets a SourceMgr of its own (a process may load several: the Python
  // package). The shared one keeps a copy for diagnostics that come later,
  // from the lowering passes.
  llvm::SourceMgr own;
  own.AddNewSourceBuffer(llvm::MemoryBuffer::getMemBufferCopy(
                             buffer->getBuffer(), buffer->getBufferIdentifier()),
                         SMLoc());
  sourceMgr().AddNewSourceBuffer(std::move(buffer), SMLoc());
  SourceMgrDiagnosticHandler handler(own, &ctx, diag);
  return parseModel(own, ctx, path, name);
}

FailureOr<LoadedModel> loadModel(llvm::StringRef path, llvm::StringRef name,
                                 llvm::raw_ostream &diag) {
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/true);
  if (std::error_code ec = buffer.getError()) {
    diag << "intc: error: cannot read model file '" << path
         << "': " << ec.message() << "\n";
    return failure();
  }
  return loadModelBuffer(std::move(*buffer), path, name, diag);
}

FailureOr<LoadedModel> loadModelSource(llvm::StringRef source,
                                       llvm::StringRef bufferName,
                                       llvm::StringRef name,
                                       llvm::raw_ostream &diag) {
  // Locations name their buffer: every text loaded gets its own name
  // ("<source>", "<source 2>", ...) so that a later diagnostic quotes it.
  static unsigned loads = 0;
  std::string unique = bufferName.str();
  if (++loads > 1)
    unique = (bufferName.drop_back(bufferName.ends_with(">")) + " " +
              llvm::Twine(loads) + (bufferName.ends_with(">") ? ">" : ""))
                 .str();
  return loadModelBuffer(llvm::MemoryBuffer::getMemBufferCopy(source, unique),
                         unique, name, diag);
}

FailureOr<int64_t> chooseBatch(const LoadedModel &loaded, int64_t requested,
                            llvm::raw_ostream &diag) {
  if (requested < 0 || requested > limits::kMaxBatch) {
    diag << "intc: error: -batch=" << requested << " is out of range: "
                 << "expected 1 to " << limits::kMaxBatch
                 << " (or 0 for the model's batch)\n";
    return failure();
  }
  return requested > 0 ? requested : loaded.model.getBatch();
}

host::ModelInfo makeModelInfo(const LoadedModel &loaded, int64_t batch) {
  ModelOp m = loaded.model;
  host::ModelInfo info;
  info.name = m.getSymName().str();
  info.dataset = m.getDataset().value_or("").str();
  ArrayRef<int64_t> sample = m.getSampleShape();
  info.c = static_cast<uint32_t>(sample[0]);
  info.h = sample.size() == 3 ? static_cast<uint32_t>(sample[1]) : 1;
  info.w = sample.size() == 3 ? static_cast<uint32_t>(sample[2]) : 1;
  info.numClasses = static_cast<uint32_t>(m.getNumClasses());
  info.numWeights = loaded.layout.numWeights;
  for (const StateTensor &t : loaded.layout.tensors)
    info.tensors.push_back(
        {t.name, std::vector<int64_t>(t.shape.begin(), t.shape.end()),
         t.offset});
  info.lrInv = m.getLrInv();
  info.maxEpochs = static_cast<uint32_t>(m.getMaxEpochs());
  info.batch = static_cast<uint32_t>(batch);
  info.augmentCrop = static_cast<uint32_t>(m.getAugmentCrop());
  info.augmentFlip = m.getAugmentFlip();
  info.plateauFactor = m.getPlateauFactor();
  info.plateauPatience = static_cast<uint32_t>(m.getPlateauPatience());
  info.plateauFrom = static_cast<uint32_t>(m.getPlateauFrom());
  info.earlyStopPatience = static_cast<uint32_t>(m.getEarlyStopPatience());
  info.earlyStopFrom = static_cast<uint32_t>(m.getEarlyStopFrom());
  return info;
}

OwningOpRef<ModuleOp> cloneModelModule(const LoadedModel &loaded) {
  OpBuilder b(&context());
  OwningOpRef<ModuleOp> module = ModuleOp::create(loaded.module->getLoc());
  b.setInsertionPointToEnd(module->getBody());
  b.clone(*loaded.model.getOperation());
  return module;
}

} // namespace intc::driver
