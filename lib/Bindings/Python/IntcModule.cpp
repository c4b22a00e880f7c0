//===- IntcModule.cpp - The intc Python extension (_intc) -----------------===//
//
// A thin pybind11 layer over driver::ModelSession, the C++ that `intc train`,
// `intc eval` and `intc predict` use, so that training from Python gives the
// CLI's weights bit for bit. NumPy arrays become the same IntArray the .npz
// reader produces and go through the same conversion (ArrayImages.h).
//
// Errors: every llvm::Error becomes intc.IntcError (a RuntimeError) with the
// CLI's message; nothing aborts the interpreter. The GIL is released while
// compiling and training; the on_epoch callback and the verbose output take
// it back. An exception raised by the callback stops training after that
// epoch and is re-raised.
//
//===----------------------------------------------------------------------===//

#include "lib/Driver/ModelSession.h"

#include "runtime/host/ArrayImages.h"
#include "runtime/host/Metrics.h"
#include "runtime/host/Prediction.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstring>
#include <exception>
#include <stdexcept>

namespace py = pybind11;
using namespace intc;

namespace {

/// Raised as intc.IntcError.
struct IntcError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void raise(llvm::Error err) {
  throw IntcError(llvm::toString(std::move(err)));
}

template <typename T> T unwrap(llvm::Expected<T> value) {
  if (!value)
    raise(value.takeError());
  return std::move(*value);
}

/// Text the C++ code prints, forwarded to Python's sys.stdout (so notebooks
/// see it), one write per flush, with the GIL.
class PythonStdout : public llvm::raw_ostream {
public:
  PythonStdout() { SetBuffered(); }
  ~PythonStdout() override { flush(); }

private:
  void write_impl(const char *ptr, size_t size) override {
    py::gil_scoped_acquire gil;
    py::module_::import("sys").attr("stdout").attr("write")(
        py::str(ptr, size));
    pos += size;
  }
  uint64_t current_pos() const override { return pos; }
  uint64_t pos = 0;
};

/// A NumPy array as the readers' IntArray (C order, native byte order).
host::IntArray toIntArray(const py::array &array, const std::string &what) {
  py::dtype dtype = array.dtype();
  const char kind = dtype.kind();
  if (kind != 'u' && kind != 'i' && kind != 'b')
    throw IntcError(what + ": dtype " + std::string(py::str(dtype)) +
                    " is not an integer type; intc is integer-only: convert "
                    "the data to uint8 or int8");
  static const std::pair<std::pair<char, int>, host::DType> kTypes[] = {
      {{'u', 1}, host::DType::U8},   {{'b', 1}, host::DType::U8},
      {{'i', 1}, host::DType::I8},   {{'u', 2}, host::DType::U16},
      {{'i', 2}, host::DType::I16},  {{'u', 4}, host::DType::U32},
      {{'i', 4}, host::DType::I32},  {{'u', 8}, host::DType::U64},
      {{'i', 8}, host::DType::I64}};
  host::IntArray out;
  bool known = false;
  for (const auto &[key, type] : kTypes)
    if (key.first == kind && key.second == dtype.itemsize()) {
      out.dtype = type;
      known = true;
    }
  if (!known)
    throw IntcError(what + ": unsupported dtype " +
                    std::string(py::str(dtype)));
  // Native byte order and C order, copying only when needed.
  py::array native = array;
  if (dtype.attr("byteorder").cast<std::string>() == ">")
    native = array.attr("astype")(dtype.attr("newbyteorder")("="));
  native = py::array::ensure(native, py::array::c_style);
  if (!native)
    throw py::error_already_set();
  for (py::ssize_t i = 0; i < native.ndim(); ++i)
    out.shape.push_back(int64_t(native.shape(i)));
  const auto *data = static_cast<const uint8_t *>(native.data());
  out.bytes.assign(data, data + native.nbytes());
  return out;
}

host::DataLayout parseLayout(const std::string &name) {
  std::optional<host::DataLayout> layout = host::parseDataLayout(name);
  if (!layout)
    throw py::value_error("layout must be 'auto', 'nchw' or 'nhwc', not '" +
                          name + "'");
  return *layout;
}

/// The per-epoch record handed to on_epoch and kept in the history.
py::dict epochDict(const host::EpochStats &e) {
  py::dict d;
  d["epoch"] = e.epoch;
  d["train_correct"] = e.trainCorrect;
  d["train_seen"] = e.trainSeen;
  d["test_correct"] = e.testCorrect;
  d["test_seen"] = e.testSeen;
  d["lr_inv"] = e.lrInv;
  d["best_epoch"] = e.bestEpoch;
  d["step"] = e.step;
  d["train_ms"] = e.trainMs;
  d["test_ms"] = e.testMs;
  // Reporting only: the one place a float appears.
  d["train_accuracy"] =
      e.trainSeen ? double(e.trainCorrect) / double(e.trainSeen) : 0.0;
  d["test_accuracy"] =
      e.testSeen ? double(e.testCorrect) / double(e.testSeen) : 0.0;
  return d;
}

class Model {
public:
  Model(std::unique_ptr<mlir::intc::CompileCache> cache,
        std::unique_ptr<driver::ModelSession> session)
      : cache(std::move(cache)), session(std::move(session)) {}

