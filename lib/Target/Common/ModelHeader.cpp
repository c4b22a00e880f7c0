//===- ModelHeader.cpp - The C header of a compiled model -----------------===//

#include "lib/Target/Common/ModelHeader.h"

#include "llvm/ADT/StringExtras.h"

#include <cstdio>

using namespace mlir;
using namespace mlir::intc;

std::string mlir::intc::macroName(StringRef s) {
  std::string out;
  for (char c : s)
    out.push_back(llvm::isAlnum(c) ? llvm::toUpper(c) : '_');
  return out;
}

/// "{ -2, -4, -13 }"
static std::string initList(ArrayRef<int32_t> values) {
  std::string out = "{ ";
  for (auto [i, v] : llvm::enumerate(values))
    out += (i ? ", " : "") + std::to_string(v);
  return out + " }";
}

/// A C string literal (the class names come from folder names).
static std::string cString(StringRef text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (c < 0x20 || c >= 0x7f) {
      // Octal escapes keep UTF-8 bytes and never merge with what follows.
      char buf[8];
      snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
      continue;
    }
    out += char(c);
  }
  return out + "\"";
}

/// The normalisation section of a header with a checkpoint: the statistics
/// as macros and <model>_normalize(), which must equal runtime/c's
/// intc_data_normalize (ALGORITHM.md §7) bit for bit; the
/// test/tools/intc/c-normalize test compares them.
static void emitNormalization(StringRef name, StringRef m,
                              const HeaderCheckpoint &ckpt,
                              llvm::raw_ostream &os) {
  os << "/* Input normalisation (ALGORITHM.md §7) with the statistics of the "
        "training\n * data, from "
     << ckpt.path << " (epoch " << ckpt.epoch << ", seed " << ckpt.seed
     << "): per channel c,\n"
     << " *   x = clip((raw - 128 - MEAN[c]) * 51 / MAD[c], -128, 127)\n"
     << " * where / truncates toward zero and MAD 0 gives 0. " << name
     << "_normalize() turns\n * raw bytes (0..255, each sample INPUT_SIZE "
        "values in CHW order) into the\n * int8 inputs of train_step and "
        "predict, exactly as intc did when it\n * trained the model. */\n"
     << "#define " << m << "_NORM_CHANNELS " << ckpt.mean.size() << "\n"
     << "#define " << m << "_NORM_CHANNEL_SIZE " << ckpt.channelSize << "\n"
     << "#define " << m << "_NORM_SCALE 51\n"
     << "#define " << m << "_NORM_MEAN " << initList(ckpt.mean) << "\n"
     << "#define " << m << "_NORM_MAD " << initList(ckpt.mad) << "\n\n"
     << "static inline void " << name
     << "_normalize(const uint8_t *raw, int8_t *x, int32_t n) {\n"
     << "  static const int32_t mean[" << m << "_NORM_CHANNELS] = " << m
     << "_NORM_MEAN;\n"
     << "  static const int32_t mad[" << m << "_NORM_CHANNELS] = " << m
     << "_NORM_MAD;\n"
     << "  int32_t i, c, p;\n"
     << "  for (i = 0; i < n; ++i)\n"
     << "    for (c = 0; c < " << m << "_NORM_CHANNELS; ++c)\n"
     << "      for (p = 0; p < " << m << "_NORM_CHANNEL_SIZE; ++p) {\n"
     << "        const int32_t at = (i * " << m << "_NORM_CHANNELS + c) * "
     << m << "_NORM_CHANNEL_SIZE + p;\n"
     << "        const int32_t v = ((int32_t)raw[at] - 128 - mean[c]) * " << m
     << "_NORM_SCALE;\n"
     << "        const int32_t q = mad[c] == 0 ? 0 : v / mad[c];\n"
     << "        x[at] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);\n"
     << "      }\n"
     << "}\n\n";
  if (ckpt.classNames.empty())
    return;
  os << "/* Class names by label, from the training data. */\n"
     << "#define " << m << "_CLASS_NAMES { ";
  for (auto [i, className] : llvm::enumerate(ckpt.classNames))
    os << (i ? ", " : "") << cString(className);
  os << " }\n\n";
}

