//===- RunMetrics.cpp - Where a training run's JSON lines go --------------===//

#include "runtime/host/RunMetrics.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace llvm;
using namespace intc::host;

/// \p path made absolute without `.` and `..`, to compare file names.
static std::string canonical(StringRef path) {
  SmallString<256> abs(path);
  sys::fs::make_absolute(abs);
  sys::path::remove_dots(abs, /*remove_dot_dot=*/true);
  return std::string(abs);
}

Expected<std::unique_ptr<MetricsLog>>
intc::host::openRunMetrics(const RunMetricsFiles &files) {
  bool copy = !files.metrics.empty();
  if (copy && files.metrics != "-") {
    std::string metrics = canonical(files.metrics);
    for (const std::string &output : files.reserved)
      if (!output.empty() && metrics == canonical(output))
        return createFileError(
            files.metrics,
            createStringError(std::errc::invalid_argument,
                              "-metrics names a file the run writes itself; "
                              "choose another path"));
    // -metrics=OUTDIR/metrics.jsonl: the history is the copy asked for.
    if (!files.history.empty() && metrics == canonical(files.history))
      copy = false;
  }

  std::unique_ptr<MetricsLog> log;
  for (auto [path, append] :
       {std::pair<StringRef, bool>{files.history, files.resume},
        {copy ? StringRef(files.metrics) : StringRef(), false}}) {
    if (path.empty())
      continue;
    if (!log) {
      Expected<std::unique_ptr<MetricsLog>> created =
          MetricsLog::create(path, append);
      if (!created)
        return created.takeError();
      log = std::move(*created);
    } else if (Error err = log->addFile(path, append)) {
      return std::move(err);
    }
  }
  return std::move(log);
}
