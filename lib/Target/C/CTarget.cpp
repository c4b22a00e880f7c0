//===- CTarget.cpp - The C target -----------------------------------------===//

#include "lib/Target/C/CTarget.h"
#include "lib/Pipeline/Pipelines.h"
#include "lib/Target/Common/ModelHeader.h"

#include "mlir/Dialect/EmitC/IR/EmitC.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/Cpp/CppEmitter.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::intc;

LogicalResult c::lowerToEmitC(ModuleOp module, int64_t batch,
                              unsigned weightBits) {
  PassManager pm(module.getContext());
  CodegenOptions options = cCodegenOptions(batch);
  options.weightBits = weightBits;
  buildCPipeline(pm, options);
  return pm.run(module);
}

namespace {

/// One parameter of a public entry point (the model header's prototype) and
/// the expression that passes it to the body, whose memref parameters are
/// plain mutable arrays.
struct Param {
  const char *decl;
  const char *arg;
};

ArrayRef<Param> entryParams(StringRef entry) {
  static const Param init[] = {{"int32_t *state", "state"},
                               {"int64_t seed", "seed"}};
  static const Param train[] = {{"int32_t *state", "state"},
                                {"const int8_t *x", "(int8_t *)x"},
                                {"const uint8_t *labels", "(int8_t *)labels"},
                                {"int64_t lr_inv", "lr_inv"},
                                {"int64_t seed", "seed"},
                                {"int64_t step", "step"},
                                {"int8_t *logits", "logits"}};
  static const Param predict[] = {{"const int32_t *state", "(int32_t *)state"},
                                  {"const int8_t *x", "(int8_t *)x"},
                                  {"int8_t *logits", "logits"}};
  if (entry == "init")
    return init;
  if (entry == "train_step")
    return train;
  if (entry == "predict")
    return predict;
  return {};
}

/// The parameter's name: the last identifier of its declaration.
StringRef paramName(const Param &p) {
  StringRef decl(p.decl);
  return decl.substr(decl.find_last_of(" *") + 1);
}

std::string cIntType(Type t) {
  return "int" + std::to_string(t.getIntOrFloatBitWidth()) + "_t";
}

/// An entry point of the model, found on its lowered body.
struct Entry {
  emitc::FuncOp body;
  std::string kind; ///< init, train_step, predict
  SmallVector<Type> arenaTypes;
  /// For each parameter of the body before pruning: whether it is kept.
  llvm::BitVector kept;
};

/// `-9223372036854775808` is not a C integer constant (the literal is too
/// large before the minus applies), so INT64_MIN is spelled by name.
void spellInt64Min(ModuleOp module) {
  module.walk([](emitc::ConstantOp op) {
    auto value = llvm::dyn_cast<IntegerAttr>(op.getValue());
    if (value && value.getType().isInteger(64) &&
        value.getValue().isMinSignedValue())
      op.setValueAttr(emitc::OpaqueAttr::get(op.getContext(), "INT64_MIN"));
  });
}

} // namespace

LogicalResult c::emitModelSource(ModuleOp module, const SourceOptions &options,
                                 llvm::raw_ostream &os) {
  ArenaSizes arena = getArenaSizes(module);
  SmallVector<Entry> entries;
  for (auto fn : module.getOps<emitc::FuncOp>()) {
    auto kind = fn->getAttrOfType<StringAttr>("intc.entry");
    if (!kind)
      continue;
    Entry e{fn, kind.str(), {}, llvm::BitVector(fn.getNumArguments(), true)};
    if (auto types = fn->getAttrOfType<ArrayAttr>("intc.arena_args"))
      for (Attribute t : types)
        e.arenaTypes.push_back(llvm::cast<TypeAttr>(t).getValue());
    size_t expected = entryParams(e.kind).size() + e.arenaTypes.size();
    if (expected == e.arenaTypes.size() || fn.getNumArguments() != expected)
      return fn.emitOpError("is not an init/train_step/predict entry with the "
                            "model header's parameters");
    entries.push_back(std::move(e));
  }
  if (entries.empty())
    return module.emitError("no model entry points to emit as C");

  // Bodies are static and named <entry>_body; a parameter they never read
  // (seed and step without dropout) is dropped so that -Wextra stays quiet,
  // and the entry point casts it to void instead.
  MLIRContext *ctx = module.getContext();
  for (Entry &e : entries) {
    emitc::FuncOp fn = e.body;
    llvm::BitVector unused(fn.getNumArguments());
    for (BlockArgument arg : fn.getArguments())
      if (arg.use_empty()) {
        unused.set(arg.getArgNumber());
        e.kept.reset(arg.getArgNumber());
      }
    if (failed(fn.eraseArguments(unused)))
      return fn.emitOpError("cannot drop its unused parameters");
    fn.setSymName((fn.getSymName() + "_body").str());
    fn.setSpecifiersAttr(ArrayAttr::get(ctx, {StringAttr::get(ctx, "static")}));
  }
  spellInt64Min(module);

  std::string m = options.modelName, upper = macroName(m);
  os << "/* " << options.banner << "\n"
     << " *\n"
     << " * Freestanding C99: no heap, no floating point, no library calls.\n"
     << " * The function bodies come from MLIR's EmitC; the entry points at "
        "the end\n"
     << " * have the C ABI of " << options.headerName << ". */\n"
     << "#include \"" << options.headerName << "\"\n\n"
     << "#include <stddef.h>\n#include <stdint.h>\n\n"
     << "/* EmitC spells i1 values `bool`: C99's _Bool, without "
        "<stdbool.h>. */\n"
     << "#ifndef bool\n#define bool _Bool\n#endif\n\n";
  if (failed(emitc::translateToCpp(module, os)))
    return failure();

  os << "\n/* ---- Entry points: the ABI of " << options.headerName
     << " ---- */\n\n";
  std::string arenaName = m + "_arena";
  if (arena.shared() > 0)
    os << "/* Scratch memory of train_step and predict, laid out by "
          "intc-plan-memory\n"
       << " * (64-byte aligned offsets); int64_t for alignment. The two "
          "entry points\n"
       << " * share it: calls must not overlap (no reentrancy). */\n"
       << "static int64_t " << arenaName << "[(" << upper
       << "_ARENA_BYTES + 7) / 8];\n\n";
  for (Entry &e : entries) {
    ArrayRef<Param> params = entryParams(e.kind);
    os << "void " << m << "_" << e.kind << "(";
    // The state's element type follows the weight storage (16 or 32 bits).
    llvm::interleaveComma(params, os, [&](const Param &p) {
      std::string decl = p.decl;
      if (StringRef(decl).contains("*state"))
        decl.replace(decl.find("int32_t"), 7, options.stateType);
      os << decl;
    });
    os << ") {\n";
    SmallVector<std::string> args;
    for (auto [i, p] : llvm::enumerate(params)) {
      if (e.kept.test(i))
        args.push_back(StringRef(p.arg) == "(int32_t *)state"
                           ? "(" + options.stateType + " *)state"
                           : std::string(p.arg));
      else
        os << "  (void)" << paramName(p) << ";\n";
    }
    for (auto [i, t] : llvm::enumerate(e.arenaTypes))
      if (e.kept.test(params.size() + i))
        args.push_back("(" + cIntType(t) + " *)" + arenaName);
    os << "  " << e.body.getSymName() << "(";
    llvm::interleaveComma(args, os);
    os << ");\n}\n\n";
  }
  return success();
}