  const host::ModelInfo &info() const { return session->info(); }

  host::InputSpec spec() const {
    const host::ModelInfo &i = info();
    return {i.name, i.c, i.h, i.w, i.numClasses};
  }

  /// Images (and labels, when \p y is given) of arrays, as the npz reader
  /// makes them.
  host::ImageSet images(const py::array &x, const py::object &y,
                        host::DataLayout layout, const std::string &what) {
    host::ImageSet set = unwrap(host::imagesFromArray(
        toIntArray(x, what), spec(), layout, what));
    if (!y.is_none())
      set.labels = unwrap(host::labelsFromArray(
          toIntArray(y.cast<py::array>(), what + " labels"), spec(), set.n,
          what + " labels"));
    return set;
  }

  py::dict train(const py::array &x, const py::array &y, uint32_t epochs,
                 uint64_t seed, const py::object &xTest,
                 const py::object &yTest, const py::object &onEpoch,
                 const std::string &layoutName, uint64_t maxSteps,
                 const std::string &outDir, bool resume, bool verbose) {
    host::DataLayout layout = parseLayout(layoutName);
    if (xTest.is_none() != yTest.is_none())
      throw py::value_error("give both x_test and y_test, or neither");
    host::Dataset data;
    data.name = "arrays";
    data.train = images(x, y, layout, "x");
    if (!xTest.is_none())
      data.test = images(xTest.cast<py::array>(), yTest, layout, "x_test");

    host::TrainOptions options;
    options.epochs = epochs;
    options.seed = seed;
    options.maxSteps = maxSteps;
    options.noEval = xTest.is_none();
    options.outDir = outDir;
    options.resume = resume;
    options.progress = host::ProgressBar::Style::Off;
    options.progressOut = &llvm::nulls();
    py::list history;
    // No C++ exception may cross the training loop (built without them):
    // whatever the callback raises is kept, training stops, and it is
    // re-raised here.
    std::exception_ptr callbackError;
    options.onEpoch = [&](const host::EpochStats &stats) {
      py::gil_scoped_acquire gil;
      try {
        py::dict record = epochDict(stats);
        history.append(record);
        if (PyErr_CheckSignals() != 0) // Ctrl-C between epochs.
          throw py::error_already_set();
        if (onEpoch.is_none())
          return true;
        py::object answer = onEpoch(record);
        return !answer.is(py::bool_(false));
      } catch (...) {
        callbackError = std::current_exception();
        return false;
      }
    };

    PythonStdout stdoutStream;
    llvm::raw_ostream &out =
        verbose ? static_cast<llvm::raw_ostream &>(stdoutStream)
                : llvm::nulls();
    llvm::Expected<host::RunSummary> summary = [&] {
      py::gil_scoped_release release;
      auto result = session->train(data, options, out);
      out.flush();
      return result;
    }();
    if (callbackError)
      std::rethrow_exception(callbackError);
    host::RunSummary s = unwrap(std::move(summary));
    py::dict result;
    result["epochs_run"] = s.epochsRun;
    result["stop_reason"] = s.stopReason;
    result["best_epoch"] = s.bestEpoch;
    result["best_test_correct"] = s.bestTestCorrect;
    result["test_seen"] = s.testSeen;
    result["final_lr_inv"] = s.finalLrInv;
    result["steps"] = s.steps;
    result["best_test_accuracy"] =
        s.testSeen ? double(s.bestTestCorrect) / double(s.testSeen) : 0.0;
    result["history"] = history;
    return result;
  }

