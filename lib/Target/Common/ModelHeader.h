//===- ModelHeader.h - The C header of a compiled model ---------*- C++ -*-===//
//
// Every target that produces linkable code (cpu, c) ships a header that
// documents its C ABI: the three entry points (more where the code has
// predict_heads and the gradient steps: the cpu target), the batch, the state
// layout (one flat int32 array) and the name of every weight tensor in it.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_COMMON_MODELHEADER_H
#define INTC_LIB_TARGET_COMMON_MODELHEADER_H

#include "dialect/IntcModelLayout.h"

#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::intc {

/// What a trained checkpoint (`-weights=FILE`) adds to the header: the
/// training data's §7 normalisation statistics, as <M>_normalize(), so
/// firmware turns raw bytes into the model's int8 inputs exactly as training
/// did; the class names, when the data had them; and the declaration of the
/// trained weights that <model>_weights.c defines.
struct HeaderCheckpoint {
  std::string path;                  ///< the checkpoint, for the comment
  std::vector<int32_t> mean, mad;    ///< per data channel
  int64_t channelSize = 0;           ///< values per channel of one sample
  std::vector<std::string> classNames;
  uint32_t epoch = 0;
  uint64_t seed = 0;
};

struct HeaderOptions {
  std::string targetName;   ///< "cpu", "c"
  int64_t batch = 0;        ///< the compiled batch size
  unsigned weightBits = 32; ///< weight storage (16 or 32 bits)
  std::string sourceName;   ///< the model file, for the banner
  std::string extraDecls;   ///< target-specific declarations
  std::string linkNote;     ///< how to link the generated code
  /// Scratch bytes of one train_step / predict call (intc-plan-memory's
  /// arena); -1 when the target does not report them.
  int64_t trainStepArenaBytes = -1, predictArenaBytes = -1;
  std::string arenaNote; ///< where the arena lives
  /// One arena serves both entry points (<M>_ARENA_BYTES is the larger
  /// size), else one each (the sum).
  bool sharedArena = false;
  /// The caller passes the arena as the last argument (`void *arena`) of
  /// train_step / predict (cuda: device memory).
  bool trainStepArenaArg = false, predictArenaArg = false;
  /// Set by -weights=FILE.
  std::optional<HeaderCheckpoint> checkpoint;
  /// H of the code's `<m>_predict_heads` (numPredictHeads); 0: it has none.
  int64_t numHeads = 0;
  /// Scratch bytes of one predict_heads call; -1 when not reported. It has
  /// its own arena (never shared).
  int64_t predictHeadsArenaBytes = -1;
  /// The code has train_grads / apply_grads (data-parallel training: the
  /// cpu target), and with `secondGradientStep` train_grads2 /
  /// apply_grads2; their cache size and the part of grads the second step
  /// writes (gradientStepsInfo).
  bool gradientSteps = false, secondGradientStep = false;
  int64_t cacheBytes = 0, grads2Offset = 0, grads2Count = 0;
};

/// Scratch memory of a model's lowered entry points, from the
/// `intc.arena_bytes` that intc-plan-memory leaves on them.
struct ArenaSizes {
  int64_t trainStep = 0;    ///< bytes of train_step's arena
  int64_t predict = 0;      ///< bytes of predict's arena
  int64_t predictHeads = 0; ///< bytes of predict_heads' arena, if any
  /// The larger: what one arena shared by both entry points needs.
  int64_t shared() const { return std::max(trainStep, predict); }
};

/// Reads the arena sizes from the functions of a lowered module (any
/// dialect: func, llvm or emitc functions keep the attributes).
ArenaSizes getArenaSizes(Operation *module);

/// The model name as the prefix of the generated macros: upper case, any
/// other character as '_' (mlp1_mnist -> MLP1_MNIST).
std::string macroName(llvm::StringRef name);

/// Writes `<model>_weights.c`: the trained state as `const <stateType>
/// <model>_trained_state[NUM_WEIGHTS]` (the header declares it). Fails if a
/// weight does not fit `weightBits`.
LogicalResult emitTrainedWeights(ModelOp model, const HeaderOptions &options,
                                 llvm::ArrayRef<int32_t> state,
                                 llvm::raw_ostream &os);

/// Writes `<model>.h` for a model and its layout.
void emitModelHeader(ModelOp model, const ModelLayout &layout,
                     const HeaderOptions &options, llvm::raw_ostream &os);

} // namespace mlir::intc

#endif // INTC_LIB_TARGET_COMMON_MODELHEADER_H
