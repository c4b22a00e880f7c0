//===- CompileCommand.cpp - intc model.mlir [-target=T -o DIR] ------------===//

#include "tools/intc/Commands.h"
#include "tools/intc/CompileC.h"
#include "tools/intc/CompileCuda.h"
#include "lib/Driver/ModelLoader.h"
#include "tools/intc/OutputFiles.h"
#include "tools/intc/TrainedWeights.h"

#include "lib/Target/CPU/CpuTarget.h"
#include "lib/Target/Common/JitEntryPoints.h"
#include "lib/Target/Common/ModelHeader.h"
#include "lib/Target/Common/ReferenceModel.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::intc;

namespace intc::driver {

static std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(shape, os, "x");
  return s;
}

/// The table `intc model.mlir` prints: every layer with its inferred shape
/// and derived constants.
static void printSummary(const LoadedModel &loaded, int64_t batch) {
  ModelOp m = loaded.model;
  llvm::raw_ostream &os = llvm::outs();
  os << "model @" << m.getSymName() << " (" << loaded.path << ")\n"
     << "  dataset " << m.getDataset().value_or("(none)") << ", input "
     << shapeStr(m.getSampleShape()) << " int8, batch " << batch << ", "
     << m.getNumClasses() << " classes, one-hot " << m.getOneHot()
     << ", lr_inv " << m.getLrInv() << "\n"
     << "  " << loaded.layout.numWeights << " int32 weights in "
     << loaded.layout.tensors.size() << " tensors\n\n";
  unsigned block = 0;
  for (Operation &op : m.getBody().front().without_terminator()) {
    auto out = llvm::cast<RankedTensorType>(op.getResult(0).getType());
    std::string kind = op.getName().stripDialect().str();
    os << "  " << kind;
    if (llvm::isa<LocalLinearBlockOp, LocalConvBlockOp>(op))
      os << " " << block++;
    os << " -> " << shapeStr(out.getShape().drop_front()) << "\n";
    auto d = op.getAttrOfType<DerivedAttr>("derived");
    if (!d)
      continue;
    os << "      F = " << d.getFwdFactor() << ", init bound "
       << d.getInitBound() << "\n";
    if (d.getHeadFactor() == 0)
      continue;
    os << "      head:";
    if (!d.getHeadPool().empty()) {
      ArrayRef<int64_t> k = d.getHeadPool(), p = d.getHeadPad(),
                        g = d.getHeadGrid();
      os << " pool (" << k[0] << "," << k[1] << ") pad (" << p[0] << "," << p[1]
         << ") -> " << g[0] << "x" << g[1] << ",";
    }
    os << " dim_in_decoder " << d.getDimInDecoder()
       << ", F = " << d.getHeadFactor() << ", init bound "
       << d.getHeadInitBound() << "\n";
  }
}

static int compileCpu(const LoadedModel &loaded, const CompileOptions &o,
                      int64_t batch) {
  std::string name = loaded.model.getSymName().str();
  OwningOpRef<ModuleOp> module = cloneModelModule(loaded);
  if (failed(cpu::lowerToLLVMDialect(*module, withBatch(o.codegen, batch))))
    return 1;
  auto path = [&](StringRef ext) {
    llvm::SmallString<256> p(o.outDir);
    llvm::sys::path::append(p, name + ext.str());
    return std::string(p);
  };
  if (o.emit == "mlir")
    if (llvm::Error err = writeOutputFile(
            path(".mlir"), [&](llvm::raw_ostream &os) { module->print(os); }))
      return reportError(std::move(err));

  if (o.emit == "llvm" || o.emit == "obj")
    if (llvm::Error err =
            cpu::writeHostCode(*module, o.mcpu, o.emit == "llvm",
                               path(o.emit == "llvm" ? ".ll" : ".o")))
      return reportError(std::move(err));

  HeaderOptions header;
  header.targetName = "cpu";
  header.weightBits = o.codegen.weightBits;
  ArenaSizes arena = getArenaSizes(*module);
  header.trainStepArenaBytes = arena.trainStep;
  header.predictArenaBytes = arena.predict;
  header.numHeads = numPredictHeads(*module);
  header.predictHeadsArenaBytes = arena.predictHeads;
  GradientStepsInfo grads = gradientStepsInfo(*module);
  header.gradientSteps = grads.present;
  header.secondGradientStep = grads.second;
  header.cacheBytes = grads.cacheBytes;
  header.grads2Offset = grads.grads2Offset;
  header.grads2Count = grads.grads2Count;
  header.arenaNote = "The cpu target keeps one arena per entry point, "
                     "private to the object.";
  header.batch = batch;
  header.sourceName = llvm::sys::path::filename(loaded.path).str();
  header.linkNote =
      o.codegen.microkernels
          ? "Link with libintc_runtime_cpu.a (and -lpthread): the matmul-like "
            "loops call its\n * vectorised kernels and the large element-wise "
            "loops run on its threads\n * (-microkernels=0 gives a "
            "self-contained object)."
          : "Self-contained: needs only libc (memset/memcpy).";
  if (o.trained)
    header.checkpoint = o.trained->header;
  if (llvm::Error err = writeOutputFile(path(".h"), [&](llvm::raw_ostream &os) {
        emitModelHeader(loaded.model, loaded.layout, header, os);
      }))
    return reportError(std::move(err));
  if (o.trained)
    if (int rc = writeTrainedWeights(loaded, header, *o.trained,
                                     path("_weights.c")))
      return rc;

  // The runtime/c descriptor of the same model, to check the generated code
  // against intc_ref_train_step or to run the reference anywhere.
  if (int rc =
          writeReferenceDescriptor(loaded.model, name, path("_reference.c")))
    return rc;
  llvm::outs() << "intc: wrote "
               << path(o.emit == "obj"    ? ".o"
                       : o.emit == "llvm" ? ".ll"
                                          : ".mlir")
               << ", " << path(".h")
               << (o.trained ? ", " + path("_weights.c") : std::string())
               << " and " << path("_reference.c") << "\n";
  return 0;
}

