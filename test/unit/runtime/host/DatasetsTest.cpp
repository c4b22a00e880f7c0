//===- DatasetsTest.cpp - Dataset names and data-directory resolution -----===//

#include "runtime/host/Datasets.h"

#include "runtime/host/Cifar10.h"
#include "runtime/host/Idx.h"
#include "runtime/host/Npy.h"
#include "runtime/host/SplitCache.h"

#include "ArrayTestUtil.h"
#include "ImageTestUtil.h"
#include "TestUtil.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include "gtest/gtest.h"

#include <cstdlib>
#include <map>

using namespace intc::host;
using namespace intc::host::test;
using ::testing::HasSubstr;

namespace {

TEST(Datasets, Names) {
  Expected<const DatasetInfo &> mnist = lookupDataset("mnist");
  ASSERT_EXPECTED(mnist);
  EXPECT_EQ(mnist->numClasses, 10u);
  EXPECT_EQ(mnist->height, 28u);
  Expected<const DatasetInfo &> cifar = lookupDataset("cifar10");
  ASSERT_EXPECTED(cifar);
  EXPECT_EQ(cifar->channels, 3u);
  EXPECT_EQ(cifar->format, DatasetFormat::Cifar10);
  Expected<const DatasetInfo &> fashion = lookupDataset("fashion-mnist");
  ASSERT_EXPECTED(fashion);
  EXPECT_EQ(fashion->trainImages, 60000u);
  EXPECT_EQ(datasetNameList(), "mnist, fashion-mnist, cifar10");
}

TEST(Datasets, UnknownNameListsTheValidOnes) {
  std::string msg = errorMessage(lookupDataset("mnsit"));
  EXPECT_EQ(msg, "unknown dataset 'mnsit'; valid names are: mnist, "
                 "fashion-mnist, cifar10");
  msg = errorMessage(loadDataset("MNIST", DataDirSearch()));
  EXPECT_THAT(msg, HasSubstr("unknown dataset 'MNIST'"));
}

TEST(Datasets, Files) {
  const DatasetInfo &mnist = *lookupDataset("mnist");
  EXPECT_EQ(datasetFiles(mnist, Split::Train),
            (std::vector<std::string>{"train-images-idx3-ubyte",
                                      "train-labels-idx1-ubyte"}));
  EXPECT_EQ(datasetFiles(mnist, Split::Test),
            (std::vector<std::string>{"t10k-images-idx3-ubyte",
                                      "t10k-labels-idx1-ubyte"}));
  EXPECT_EQ(datasetFiles(*lookupDataset("cifar10"), Split::Train).size(), 5u);
}

TEST(Datasets, DefaultDirIsCompiledIn) {
  EXPECT_FALSE(defaultDataDir().empty());
  ::unsetenv("INTC_DATA_DIR");
  DataDirSearch search = DataDirSearch::fromEnvironment("");
  EXPECT_EQ(search.defaultDir, defaultDataDir().str());
  EXPECT_EQ(search.envDir, "");
  ::setenv("INTC_DATA_DIR", "/some/where", 1);
  search = DataDirSearch::fromEnvironment("/explicit");
  ::unsetenv("INTC_DATA_DIR");
  EXPECT_EQ(search.envDir, "/some/where");
  EXPECT_EQ(search.explicitDir, "/explicit");
}

/// A tiny MNIST-format dataset (2 train, 1 test image of h×w) in \p dir.
void writeTinyIdx(const std::string &dir, uint32_t h = 28, uint32_t w = 28,
                  bool gz = false) {
  ASSERT_FALSE(llvm::sys::fs::create_directories(dir));
  auto put = [&](const char *name, std::vector<uint8_t> bytes) {
    writeFile(dir + "/" + name + (gz ? ".gz" : ""), gz ? gzip(bytes) : bytes);
  };
  put("train-images-idx3-ubyte",
      makeIdx(kIdxImagesMagic, {2, h, w}, std::vector<uint8_t>(2 * h * w, 3)));
  put("train-labels-idx1-ubyte", makeIdx(kIdxLabelsMagic, {2}, {1, 2}));
  put("t10k-images-idx3-ubyte",
      makeIdx(kIdxImagesMagic, {1, h, w}, std::vector<uint8_t>(h * w, 4)));
  put("t10k-labels-idx1-ubyte", makeIdx(kIdxLabelsMagic, {1}, {9}));
}

DataDirSearch explicitSearch(const std::string &dir) {
  DataDirSearch search;
  search.explicitDir = dir;
  search.useSystemDirs = false;
  return search;
}

TEST(DataDir, ExplicitParentOrDatasetFolder) {
  TempDir root;
  writeTinyIdx(root.file("mnist"));
  const DatasetInfo &mnist = *lookupDataset("mnist");
  Expected<std::string> viaParent =
      resolveDatasetDir(mnist, explicitSearch(root.path()));
  ASSERT_EXPECTED(viaParent);
  EXPECT_EQ(*viaParent, root.file("mnist"));
  Expected<std::string> direct =
      resolveDatasetDir(mnist, explicitSearch(root.file("mnist")));
  ASSERT_EXPECTED(direct);
  EXPECT_EQ(*direct, root.file("mnist"));
}

TEST(DataDir, ExplicitDirIsAuthoritative) {
  TempDir root, other;
  writeTinyIdx(other.file("mnist"));
  DataDirSearch search = explicitSearch(root.path());
  search.envDir = other.path(); // Has the data, but -data-dir wins.
  search.defaultDir = other.path();
  std::string msg =
      errorMessage(resolveDatasetDir(*lookupDataset("mnist"), search));
  EXPECT_THAT(msg, HasSubstr("cannot find dataset 'mnist'"));
  EXPECT_THAT(msg, HasSubstr(root.path() + " (-data-dir)"));
  EXPECT_THAT(msg, HasSubstr(root.file("mnist") + " (-data-dir)"));
  EXPECT_THAT(msg, HasSubstr("train-images-idx3-ubyte or its .gz form"));
  EXPECT_THAT(msg, ::testing::Not(HasSubstr(other.path())));
}

TEST(DataDir, EnvThenDefaultThenSystem) {
  TempDir env, def;
  const DatasetInfo &mnist = *lookupDataset("mnist");
  DataDirSearch search;
  search.envDir = env.path();
  search.defaultDir = def.path();
  search.useSystemDirs = false;

  std::string msg = errorMessage(resolveDatasetDir(mnist, search));
  EXPECT_THAT(msg, HasSubstr(env.file("mnist") + " ($INTC_DATA_DIR)"));
  EXPECT_THAT(msg, HasSubstr(def.file("mnist") + " (default data dir)"));
  EXPECT_THAT(msg, HasSubstr("pass -data-dir=DIR"));

  writeTinyIdx(def.file("mnist"), 28, 28, /*gz=*/true);
  Expected<std::string> dir = resolveDatasetDir(mnist, search);
  ASSERT_EXPECTED(dir);
  EXPECT_EQ(*dir, def.file("mnist"));

  writeTinyIdx(env.file("mnist"));
  dir = resolveDatasetDir(mnist, search);
  ASSERT_EXPECTED(dir);
  EXPECT_EQ(*dir, env.file("mnist"));
}

TEST(DataDir, FashionMnistFallsBackToDebiansPackage) {
  const DatasetInfo &fashion = *lookupDataset("fashion-mnist");
  TempDir empty;
  DataDirSearch search;
  search.defaultDir = empty.path();
  if (!containsDataset(fashion, "/usr/share/datasets/fashion-mnist"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  Expected<std::string> dir = resolveDatasetDir(fashion, search);
  ASSERT_EXPECTED(dir);
  EXPECT_EQ(*dir, "/usr/share/datasets/fashion-mnist");
}

TEST(DataDir, Cifar10TarballLayout) {
  TempDir root;
  std::string dir = root.file("cifar10/cifar-10-batches-bin");
  ASSERT_FALSE(llvm::sys::fs::create_directories(dir));
  writeFile(dir + "/test_batch.bin", std::vector<uint8_t>(3073, 1));
  Expected<std::string> found =
      resolveDatasetDir(*lookupDataset("cifar10"), explicitSearch(root.path()));
  ASSERT_EXPECTED(found);
  EXPECT_EQ(*found, dir);
}

TEST(DataDir, LoadsATinyDatasetAndChecksItsShape) {
  TempDir root;
  writeTinyIdx(root.file("mnist"));
  Expected<Dataset> data = loadDataset("mnist", explicitSearch(root.path()));
  ASSERT_EXPECTED(data);
  EXPECT_EQ(data->info->name, "mnist");
  EXPECT_EQ(data->name, "mnist");
  EXPECT_EQ(data->classNames.size(), 10u);
  EXPECT_EQ(data->dir, root.file("mnist"));
  EXPECT_EQ(data->train.n, 2u);
  EXPECT_EQ(data->train.labels, (std::vector<uint8_t>{1, 2}));
  EXPECT_EQ(data->test.n, 1u);

  // 32×32 images are not MNIST.
  TempDir wrong;
  writeTinyIdx(wrong.file("mnist"), 32, 32);
  std::string msg =
      errorMessage(loadDataset("mnist", explicitSearch(wrong.path())));
  EXPECT_THAT(msg, HasSubstr(wrong.file("mnist/train-images-idx3-ubyte")));
  EXPECT_THAT(msg, HasSubstr("images are 1x32x32 (CxHxW), but dataset 'mnist' "
                             "has 1x28x28 images"));
}

/// A SplitCache in memory that counts its calls and hands out its sets
/// "mapped", as the real one does.
struct MemorySplitCache : SplitCache {
  std::map<std::string, std::string> entries;
  unsigned loads = 0, hits = 0, stores = 0;
  std::optional<ImageSet> load(llvm::StringRef identity) override {
    ++loads;
    auto it = entries.find(identity.str());
    if (it == entries.end())
      return std::nullopt;
    ++hits;
    auto payload = std::make_shared<std::string>(it->second);
    llvm::Expected<ImageSet> set = decodeSplit(*payload, payload);
    EXPECT_TRUE(bool(set));
    if (!set) {
      llvm::consumeError(set.takeError());
      return std::nullopt;
    }
    return std::move(*set);
  }
  void store(llvm::StringRef identity, const ImageSet &set) override {
    ++stores;
    entries[identity.str()] = encodeSplit(set);
  }
};

TEST(SplitCache, SecondLoadIsMappedAndEqual) {
  TempDir root;
  writeTinyIdx(root.file("mnist"), 28, 28, /*gz=*/true);
  MemorySplitCache cache;
  setSplitCache(&cache);
  Expected<Dataset> first = loadDataset("mnist", explicitSearch(root.path()));
  Expected<Dataset> second = loadDataset("mnist", explicitSearch(root.path()));
  setSplitCache(nullptr);
  ASSERT_EXPECTED(first);
  ASSERT_EXPECTED(second);
  EXPECT_EQ(cache.stores, 2u);
  EXPECT_EQ(cache.hits, 2u);
  for (const auto &[a, b] : {std::pair(&first->train, &second->train),
                             std::pair(&first->test, &second->test)}) {
    EXPECT_FALSE(a->mapped);
    EXPECT_TRUE(b->mapped);
    EXPECT_TRUE(b->pixels.empty());
    EXPECT_EQ(
        std::vector<uint8_t>(b->pixelData().begin(), b->pixelData().end()),
        a->pixels);
    EXPECT_EQ(b->labels, a->labels);
    EXPECT_EQ(std::tie(b->n, b->c, b->h, b->w),
              std::tie(a->n, a->c, a->h, a->w));
  }
}

TEST(SplitCache, IdentityFollowsTheFiles) {
  TempDir root;
  writeTinyIdx(root.file("mnist"));
  const DatasetInfo &mnist = *lookupDataset("mnist");
  std::string dir = root.file("mnist");
  std::optional<std::string> train = splitIdentity(mnist, dir, Split::Train);
  std::optional<std::string> test = splitIdentity(mnist, dir, Split::Test);
  ASSERT_TRUE(train && test);
  EXPECT_NE(*train, *test);
  EXPECT_EQ(splitIdentity(mnist, dir, Split::Train), train);
  // The same bytes written again as a new file (another inode; an
  // in-place rewrite moves the times instead, but only as finely as the
  // kernel's clock ticks): another identity.
  std::string labels = dir + "/train-labels-idx1-ubyte";
  writeFile(labels + ".new", makeIdx(kIdxLabelsMagic, {2}, {1, 2}));
  ASSERT_FALSE(llvm::sys::fs::rename(labels + ".new", labels));
  EXPECT_NE(splitIdentity(mnist, dir, Split::Train), train);
  EXPECT_EQ(splitIdentity(mnist, dir, Split::Test), test);
  // A missing file: no identity (the reader reports the file).
  ASSERT_FALSE(llvm::sys::fs::remove(labels));
  EXPECT_FALSE(splitIdentity(mnist, dir, Split::Train));
}

TEST(SplitCache, PayloadRoundTripAndDamage) {
  ImageSet set;
  set.n = 3;
  set.c = 2;
  set.h = 1;
  set.w = 2;
  set.labels = {7, 8, 9};
  for (int i = 0; i < 12; ++i)
    set.pixels.push_back(uint8_t(200 + i));
  auto payload = std::make_shared<std::string>(encodeSplit(set));
  Expected<ImageSet> back = decodeSplit(*payload, payload);
  ASSERT_EXPECTED(back);
  EXPECT_EQ(back->labels, set.labels);
  EXPECT_EQ(
      std::vector<uint8_t>(back->pixelData().begin(), back->pixelData().end()),
      set.pixels);
  // The set keeps the payload alive.
  std::weak_ptr<std::string> weak = payload;
  payload.reset();
  EXPECT_FALSE(weak.expired());
  EXPECT_EQ(back->image(2)[1], 209);

  std::string bytes = encodeSplit(set);
  EXPECT_THAT(
      errorMessage(decodeSplit(bytes.substr(0, bytes.size() - 1), nullptr)),
      HasSubstr("not those of 3 images of 2x1x2"));
  bytes[0] = 'X';
  EXPECT_THAT(errorMessage(decodeSplit(bytes, nullptr)),
              HasSubstr("not a split"));
}

TEST(DataDir, AMissingSiblingIsReportedNotSkipped) {
  TempDir root;
  writeTinyIdx(root.file("mnist"));
  ASSERT_FALSE(
      llvm::sys::fs::remove(root.file("mnist/t10k-labels-idx1-ubyte")));
  std::string msg =
      errorMessage(loadDataset("mnist", explicitSearch(root.path())));
  EXPECT_THAT(msg, HasSubstr(root.file("mnist/t10k-labels-idx1-ubyte")));
  EXPECT_THAT(msg, HasSubstr("no such file"));
}

//===----------------------------------------------------------------------===//
// -data=PATH
//===----------------------------------------------------------------------===//

DataRequest request(llvm::StringRef spec, uint32_t c = 1, uint32_t h = 28,
                    uint32_t w = 28, uint32_t classes = 10) {
  DataRequest r;
  r.spec = spec.str();
  r.c = c;
  r.h = h;
  r.w = w;
  r.numClasses = classes;
  r.modelName = "m";
  return r;
}

TEST(DataRequest, NamesStillWork) {
  TempDir root;
  writeTinyIdx(root.file("mnist"));
  DataRequest r = request("mnist");
  r.search = explicitSearch(root.path());
  Expected<Dataset> data = loadDataset(r);
  ASSERT_EXPECTED(data);
  EXPECT_EQ(data->name, "mnist");
  EXPECT_NE(data->info, nullptr);
}

TEST(DataRequest, AnIdxFolderByPathIsReadForTheModel) {
  TempDir root;
  writeTinyIdx(root.file("mine"));
  // A path with . and .. components names the data by its clean form.
  std::string spec = root.path() + "/./mine/../mine";
  Expected<Dataset> data = loadDataset(request(spec));
  ASSERT_EXPECTED(data);
  EXPECT_EQ(data->info, nullptr);
  EXPECT_EQ(data->name, root.file("mine"));
  EXPECT_EQ(data->dir, root.file("mine"));
  EXPECT_EQ(data->train.n, 2u);
  EXPECT_EQ(data->train.labels, (std::vector<uint8_t>{1, 2}));
  EXPECT_THAT(errorMessage(loadDataset(request(spec, 1, 32, 32))),
              HasSubstr("train-images-idx3-ubyte': samples are [28, 28], but "
                        "model 'm' takes [1, 32, 32]"));
}

TEST(DataRequest, RelativePathsBecomeAbsolute) {
  TempDir root;
  writeTinyIdx(root.file("rel"));
  llvm::SmallString<256> cwd;
  ASSERT_FALSE(llvm::sys::fs::current_path(cwd));
  ASSERT_FALSE(llvm::sys::fs::set_current_path(root.path()));
  Expected<Dataset> data = loadDataset(request("rel"));
  ASSERT_FALSE(llvm::sys::fs::set_current_path(cwd));
  ASSERT_EXPECTED(data);
  // The temporary folder may be reached through a symlink; compare the tail.
  EXPECT_TRUE(llvm::sys::path::is_absolute(data->name));
  EXPECT_TRUE(llvm::StringRef(data->name).ends_with("/rel"));
}

TEST(DataRequest, NpzAndImageFolderByPath) {
  TempDir root;
  std::string npz = root.file("d.npz");
  writeZip(npz,
           {{"x_train.npy", writeNpy(makeArray(DType::U8, {2, 2, 2, 1},
                                               {1, 2, 3, 4, 5, 6, 7, 8}))},
            {"y_train.npy", writeNpy(makeArray(DType::U8, {2}, {0, 1}))},
            {"x_test.npy",
             writeNpy(makeArray(DType::I8, {1, 2, 2, 1}, {-1, 0, 1, 2}))},
            {"y_test.npy", writeNpy(makeArray(DType::I32, {1}, {1}))}},
           true);
  Expected<Dataset> data = loadDataset(request(npz, 1, 2, 2, 2));
  ASSERT_EXPECTED(data);
  EXPECT_EQ(data->name, npz);
  EXPECT_EQ(data->test.pixels, (std::vector<uint8_t>{127, 128, 129, 130}));

  std::string folder = root.file("images");
  ASSERT_FALSE(llvm::sys::fs::create_directories(folder + "/train/x"));
  ASSERT_FALSE(llvm::sys::fs::create_directories(folder + "/test/x"));
  writeFile(folder + "/train/x/1.png", makePng(2, 2, 1, {1, 2, 3, 4}));
  writeFile(folder + "/test/x/1.png", makePng(2, 2, 1, {1, 2, 3, 4}));
  data = loadDataset(request(folder, 1, 2, 2, 2));
  ASSERT_EXPECTED(data);
  EXPECT_EQ(data->classNames, (std::vector<std::string>{"x"}));
  EXPECT_EQ(data->train.pixels, (std::vector<uint8_t>{1, 2, 3, 4}));
}

TEST(DataRequest, Errors) {
  EXPECT_EQ(errorMessage(loadDataset(request("imagenet"))),
            "unknown dataset 'imagenet'; valid names are: mnist, "
            "fashion-mnist, cifar10; or give a path to an image folder, a "
            "folder of IDX files or a .npz file");
  TempDir root;
  EXPECT_THAT(errorMessage(loadDataset(request(root.file("none.npz")))),
              HasSubstr("none.npz': no such file or folder"));
  EXPECT_THAT(errorMessage(loadDataset(request("data.npz"))),
              HasSubstr("'data.npz': no such file or folder"));
  EXPECT_THAT(errorMessage(loadDataset(request(root.path()))),
              HasSubstr("is neither an image folder (it has no train/ or "
                        "test/ subfolder) nor an IDX folder"));
  writeFile(root.file("x.csv"), {1});
  EXPECT_THAT(errorMessage(loadDataset(request(root.file("x.csv")))),
              HasSubstr("x.csv' is not a dataset"));
  DataRequest withDir = request(root.path());
  withDir.search = explicitSearch(root.path());
  EXPECT_THAT(errorMessage(loadDataset(withDir)),
              HasSubstr("-data-dir only applies to the named datasets"));
}

} // namespace
