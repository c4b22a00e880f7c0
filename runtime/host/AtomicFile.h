//===- AtomicFile.h - Replace a file atomically -----------------*- C++ -*-===//
//
// Checkpoints are rewritten every epoch; a crash, a full disk or a kill in
// the middle of a write must never leave a truncated checkpoint behind. The
// new contents go to a temporary file in the same folder (rename() is atomic
// only within one file system), which is flushed to disk and then renamed
// over the target.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_ATOMICFILE_H
#define INTC_RUNTIME_HOST_ATOMICFILE_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace intc::host {

/// Calls \p write with a stream to a temporary file next to \p path, then
/// makes the result durable and renames it to \p path. If \p write fails or
/// any I/O fails, \p path is untouched, the temporary file is removed and the
/// error names \p path.
llvm::Error
writeFileAtomically(llvm::StringRef path,
                    llvm::function_ref<llvm::Error(llvm::raw_ostream &)> write);

/// Removes the temporary files writeFileAtomically left next to \p path when
/// its process was killed mid-write. Only safe while no other process
/// writes \p path.
void removeStaleTemporaries(llvm::StringRef path);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_ATOMICFILE_H
