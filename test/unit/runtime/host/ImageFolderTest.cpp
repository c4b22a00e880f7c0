//===- ImageFolderTest.cpp - train/<class>/ and test/<class>/ folders -----===//

#include "runtime/host/ImageFolder.h"

#include "ImageTestUtil.h"
#include "TestUtil.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

/// An image folder of 4×4 images whose every pixel is the class's value.
struct ImageFolderFixture : ::testing::Test {
  TempDir dir;
  InputSpec gray{"m", 1, 4, 4, 3};
  InputSpec rgb{"m", 3, 4, 4, 3};

  std::string path(llvm::StringRef rel) { return dir.file(rel); }
  void mkdir(llvm::StringRef rel) {
    ASSERT_FALSE(llvm::sys::fs::create_directories(path(rel)));
  }
  void put(llvm::StringRef rel, const std::vector<uint8_t> &bytes) {
    mkdir(llvm::sys::path::parent_path(rel));
    writeFile(path(rel), bytes);
  }
  std::vector<uint8_t> grayPng(uint8_t v, uint32_t size = 4) {
    return makePng(size, size, 1, solid(size, size, 1, {v}));
  }
  /// train: b (2 images), a (1 image, a JPEG named .JPG), c (1); test: a, c.
  void writeGood() {
    put("train/b/2.png", grayPng(20));
    put("train/b/1.png", grayPng(10));
    put("train/a/x.JPG", makeJpeg(4, 4, 1, solid(4, 4, 1, {100})));
    put("train/c/only.jpeg", grayPng(30)); // A PNG under a JPEG name.
    put("test/c/t.png", grayPng(31));
    put("test/a/t.png", grayPng(101));
    // Ignored: hidden files and folders, other extensions, loose files.
    put("train/b/.hidden.png", {1, 2, 3});
    put("train/b/notes.txt", {1, 2, 3});
    put("train/.cache/x.png", {1, 2, 3});
    put("train/README.png", {1, 2, 3});
  }
};

TEST(ImageFolderNames, Extensions) {
  EXPECT_TRUE(isImageFileName("a.png"));
  EXPECT_TRUE(isImageFileName("a.PNG"));
  EXPECT_TRUE(isImageFileName("a.b.Jpeg"));
  EXPECT_TRUE(isImageFileName("a.jpg"));
  EXPECT_FALSE(isImageFileName(".a.png"));
  EXPECT_FALSE(isImageFileName("a.gif"));
  EXPECT_FALSE(isImageFileName("png"));
}

