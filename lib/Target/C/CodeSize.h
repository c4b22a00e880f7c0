//===- CodeSize.h - Flash and RAM of generated C on a microcontroller -*- C++
//-*-===//
//
// The C target's code size is what it costs in a Cortex-M4's flash, not on
// the host: the generated source is compiled with arm-none-eabi-gcc -Os (the
// usual firmware setting) and the sections of the object are added up. When
// no ARM compiler is installed, the source's line count is all we report.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_C_CODESIZE_H
#define INTC_LIB_TARGET_C_CODESIZE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>

namespace mlir::intc::c {

struct ObjectSize {
  uint64_t text = 0; ///< code and read-only data (flash)
  uint64_t data = 0; ///< initialised data (flash and RAM)
  uint64_t bss = 0;  ///< zero-initialised data, the static arena (RAM)
};

/// Path of arm-none-eabi-gcc on PATH, if any.
std::optional<std::string> findArmCompiler();

/// Compiles `source` for Cortex-M4 (Thumb-2, soft-float ABI, -Os, C99) with
/// `compiler`, `includeDir` on the include path, and sizes the object.
llvm::Expected<ObjectSize> measureArmObject(llvm::StringRef compiler,
                                            llvm::StringRef source,
                                            llvm::StringRef includeDir);

} // namespace mlir::intc::c

#endif // INTC_LIB_TARGET_C_CODESIZE_H