/// The data-parallel section: train_step's gradient and update halves.
static void emitGradientSteps(StringRef name, StringRef m, StringRef stateType,
                              const HeaderOptions &options,
                              llvm::raw_ostream &os) {
  os << "\n/* Data-parallel training: train_step split into gradient and "
        "update halves.\n"
     << " * Each of N ranks takes a contiguous shard of BATCH samples [offset,"
        "\n * offset + BATCH) of a global batch of G samples (the code is "
        "compiled for\n * its shard size) and, with the same state on every "
        "rank, runs\n"
     << " *   " << name
     << "_train_grads(state, x, labels, seed, step, offset, G, grads,\n"
     << " *       cache, logits);\n"
     << " *   all-reduce (sum) grads: NUM_WEIGHTS int64, laid out like the "
        "state;\n"
     << " *   " << name << "_apply_grads(state, grads, lr_inv);\n";
  if (options.secondGradientStep)
    os << " * then the linear blocks' second local step (ALGORITHM.md §3.6, "
          "Q2):\n"
       << " *   " << name << "_train_grads2(state, cache, labels, grads);\n"
       << " *   all-reduce grads[GRADS2_OFFSET, GRADS2_OFFSET + "
          "GRADS2_COUNT);\n"
       << " *   " << name << "_apply_grads2(state, grads, lr_inv);\n";
  os << " * Every rank then holds the weights train_step gives on the whole "
        "batch, bit\n * for bit. train_grads does not modify the state; "
        "cache holds CACHE_BYTES\n * bytes"
     << (options.secondGradientStep ? " for train_grads2"
                                    : " (0: unused, may be NULL)")
     << ". */\n"
     << "#define " << m << "_CACHE_BYTES " << options.cacheBytes << "\n";
  if (options.secondGradientStep)
    os << "#define " << m << "_GRADS2_OFFSET " << options.grads2Offset << "\n"
       << "#define " << m << "_GRADS2_COUNT " << options.grads2Count << "\n";
  os << "void " << name << "_train_grads(const " << stateType
     << " *state, const int8_t *x,\n"
     << "    const uint8_t *labels, int64_t seed, int64_t step, int64_t "
        "sample_offset,\n"
     << "    int64_t global_batch, int64_t *grads, uint8_t *cache, int8_t "
        "*logits);\n"
     << "void " << name << "_apply_grads(" << stateType
     << " *state, const int64_t *grads, int64_t lr_inv);\n";
  if (options.secondGradientStep)
    os << "void " << name << "_train_grads2(const " << stateType
       << " *state, const uint8_t *cache,\n"
       << "    const uint8_t *labels, int64_t *grads);\n"
       << "void " << name << "_apply_grads2(" << stateType
       << " *state, const int64_t *grads, int64_t lr_inv);\n";
}

LogicalResult mlir::intc::emitTrainedWeights(ModelOp model,
                                             const HeaderOptions &options,
                                             ArrayRef<int32_t> state,
                                             llvm::raw_ostream &os) {
  std::string name = model.getSymName().str();
  bool narrow = options.weightBits == 16;
  if (narrow)
    for (auto [i, w] : llvm::enumerate(state))
      if (w < INT16_MIN || w > INT16_MAX)
        return model.emitError()
               << "trained weight " << i << " is " << w
               << ", which does not fit -weight-bits=16; use 32";
  os << "/* " << name << "_weights.c - generated by intc from "
     << (options.checkpoint ? options.checkpoint->path : std::string("?"))
     << ". Do not edit. */\n"
     << "#include \"" << name << ".h\"\n\n"
     << "const " << (narrow ? "int16_t" : "int32_t") << " " << name
     << "_trained_state[" << macroName(name) << "_NUM_WEIGHTS] = {";
  for (auto [i, w] : llvm::enumerate(state))
    os << (i % 16 ? " " : "\n  ") << w << ",";
  os << "\n};\n";
  return success();
}