TEST_F(ImageFolderFixture, Good) {
  writeGood();
  EXPECT_TRUE(looksLikeImageFolder(dir.path()));
  llvm::Expected<ImageFolderData> data = loadImageFolder(dir.path(), gray);
  ASSERT_EXPECTED(data);
  EXPECT_EQ(data->classNames, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(data->train.n, 4u);
  EXPECT_EQ(data->train.c, 1u);
  EXPECT_EQ(data->train.h, 4u);
  // Class order, then name order within a class.
  EXPECT_EQ(data->train.labels, (std::vector<uint8_t>{0, 1, 1, 2}));
  EXPECT_NEAR(data->train.image(0)[5], 100, 1); // JPEG
  EXPECT_EQ(data->train.image(1)[0], 10);
  EXPECT_EQ(data->train.image(2)[15], 20);
  EXPECT_EQ(data->train.image(3)[0], 30);
  EXPECT_EQ(data->test.labels, (std::vector<uint8_t>{0, 2}));
  EXPECT_EQ(data->test.image(1)[0], 31);

  // The same folder for an RGB model: gray expanded to three planes.
  llvm::Expected<ImageFolderData> colour = loadImageFolder(dir.path(), rgb);
  ASSERT_EXPECTED(colour);
  EXPECT_EQ(colour->train.c, 3u);
  EXPECT_EQ(colour->train.image(1)[16 * 2 + 3], 10);
}

TEST_F(ImageFolderFixture, FlatModelTakesTheFirstImageSize) {
  writeGood();
  llvm::Expected<ImageFolderData> data =
      loadImageFolder(dir.path(), InputSpec{"m", 16, 1, 1, 3});
  ASSERT_EXPECTED(data);
  EXPECT_EQ(data->train.c, 1u);
  EXPECT_EQ(data->train.h, 4u);
  llvm::Expected<ImageFolderData> colour =
      loadImageFolder(dir.path(), InputSpec{"m", 48, 1, 1, 3});
  ASSERT_EXPECTED(colour);
  EXPECT_EQ(colour->train.c, 3u);
  EXPECT_THAT(
      errorMessage(loadImageFolder(dir.path(), InputSpec{"m", 17, 1, 1, 3})),
      HasSubstr("x.JPG': image is 4x4 (HxW), but model 'm' takes [17] "
                "features"));
}

TEST_F(ImageFolderFixture, EmptyClassFolder) {
  writeGood();
  mkdir("train/d");
  put("train/d/readme.txt", {1});
  std::string msg =
      errorMessage(loadImageFolder(dir.path(), InputSpec{"m", 1, 4, 4, 5}));
  EXPECT_EQ(msg, "'" + path("train/d") +
                     "': class folder holds no .png, .jpg or .jpeg images");
}

TEST_F(ImageFolderFixture, TooManyClasses) {
  writeGood();
  InputSpec two{"m", 1, 4, 4, 2};
  EXPECT_EQ(errorMessage(loadImageFolder(dir.path(), two)),
            "'" + path("train") +
                "' has 3 class folders, but model 'm' has 2 classes");
}

TEST_F(ImageFolderFixture, WrongSize) {
  writeGood();
  put("train/b/3.png", grayPng(5, 5));
  EXPECT_EQ(errorMessage(loadImageFolder(dir.path(), gray)),
            "'" + path("train/b/3.png") +
                "': image is 5x5 (HxW), but model 'm' takes 4x4 images (intc "
                "does not resize)");
}

TEST_F(ImageFolderFixture, WrongChannels) {
  writeGood();
  put("test/a/colour.png", makePng(4, 4, 3, solid(4, 4, 3, {1, 2, 3})));
  EXPECT_EQ(errorMessage(loadImageFolder(dir.path(), gray)),
            "'" + path("test/a/colour.png") +
                "': is RGB (3 channels), but model takes 1 channel");
  // RGB images are fine for an RGB model; 2 channels are not.
  ASSERT_EXPECTED(loadImageFolder(dir.path(), rgb));
  EXPECT_THAT(
      errorMessage(loadImageFolder(dir.path(), InputSpec{"m", 2, 4, 4, 3})),
      HasSubstr("model 'm' takes 2 input channels; image folders give "
                "1 (grayscale) or 3 (RGB)"));
}

TEST_F(ImageFolderFixture, TestClassNotInTrain) {
  writeGood();
  put("test/zebra/z.png", grayPng(1));
  EXPECT_THAT(errorMessage(loadImageFolder(dir.path(), gray)),
              HasSubstr("'" + path("test/zebra") +
                        "': class 'zebra' has no folder in '" + path("train") +
                        "'"));
}

TEST_F(ImageFolderFixture, MissingSplits) {
  put("train/a/1.png", grayPng(1));
  EXPECT_THAT(errorMessage(loadImageFolder(dir.path(), gray)),
              HasSubstr("'" + path("test") + "': missing"));
  mkdir("test");
  EXPECT_THAT(errorMessage(loadImageFolder(dir.path(), gray)),
              HasSubstr("'" + path("test") + "' has no class folders"));
  TempDir other;
  ASSERT_FALSE(llvm::sys::fs::create_directories(other.file("test/a")));
  EXPECT_THAT(errorMessage(loadImageFolder(other.path(), gray)),
              HasSubstr("'" + other.file("train") + "': missing"));
}

TEST_F(ImageFolderFixture, TruncatedAndUnreadableImages) {
  writeGood();
  std::vector<uint8_t> png = makePng(4, 4, 1, solid(4, 4, 1, {9}));
  png.resize(png.size() - 30);
  put("train/c/cut.png", png);
  EXPECT_THAT(errorMessage(loadImageFolder(dir.path(), gray)),
              HasSubstr("'" + path("train/c/cut.png") + "': corrupt PNG: "));
  llvm::sys::fs::remove(path("train/c/cut.png"));
  put("train/c/fake.png", {'n', 'o', 't', ' ', 'p', 'n', 'g'});
  EXPECT_THAT(errorMessage(loadImageFolder(dir.path(), gray)),
              HasSubstr("fake.png': not a PNG or JPEG image"));
}

} // namespace
