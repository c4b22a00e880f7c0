//===- TrainCheckpointTest.cpp - Reading training checkpoints back --------===//
//
// readTrainCheckpoint on checkpoints whose metadata a file could hold but no
// run writes: the regressions of what intc-fuzz-checkpoint found
// (test/fuzz/README.md). The training loop's own tests are in TrainerTest.
//
//===----------------------------------------------------------------------===//

#include "runtime/host/TrainCheckpoint.h"
#include "runtime/host/Checkpoint.h"

#include "TestUtil.h"

#include "gtest/gtest.h"

#include <string>

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

/// One 2x4 weight tensor; 1x2x2 inputs, 2 classes.
ModelInfo tinyInfo() {
  ModelInfo info;
  info.name = "tiny";
  info.c = 1;
  info.h = 2;
  info.w = 2;
  info.numClasses = 2;
  info.numWeights = 8;
  info.tensors = {{"w", {2, 4}, 0}};
  info.batch = 2;
  return info;
}

/// A valid checkpoint of tinyInfo() at \p path, as a run writes it.
void writeValid(const std::string &path) {
  std::vector<int32_t> state = {1, 2, 3, 4, 5, 6, 7, 8};
  LoopState loop;
  loop.seed = 7;
  loop.schedule.lr_inv = 512;
  RunContext context;
  context.model = "tiny";
  context.dataset = "data";
  context.batch = 2;
  context.trainImages = 4;
  context.testImages = 2;
  context.numWeights = 8;
  context.mean = {3};
  context.mad = {9};
  context.classNames = {"a", "b"};
  ASSERT_NO_ERROR(
      writeTrainCheckpoint(path, tinyInfo(), state.data(), loop, context));
}

/// Rewrites the metadata entry \p key of the checkpoint at \p path.
void setMetadata(const std::string &path, const std::string &key,
                 const std::string &value) {
  Expected<Checkpoint> ckpt = readSafetensors(path);
  ASSERT_EXPECTED(ckpt);
  ckpt->metadata[key] = value;
  std::vector<TensorView> views;
  for (const Tensor &t : ckpt->tensors)
    views.push_back(t.view());
  ASSERT_NO_ERROR(writeSafetensors(path, views, ckpt->metadata));
}

std::string readError(const std::string &path) {
  std::vector<int32_t> state(8);
  return errorMessage(readTrainCheckpoint(path, tinyInfo(), state.data()));
}

TEST(TrainCheckpoint, TheValidBaseReads) {
  TempDir dir;
  std::string path = dir.file("model.safetensors");
  writeValid(path);
  std::vector<int32_t> state(8);
  Expected<LoadedCheckpoint> loaded =
      readTrainCheckpoint(path, tinyInfo(), state.data());
  ASSERT_EXPECTED(loaded);
  EXPECT_EQ(loaded->context.classNames, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(state, (std::vector<int32_t>{1, 2, 3, 4, 5, 6, 7, 8}));
}

// class_names was handed to llvm::json::parse, which recurses once per
// nesting level: a checkpoint whose class_names is a million '[' overflowed
// the stack of intc eval, intc predict and intc train -resume. (Found while
// writing intc-fuzz-checkpoint; its inputs are too short to reach the
// depth that overflows.)
TEST(TrainCheckpoint, DeeplyNestedClassNamesAreAnError) {
  TempDir dir;
  std::string path = dir.file("model.safetensors");
  writeValid(path);
  constexpr size_t kDepth = 1000000;
  setMetadata(path, "class_names",
              std::string(kDepth, '[') + std::string(kDepth, ']'));
  EXPECT_THAT(readError(path), HasSubstr("malformed metadata 'class_names'"));
  setMetadata(path, "class_names", R"([["a"], "b"])");
  EXPECT_THAT(readError(path), HasSubstr("malformed metadata 'class_names'"));
}

} // namespace