void mlir::intc::emitModelHeader(ModelOp model, const ModelLayout &layout,
                                 const HeaderOptions &options,
                                 llvm::raw_ostream &os) {
  std::string name = model.getSymName().str();
  std::string stateType = options.weightBits == 16 ? "int16_t" : "int32_t";
  std::string m = macroName(name);
  ArrayRef<int64_t> sample = model.getSampleShape();
  int64_t batch = options.batch;
  int64_t k = model.getNumClasses();
  int64_t sampleSize = 1;
  for (int64_t d : sample)
    sampleSize *= d;

  os << "/* " << name << ".h - generated by intc (target " << options.targetName
     << ") from " << options.sourceName << ". Do not edit.\n"
     << " *\n"
     << " * Integer-only NITRO-D training of model @" << name << ".\n"
     << " * All state lives in ONE " << stateType.substr(0, 5) << " array of "
     << m << "_NUM_WEIGHTS elements;\n"
     << " * every call takes exactly " << m << "_BATCH samples.\n"
     << " * The arrays passed to one call must not overlap (the code is\n"
     << " * compiled assuming so).\n"
     << " *\n"
     << " *   " << stateType << " state[" << m << "_NUM_WEIGHTS];\n"
     << " *   " << name << "_init(state, seed);\n"
     << " *   for each batch (x: BATCH x INPUT_SIZE int8, labels: BATCH "
        "uint8):\n"
     << " *     " << name
     << "_train_step(state, x, labels, lr_inv, seed, step, logits);\n"
     << " *   " << name << "_predict(state, x, logits);\n"
     << (options.numHeads
             ? " *   " + name + "_predict_heads(state, x, logits, heads);\n"
             : std::string())
     << " *\n"
     << " * lr_inv starts at " << m
     << "_LR_INV and is multiplied by the plateau factor\n"
     << " * as training stalls; seed and step (the global batch counter from "
        "0)\n"
     << " * feed the integer RNG (dropout masks). The same model, seed and "
        "data\n"
     << " * give identical weights on every intc target.\n"
     << (options.weightBits == 16
             ? " *\n * 16-bit weight storage: updates saturate at +-32767 "
               "(with "
               "weight decay,\n * trained weights stay below decay_inv, so "
               "this matches the int32\n * reference).\n"
             : "")
     << (options.linkNote.empty() ? std::string()
                                  : " *\n * " + options.linkNote + "\n")
     << " */\n"
     << "#ifndef INTC_MODEL_" << m << "_H\n"
     << "#define INTC_MODEL_" << m << "_H\n\n"
     << "#include <stdint.h>\n\n"
     << "#define " << m << "_BATCH " << batch << "\n"
     << "#define " << m << "_NUM_CLASSES " << k << "\n"
     << "#define " << m << "_INPUT_C " << sample[0] << "\n";
  if (sample.size() == 3)
    os << "#define " << m << "_INPUT_H " << sample[1] << "\n"
       << "#define " << m << "_INPUT_W " << sample[2] << "\n";
  os << "#define " << m << "_INPUT_SIZE " << sampleSize
     << " /* int8 values per sample (NCHW) */\n"
     << "#define " << m << "_NUM_WEIGHTS " << layout.numWeights << "\n";
  if (options.numHeads)
    os << "#define " << m << "_NUM_HEADS " << options.numHeads
       << " /* local blocks, each with a head */\n";
  os << "#define " << m << "_WEIGHT_BITS " << options.weightBits << "\n"
     << "#define " << m << "_STATE_BYTES (" << layout.numWeights << " * "
     << options.weightBits / 8 << ")\n"
     << "#define " << m << "_LR_INV " << model.getLrInv() << "\n"
     << "#define " << m << "_ONE_HOT " << model.getOneHot() << "\n"
     << "/* The element type of the state (WEIGHT_BITS wide). */\n"
     << "typedef " << stateType << " " << name << "_weight_t;\n\n"
     << "/* Weight tensors inside the state: offset (int32 elements) and "
        "shape,\n * row-major. */\n";
  for (const StateTensor &t : layout.tensors) {
    os << "#define " << m << "_" << macroName(t.name) << "_OFFSET " << t.offset
       << " /* [";
    llvm::interleaveComma(t.shape, os);
    os << "] */\n";
  }
  os << "#define " << m << "_NUM_TENSORS " << layout.tensors.size() << "\n\n";
  if (options.trainStepArenaBytes >= 0 && options.predictArenaBytes >= 0) {
    int64_t headsArena = options.numHeads && options.predictHeadsArenaBytes > 0
                             ? options.predictHeadsArenaBytes
                             : 0;
    os << "/* Scratch memory of one call (intc-plan-memory's arena), bytes."
       << (options.arenaNote.empty() ? "" : "\n * " + options.arenaNote)
       << " */\n"
       << "#define " << m << "_TRAIN_STEP_ARENA_BYTES "
       << options.trainStepArenaBytes << "\n"
       << "#define " << m << "_PREDICT_ARENA_BYTES "
       << options.predictArenaBytes << "\n";
    if (options.numHeads)
      os << "#define " << m << "_PREDICT_HEADS_ARENA_BYTES " << headsArena
         << "\n";
    os << "#define " << m << "_ARENA_BYTES "
       << (options.sharedArena ? std::max(options.trainStepArenaBytes,
                                          options.predictArenaBytes)
                               : options.trainStepArenaBytes +
                                     options.predictArenaBytes + headsArena)
       << "\n\n";
  }
  if (options.checkpoint)
    emitNormalization(name, m, *options.checkpoint, os);
  os << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
     << "/* Draws every weight from the integer RNG (ALGORITHM.md §5). */\n"
     << "void " << name << "_init(" << stateType
     << " *state, int64_t seed);\n\n"
     << "/* One training step; writes the training-mode output to logits\n"
     << " * (BATCH x NUM_CLASSES int8). */\n"
     << "void " << name << "_train_step(" << stateType
     << " *state, const int8_t *x, const uint8_t "
        "*labels,\n"
     << "    int64_t lr_inv, int64_t seed, int64_t step, int8_t *logits"
     << (options.trainStepArenaArg ? ",\n    void *arena" : "") << ");\n\n"
     << "/* Evaluation forward (dropout off): logits (BATCH x NUM_CLASSES "
        "int8). */\n"
     << "void " << name << "_predict(const " << stateType
     << " *state, const int8_t *x, int8_t *logits"
     << (options.predictArenaArg ? ",\n    void *arena" : "") << ");\n";
  if (options.checkpoint)
    os << "\n/* The trained weights of " << options.checkpoint->path
       << " (defined in\n * " << name
       << "_weights.c): copy them into the state to predict with, or to\n"
       << " * fine-tune from, the trained model instead of " << name
       << "_init(). */\n"
       << "extern const " << stateType << " " << name << "_trained_state["
       << m << "_NUM_WEIGHTS];\n";
  if (options.numHeads)
    os << "\n/* predict (the same logits), plus the output of each local "
          "block's head\n"
       << " * (NUM_HEADS x BATCH x NUM_CLASSES int8, blocks in model order) on "
          "its\n"
       << " * evaluation-mode block output, as its local step computes it. "
          "*/\n"
       << "void " << name << "_predict_heads(const " << stateType
       << " *state, const int8_t *x,\n    int8_t *logits, int8_t *heads);\n";
  if (options.gradientSteps)
    emitGradientSteps(name, m, stateType, options, os);
  if (!options.extraDecls.empty())
    os << "\n" << options.extraDecls;
  os << "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* INTC_MODEL_" << m
     << "_H */\n";
}

ArenaSizes mlir::intc::getArenaSizes(Operation *module) {
  ArenaSizes sizes;
  module->walk([&](Operation *op) {
    auto entry = op->getAttrOfType<StringAttr>("intc.entry");
    auto bytes = op->getAttrOfType<IntegerAttr>("intc.arena_bytes");
    if (!entry || !bytes)
      return;
    if (entry.getValue() == "train_step")
      sizes.trainStep = bytes.getInt();
    else if (entry.getValue() == "predict")
      sizes.predict = bytes.getInt();
    else if (entry.getValue() == "predict_heads")
      sizes.predictHeads = bytes.getInt();
  });
  return sizes;
}
