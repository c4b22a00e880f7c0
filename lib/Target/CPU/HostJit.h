//===- HostJit.h - JIT-compile generated code for this host -----*- C++ -*-===//
//
// The cpu runner and both cuda runners JIT an LLVM-dialect module the same
// way: for this host's CPU and features, at O3, with the runtime functions
// the generated code calls bound to their addresses in this executable.
//
// It happens in two halves, so that the compile cache (CompileCache.h) can
// keep the first: compileHostCode turns the module into HostCode (a
// relocatable object for this host and the facts about the module the
// runners need), and HostJit::load links HostCode into the process (ORC's
// LLJIT). A cache hit skips the first half; both paths load the same bytes
// the same way, so cached and uncached runs execute identical code.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_LIB_TARGET_CPU_HOSTJIT_H
#define INTC_LIB_TARGET_CPU_HOSTJIT_H

#include "lib/Target/Common/CompileCache.h"
#include "lib/Target/Common/JitEntryPoints.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ExecutionEngine/Orc/Shared/ExecutorAddress.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace mlir::intc::cpu {

/// A function the generated code calls, linked into this executable.
struct JitSymbol {
  llvm::StringRef name;
  llvm::orc::ExecutorAddr address;
};

/// `INTC_JIT_SYMBOL(f)`: f, bound under its own name.
#define INTC_JIT_SYMBOL(fn)                                                    \
  ::mlir::intc::cpu::JitSymbol { #fn, llvm::orc::ExecutorAddr::fromPtr(&fn) }

/// Compiled code of a lowered module, ready to link.
struct HostCode {
  std::string object; ///< an ELF relocatable object for this host
  CompiledModelInfo info;
  /// The module's global constructors / destructors (the cuda target loads
  /// its device image in one), gathered into one function each that
  /// HostJit calls after linking / before unloading: a JIT has no loader
  /// that would run .init_array.
  bool hasCtors = false, hasDtors = false;
  /// The planned arenas (intc-plan-memory's `<entry>_arena`), left
  /// undefined in the object: HostJit::load maps each as fresh anonymous
  /// memory, zero pages the kernel fills on first touch, instead of the
  /// JIT zero-filling hundreds of MB of sections at every start.
  struct Arena {
    std::string name;
    uint64_t bytes = 0;
  };
  std::vector<Arena> arenas;

  /// The compile cache's payload: a text header ("intc-host-code", the
  /// flags and CompiledModelInfo's lines, an empty line), then the object.
  std::string serialize() const;
  static llvm::Expected<HostCode> parse(llvm::StringRef payload);
};

/// Translates `module` (LLVM dialect) to LLVM IR, optimises it at O3 for
/// this host's CPU and features, and emits an object into memory.
llvm::Expected<HostCode> compileHostCode(ModuleOp module);

/// The HostCode of `key`: from `cache` when it holds a valid entry for it
/// (null: no cache), else made by `compile` and stored there. A payload
/// that does not parse is discarded and rebuilt.
llvm::Expected<HostCode>
getHostCode(CompileCache *cache, const CacheKey &key,
            llvm::function_ref<llvm::Expected<HostCode>()> compile);

/// HostCode linked into this process.
class HostJit {
public:
  /// Links `code`, binding `symbols` (and memset & co. from the process),
  /// and runs its constructors.
  static llvm::Expected<std::unique_ptr<HostJit>>
  load(const HostCode &code, llvm::ArrayRef<JitSymbol> symbols);
  /// Runs the code's destructors.
  ~HostJit();

  /// The address of the function `name`.
  llvm::Expected<void *> lookup(llvm::StringRef name);

private:
  HostJit() = default;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  void (*dtors)() = nullptr;
  /// The arenas' mappings (address, bytes), unmapped after the JIT.
  std::vector<std::pair<void *, uint64_t>> arenaMaps;
};

} // namespace mlir::intc::cpu

#endif // INTC_LIB_TARGET_CPU_HOSTJIT_H