int runCompile(const CompileOptions &o) {
  FailureOr<LoadedModel> loaded = loadModel(o.input, o.model);
  if (failed(loaded))
    return 1;
  FailureOr<int64_t> chosen = chooseBatch(*loaded, o.batch);
  if (failed(chosen))
    return 2;
  int64_t batch = *chosen;
  if (o.target.empty()) {
    printSummary(*loaded, batch);
    return 0;
  }
  if (o.target != "cpu" && o.target != "c" && o.target != "cuda") {
    llvm::errs() << "intc: error: unknown target '" << o.target
                 << "': expected cpu, c or cuda\n";
    return 2;
  }
  if (o.emit != "obj" && o.emit != "llvm" && o.emit != "mlir") {
    llvm::errs() << "intc: error: unknown -emit=" << o.emit
                 << ": expected obj, llvm or mlir\n";
    return 2;
  }
  if (o.target == "c" && o.emit == "llvm") {
    llvm::errs() << "intc: error: -emit=llvm is for the cpu and cuda targets; "
                    "-target=c writes C (obj, the default) or C and MLIR "
                    "(mlir)\n";
    return 2;
  }
  if (o.outDir.empty()) {
    llvm::errs() << "intc: error: -target=" << o.target
                 << " needs an output directory (-o DIR)\n";
    return 2;
  }
  // Every target also writes the runtime/c descriptor; a model the
  // reference runtime refuses is reported before any file is written.
  if (failed(buildReferenceModel(loaded->model)))
    return 1;
  // So is a checkpoint that cannot be compiled in.
  std::optional<TrainedWeights> trained;
  CompileOptions withWeights = o;
  if (!o.weights.empty()) {
    if (o.target == "cuda") {
      llvm::errs() << "intc: error: -weights is for the c and cpu targets, "
                      "whose header and C sources carry the trained model\n";
      return 2;
    }
    llvm::Expected<TrainedWeights> read = readTrainedWeights(*loaded, o.weights);
    if (!read)
      return reportError(read.takeError());
    if (o.codegen.weightBits == 16)
      for (auto [i, w] : llvm::enumerate(read->state))
        if (w < INT16_MIN || w > INT16_MAX)
          return reportError(llvm::createFileError(
              o.weights, llvm::createStringError(
                             "weight " + std::to_string(i) + " is " +
                             std::to_string(w) +
                             ", which does not fit -weight-bits=16; use 32")));
    trained = std::move(*read);
    withWeights.trained = &*trained;
  }
  if (std::error_code ec = llvm::sys::fs::create_directories(o.outDir))
    return reportError(llvm::createFileError(o.outDir, ec));
  if (o.target == "c")
    return compileC(*loaded, withWeights, batch);
  if (o.target == "cuda")
    return compileCuda(*loaded, withWeights, batch);
  return compileCpu(*loaded, withWeights, batch);
}

} // namespace intc::driver
