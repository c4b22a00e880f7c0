//===- ResumeCheck.h - May a checkpoint continue this run? ------*- C++ -*-===//
//
// A resume (`intc train -resume`, Python's resumeFrom) must continue the run
// that wrote the checkpoint: the same seed, evaluation mode, data and batch,
// the model's schedule settings, and a loop state that such a run can have
// reached. The checkpoint file is untrusted (readTrainCheckpoint checks its
// form; this checks its meaning), so anything the loop would divide by,
// index with or report is validated here. Kept out of Trainer.cpp so that the
// fuzz target of the checkpoint reader (test/fuzz) reaches it from bytes.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_RESUMECHECK_H
#define INTC_RUNTIME_HOST_RESUMECHECK_H

#include "runtime/host/TrainCheckpoint.h"
#include "runtime/host/TrainData.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>

namespace intc::host {

/// Checks that \p loaded (read from \p path, which names it in errors) may
/// continue a run whose fresh state is \p fresh (seed, noEval and the
/// model's schedule), whose context is \p context, on \p data, with
/// \p batchesPerEpoch batches per epoch.
llvm::Error checkResumable(llvm::StringRef path, const LoadedCheckpoint &loaded,
                           const LoopState &fresh, const RunContext &context,
                           const TrainData &data, uint32_t batchesPerEpoch);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_RESUMECHECK_H
