//===- PlotCommand.cpp - intc plot RUN_DIR [-o FILE] ----------------------===//
//
// Draws a run's curves with the Python package's intc.plot (matplotlib):
// runs `python3 -m intc.plot RUN_DIR [-o FILE]` with the interpreter CMake
// chose and the build's python/ folder on PYTHONPATH, and passes its exit
// status through. Plotting is display code, so it lives in Python; the
// compiler and the runtime stay integer-only.
//
//===----------------------------------------------------------------------===//

#include "tools/intc/Commands.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

extern char **environ;

namespace intc::driver {

int runPlot(const PlotOptions &o) {
  const std::string python = INTC_PYTHON3_EXECUTABLE;
  if (!llvm::sys::fs::can_execute(python)) {
    llvm::errs() << "intc plot: error: cannot run Python 3 at '" << python
                 << "' (the interpreter intc was configured with; install "
                    "python3 and python3-matplotlib, or reconfigure with "
                    "-DPython3_EXECUTABLE=...)\n";
    return 1;
  }

  // The build's package first, then whatever the user had.
  std::vector<std::string> env;
  std::string pythonPath = std::string("PYTHONPATH=") + INTC_PYTHON_DIR;
  for (char **var = environ; var && *var; ++var) {
    llvm::StringRef entry(*var);
    if (entry.consume_front("PYTHONPATH=")) {
      if (!entry.empty())
        pythonPath += ":" + entry.str();
      continue;
    }
    env.push_back(*var);
  }
  env.push_back(pythonPath);
  llvm::SmallVector<llvm::StringRef> envRefs(env.begin(), env.end());

  llvm::SmallVector<llvm::StringRef> args = {python, "-m", "intc.plot",
                                             o.runDir};
  if (!o.out.empty()) {
    args.push_back("-o");
    args.push_back(o.out);
  }
  std::string error;
  bool failed = false;
  int rc = llvm::sys::ExecuteAndWait(python, args, envRefs, {}, 0, 0, &error,
                                     &failed);
  if (failed || rc < 0) {
    llvm::errs() << "intc plot: error: running '" << python
                 << " -m intc.plot' failed"
                 << (error.empty() ? std::string() : ": " + error) << "\n";
    return 1;
  }
  return rc;
}

} // namespace intc::driver