  py::dict evaluate(const py::array &x, const py::array &y,
                    const std::string &layoutName) {
    host::ImageSet set = images(x, y, parseLayout(layoutName), "x");
    llvm::Expected<host::TestCounts> counts = [&] {
      py::gil_scoped_release release;
      return session->evaluate(set, "x");
    }();
    host::TestCounts c = unwrap(std::move(counts));
    py::dict result;
    result["correct"] = c.allCorrect;
    result["seen"] = c.allSeen;
    result["accuracy"] =
        c.allSeen ? double(c.allCorrect) / double(c.allSeen) : 0.0;
    return result;
  }

  py::tuple predict(const py::array &x, const std::string &layoutName) {
    host::ImageSet set = images(x, py::none(), parseLayout(layoutName), "x");
    llvm::Expected<std::vector<int8_t>> scores = [&] {
      py::gil_scoped_release release;
      return session->predict(set, "x");
    }();
    std::vector<int8_t> s = unwrap(std::move(scores));
    const uint32_t k = info().numClasses;
    py::array_t<int8_t> scoreArray({py::ssize_t(set.n), py::ssize_t(k)});
    std::memcpy(scoreArray.mutable_data(), s.data(), s.size());
    py::array_t<int64_t> classes(py::ssize_t(set.n));
    for (uint32_t i = 0; i < set.n; ++i)
      classes.mutable_at(i) = host::predictedClass(s.data() + size_t(i) * k, k);
    return py::make_tuple(classes, scoreArray);
  }

  py::dict weights() const {
    const host::TrainState *state = session->state();
    if (!state)
      throw IntcError("model '" + info().name +
                      "' has no weights yet: train it or load a checkpoint");
    py::dict out;
    for (const host::StateTensorInfo &t : info().tensors) {
      std::vector<py::ssize_t> shape(t.shape.begin(), t.shape.end());
      py::array_t<int32_t> array(shape);
      std::memcpy(array.mutable_data(), state->weights.data() + t.offset,
                  size_t(t.numElements()) * sizeof(int32_t));
      out[py::str(t.name)] = array;
    }
    return out;
  }

  void save(const std::string &path) {
    if (llvm::Error err = session->save(path))
      raise(std::move(err));
  }
  void load(const std::string &path) {
    if (llvm::Error err = session->load(path))
      raise(std::move(err));
  }

  py::object classNames() const {
    const host::TrainState *state = session->state();
    if (!state || state->context.classNames.empty())
      return py::none();
    return py::cast(state->context.classNames);
  }

  py::object normalization() const {
    const host::TrainState *state = session->state();
    if (!state)
      return py::none();
    py::dict d;
    d["mean"] = state->context.mean;
    d["mad"] = state->context.mad;
    return d;
  }

  py::tuple inputShape() const {
    const host::ModelInfo &i = info();
    if (i.h == 1 && i.w == 1)
      return py::make_tuple(i.c);
    return py::make_tuple(i.c, i.h, i.w);
  }

