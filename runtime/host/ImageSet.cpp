//===- ImageSet.cpp - An in-memory labelled image dataset -----------------===//

#include "runtime/host/ImageSet.h"

using namespace llvm;

StringRef intc::host::splitName(Split split) {
  return split == Split::Train ? "train" : "test";
}
