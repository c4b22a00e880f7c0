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

std::shared_ptr<const uint8_t> intc::host::ImageSet::sharedPixels() const {
  if (mapped)
    return mapped;
  auto copy = std::make_shared<std::vector<uint8_t>>();
  reserveLarge(*copy, pixels.size());
  copy->assign(pixels.begin(), pixels.end());
  // Aliasing: the pointer is the vector's data, the owner the vector.
  return std::shared_ptr<const uint8_t>(copy, copy->data());
}
