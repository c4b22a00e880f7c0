//===- RunMetrics.h - Where a training run's JSON lines go ------*- C++ -*-===//
//
// `intc train` writes its events (Metrics.h) to up to two files:
//  * the run's history, OUTDIR/metrics.jsonl (with -o): a fresh run
//    truncates it and a resume appends to it, so that it tells the whole
//    run across invocations (each begins with its own "start" event);
//  * the -metrics file (truncated; "-": stdout): this invocation's events
//    only, where the user asked for them.
// When -metrics names the history itself, the events are written once.
//
//===----------------------------------------------------------------------===//

#ifndef INTC_RUNTIME_HOST_RUNMETRICS_H
#define INTC_RUNTIME_HOST_RUNMETRICS_H

#include "runtime/host/Metrics.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace intc::host {

struct RunMetricsFiles {
  std::string history; // OUTDIR/metrics.jsonl; "": no run directory.
  bool resume = false; // Append to the history instead of truncating it.
  std::string metrics; // -metrics: "": none, "-": stdout.
  // The run's other files (checkpoint, summary), which -metrics must not
  // name: the run would silently replace the log.
  std::vector<std::string> reserved;
};

/// Opens the logs of \p files; a null log when there are none.
llvm::Expected<std::unique_ptr<MetricsLog>>
openRunMetrics(const RunMetricsFiles &files);

} // namespace intc::host

#endif // INTC_RUNTIME_HOST_RUNMETRICS_H