  /// The session's compile cache (null: cache=False); outlives it.
  std::unique_ptr<mlir::intc::CompileCache> cache;
  std::unique_ptr<driver::ModelSession> session;
};

/// Parses and verifies a model (a file, or text when `isSource`), with the
/// diagnostics as the exception's message; compiles it through the compile
/// cache when `useCache`.
std::unique_ptr<Model> compileModel(const std::string &pathOrSource,
                                    bool isSource, const std::string &target,
                                    int64_t batch, const std::string &name,
                                    bool useCache) {
  std::string diag;
  llvm::raw_string_ostream os(diag);
  mlir::FailureOr<driver::LoadedModel> loaded =
      isSource ? driver::loadModelSource(pathOrSource, "<source>", name, os)
               : driver::loadModel(pathOrSource, name, os);
  if (mlir::failed(loaded))
    throw IntcError(llvm::StringRef(diag).rtrim().str());
  mlir::intc::CodegenOptions codegen;
  mlir::intc::CompileCacheOptions cacheOptions;
  cacheOptions.enabled = useCache;
  std::unique_ptr<mlir::intc::CompileCache> cache =
      mlir::intc::CompileCache::create(cacheOptions);
  auto session = unwrap(driver::ModelSession::create(
      std::move(*loaded), target, codegen, batch, cache.get()));
  auto model = std::make_unique<Model>(std::move(cache), std::move(session));
  // Compile now, so that a model the target cannot lower fails here.
  llvm::Error err = [&] {
    py::gil_scoped_release release;
    // Lowering diagnostics go to the message too.
    mlir::ScopedDiagnosticHandler handler(
        &driver::context(), [&](mlir::Diagnostic &d) {
          os << d.str() << "\n";
          return mlir::success();
        });
    return model->session->prepareRunner();
  }();
  if (err)
    throw IntcError(llvm::toString(std::move(err)) +
                    (diag.empty() ? "" : "\n" + diag));
  return model;
}

} // namespace

PYBIND11_MODULE(_intc, m) {
  m.doc() = "intc's compiled core; use the `intc` package.";
  py::register_exception<IntcError>(m, "IntcError", PyExc_RuntimeError);

  m.def("_compile", &compileModel, py::arg("path_or_source"),
        py::arg("is_source"), py::arg("target"), py::arg("batch"),
        py::arg("name"), py::arg("cache"));

  py::class_<Model>(m, "Model", R"doc(A compiled intc model and its weights.

Create one with intc.compile(); train(), evaluate() and predict() take NumPy
arrays; save() and load() use intc train's safetensors checkpoints.)doc")
      .def_property_readonly("name", [](const Model &m) { return m.info().name; })
      .def_property_readonly("input_shape", &Model::inputShape)
      .def_property_readonly("num_classes",
                             [](const Model &m) { return m.info().numClasses; })
      .def_property_readonly("batch",
                             [](const Model &m) { return m.info().batch; })
      .def_property_readonly("target", [](const Model &m) {
        return m.session->target().str();
      })
      .def_property_readonly("num_weights",
                             [](const Model &m) { return m.info().numWeights; })
      .def_property_readonly("trained", [](const Model &m) {
        return m.session->state() != nullptr;
      })
      .def_property_readonly("class_names", &Model::classNames)
      .def_property_readonly("normalization", &Model::normalization)
      .def_property_readonly("weights", &Model::weights,
                             "Weight tensors by name (copies, int32).")
      .def("train", &Model::train, py::arg("x"), py::arg("y"),
           py::kw_only(), py::arg("epochs") = 0, py::arg("seed") = 42,
           py::arg("x_test") = py::none(), py::arg("y_test") = py::none(),
           py::arg("on_epoch") = py::none(), py::arg("layout") = "auto",
           py::arg("max_steps") = 0, py::arg("out_dir") = "",
           py::arg("resume") = false, py::arg("verbose") = false)
      .def("evaluate", &Model::evaluate, py::arg("x"), py::arg("y"),
           py::kw_only(), py::arg("layout") = "auto")
      .def("predict", &Model::predict, py::arg("x"), py::kw_only(),
           py::arg("layout") = "auto")
      .def("save", &Model::save, py::arg("path"))
      .def("load", &Model::load, py::arg("path"));
}
