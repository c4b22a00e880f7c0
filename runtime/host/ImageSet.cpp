//===- ImageSet.cpp - An in-memory labelled image dataset -----------------===//

#include "runtime/host/ImageSet.h"

#ifdef __linux__
#include <sys/mman.h>
#include <unistd.h>
#endif

using namespace llvm;

StringRef intc::host::splitName(Split split) {
  return split == Split::Train ? "train" : "test";
}

void intc::host::adviseHugePages(void *data, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr size_t kHuge = size_t(2) << 20;
  if (!data || bytes < 2 * kHuge)
    return;
  // madvise takes whole pages; huge pages cover the 2 MB-aligned interior.
  const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  uintptr_t start =
      (reinterpret_cast<uintptr_t>(data) + page - 1) / page * page;
  uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) / page * page;
  if (end > start)
    (void)madvise(reinterpret_cast<void *>(start), end - start, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}
