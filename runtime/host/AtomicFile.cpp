//===- AtomicFile.cpp - Replace a file atomically -------------------------===//

#include "runtime/host/AtomicFile.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <csignal>
#include <cstdlib>
#include <optional>
#include <string>

#ifdef LLVM_ON_UNIX
#include <cerrno>
#include <fcntl.h>
#include <unistd.h>
#endif

using namespace llvm;

/// Flushes the bytes of \p fd to the disk, so that after the rename the new
/// name cannot point at data that a power failure would lose.
static std::error_code syncFile(int fd) {
#ifdef LLVM_ON_UNIX
  if (::fsync(fd) != 0)
    return std::error_code(errno, std::generic_category());
#endif
  (void)fd;
  return {};
}

/// Makes the rename itself durable. Best effort: some file systems refuse
/// fsync on a directory, and the data is already safe either way.
static void syncParentDir(StringRef path) {
#ifdef LLVM_ON_UNIX
  SmallString<256> dir(sys::path::parent_path(path));
  if (dir.empty())
    dir = ".";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return;
  (void)::fsync(fd);
  ::close(fd);
#else
  (void)path;
#endif
}

/// Crash tests (test/tools/intc/crash-consistency.test): with
/// INTC_TEST_KILL_IN_WRITE=N the process kills itself (SIGKILL) inside its
/// N-th atomic write, when the temporary holds the new bytes and the
/// target still the old ones, the moment a crash is most likely to corrupt
/// a checkpoint written in place.
static void maybeKillInWrite() {
  static int writes = 0;
  static const int killAt = [] {
    std::optional<std::string> n =
        sys::Process::GetEnv("INTC_TEST_KILL_IN_WRITE");
    return n ? std::atoi(n->c_str()) : 0;
  }();
  if (++writes == killAt)
    std::raise(SIGKILL);
}

/// The temporary next to a target is "<target>.tmp-XXXXXXXX".
static constexpr char kTempInfix[] = ".tmp-";

void intc::host::removeStaleTemporaries(StringRef path) {
  StringRef dir = sys::path::parent_path(path);
  std::string prefix = (sys::path::filename(path) + kTempInfix).str();
  std::error_code ec;
  for (sys::fs::directory_iterator it(dir.empty() ? "." : dir, ec), end;
       !ec && it != end; it.increment(ec))
    if (sys::path::filename(it->path()).starts_with(prefix))
      sys::fs::remove(it->path());
}

Error intc::host::writeFileAtomically(
    StringRef path, function_ref<Error(raw_ostream &)> write) {
  Expected<sys::fs::TempFile> temp =
      sys::fs::TempFile::create(path + kTempInfix + "%%%%%%%%");
  if (!temp) {
    std::string why = toString(temp.takeError());
    return createFileError(
        path, createStringError(std::errc::io_error,
                                "cannot create a temporary file next to it: %s",
                                why.c_str()));
  }

  Error result = [&]() -> Error {
    raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    Error written = write(os);
    os.flush();
    // Clear the stream's error before it is destroyed (raw_fd_ostream aborts
    // on an unchecked error); report it unless write() already failed.
    std::error_code ec = os.error();
    os.clear_error();
    if (written)
      return written;
    maybeKillInWrite();
    if (ec)
      return createStringError(ec, "write failed: %s", ec.message().c_str());
    if (std::error_code syncEc = syncFile(temp->FD))
      return createStringError(syncEc, "cannot flush to disk: %s",
                               syncEc.message().c_str());
    return Error::success();
  }();
  if (result) {
    consumeError(temp->discard());
    return createFileError(path, std::move(result));
  }
  if (Error err = temp->keep(path))
    return createFileError(path, std::move(err));
  syncParentDir(path);
  return Error::success();
}
