//===- TrainCheckpoint.cpp - Training checkpoints: weights + loop ---------===//

#include "runtime/host/TrainCheckpoint.h"

#include <cstdlib>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <cstdlib>
#include <cstring>
#include <map>

using namespace llvm;
using namespace intc::host;

static const char kFormat[] = "intc-checkpoint";
static const char kFormatVersion[] = "1";

namespace {

/// Writes or reads the same list of integer fields, so that the two sides
/// cannot drift apart.
struct Fields {
  std::map<std::string, std::string> *out = nullptr;      // Writing.
  const std::map<std::string, std::string> *in = nullptr; // Reading.
  std::string missing;                                    // First bad key.

  template <typename T> void field(const std::string &key, T &value) {
    if (out) {
      (*out)[key] = std::to_string(value);
      return;
    }
    auto it = in->find(key);
    T parsed;
    if (it == in->end() || StringRef(it->second).getAsInteger(10, parsed)) {
      if (missing.empty())
        missing = key;
      return;
    }
    value = parsed;
  }
  void flag(const std::string &key, bool &value) {
    uint32_t v = value;
    field(key, v);
    value = v != 0;
  }
  void monitor(const std::string &prefix, intc_monitor &m) {
    field(prefix + ".factor", m.factor);
    field(prefix + ".patience", m.patience);
    field(prefix + ".from_epoch", m.from_epoch);
    field(prefix + ".min_delta_pct", m.min_delta_pct);
    field(prefix + ".epoch_count", m.epoch_count);
    field(prefix + ".best_correct", m.best_correct);
    field(prefix + ".counter", m.counter);
  }
  void all(LoopState &loop, RunContext &context) {
    field("seed", loop.seed);
    field("epoch", loop.epochsDone);
    field("global_step", loop.step);
    field("lr_inv", loop.schedule.lr_inv);
    field("epoch_batches_done", loop.epochBatchesDone);
    field("epoch_train_correct", loop.epochTrainCorrect);
    monitor("schedule.early_stop", loop.schedule.early_stop);
    monitor("schedule.plateau", loop.schedule.plateau);
    field("best_epoch", loop.bestEpoch);
    field("best_test_correct", loop.bestTestCorrect);
    field("best_test_seen", loop.bestTestSeen);
    field("train_correct_at_best", loop.trainCorrectAtBest);
    field("train_seen_at_best", loop.trainSeenAtBest);
    flag("early_stopped", loop.earlyStopped);
    flag("no_eval", loop.noEval);
    field("batch_size", context.batch);
    field("train_images", context.trainImages);
    field("test_images", context.testImages);
    field("num_weights", context.numWeights);
  }
};

} // namespace

static std::string formatList(const std::vector<int32_t> &values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i)
    out += (i ? ", " : "") + std::to_string(values[i]);
  return out + "]";
}

Error intc::host::writeTrainCheckpoint(StringRef path, const ModelInfo &info,
                                       const int32_t *state,
                                       const LoopState &loop,
                                       const RunContext &context) {
  std::vector<TensorView> tensors;
  for (const StateTensorInfo &tensor : info.tensors)
    tensors.push_back(TensorView::get<int32_t>(
        tensor.name, tensor.shape,
        ArrayRef<int32_t>(state + tensor.offset, tensor.numElements())));

  std::map<std::string, std::string> metadata = {
      {"format", kFormat},
      {"format_version", kFormatVersion},
      {"model", context.model},
      {"target", context.target},
      {"dataset", context.dataset},
      {"norm_mean", formatList(context.mean)},
      {"norm_mad", formatList(context.mad)}};
  if (!context.classNames.empty()) {
    json::Array names;
    for (const std::string &name : context.classNames)
      names.push_back(name);
    metadata["class_names"] = formatv("{0}", json::Value(std::move(names)));
  }
  LoopState loopCopy = loop;
  RunContext contextCopy = context;
  Fields fields;
  fields.out = &metadata;
  fields.all(loopCopy, contextCopy);
  return writeSafetensors(path, tensors, metadata);
}

/// The inverse of formatList(); false if \p text is malformed.
static bool parseList(StringRef text, std::vector<int32_t> &values) {
  text = text.trim();
  if (!text.consume_front("[") || !text.consume_back("]"))
    return false;
  values.clear();
  if (text.trim().empty())
    return true;
  SmallVector<StringRef> parts;
  text.split(parts, ',');
  for (StringRef part : parts) {
    int32_t value;
    if (part.trim().getAsInteger(10, value))
      return false;
    values.push_back(value);
  }
  return true;
}

static Error badCheckpoint(StringRef path, const Twine &msg) {
  return createFileError(path, createStringError(std::errc::invalid_argument,
                                                 "%s", msg.str().c_str()));
}

Expected<LoadedCheckpoint>
intc::host::readTrainCheckpoint(StringRef path, const ModelInfo &info,
                                int32_t *state) {
  Expected<Checkpoint> checkpoint = readSafetensors(path);
  if (!checkpoint)
    return checkpoint.takeError();
  return parseTrainCheckpoint(*checkpoint, info, state);
}

Expected<LoadedCheckpoint>
intc::host::parseTrainCheckpoint(const Checkpoint &checkpoint,
                                 const ModelInfo &info, int32_t *state) {
  StringRef path = checkpoint.path;
  const std::map<std::string, std::string> &metadata = checkpoint.metadata;
  auto format = metadata.find("format");
  if (format == metadata.end() || format->second != kFormat)
    return badCheckpoint(path, "not an intc training checkpoint (no "
                               "'format: " +
                                   Twine(kFormat) + "' metadata)");
  auto version = metadata.find("format_version");
  if (version == metadata.end() || version->second != kFormatVersion) {
    // Say which way the versions differ: an old run's checkpoint wants the
    // intc that wrote it, a newer one an update.
    std::string found = version == metadata.end() ? "" : version->second;
    unsigned number = 0;
    std::string who = "an unknown writer";
    if (!StringRef(found).getAsInteger(10, number))
      who = number < unsigned(std::atoi(kFormatVersion)) ? "an older intc"
                                                         : "a newer intc";
    return badCheckpoint(
        path, "was written by " + who + " (checkpoint format version '" +
                  found + "'; this intc reads version " + kFormatVersion + ")");
  }
  if (Error err = checkTensors(checkpoint, checkpointSpecs(info))) {
    // Tensors that do not fit usually mean another model's checkpoint: name
    // both models (a renamed model with the same tensors still loads).
    auto model = metadata.find("model");
    if (model == metadata.end() || model->second == info.name)
      return std::move(err);
    std::string why = toString(std::move(err));
    StringRef reason(why);
    reason.consume_front("'" + path.str() + "': ");
    return badCheckpoint(path, "is a checkpoint of model @" + model->second +
                                   ", not of @" + info.name + ": " + reason);
  }

  LoadedCheckpoint loaded;
  Fields fields;
  fields.in = &metadata;
  fields.all(loaded.loop, loaded.context);
  if (!fields.missing.empty())
    return badCheckpoint(path, "missing or malformed metadata '" +
                                   fields.missing + "'");
  auto text = [&](const char *key) {
    auto it = metadata.find(key);
    return it == metadata.end() ? std::string() : it->second;
  };
  loaded.context.model = text("model");
  loaded.context.target = text("target");
  loaded.context.dataset = text("dataset");
  for (auto [key, list] : {std::pair{"norm_mean", &loaded.context.mean},
                           std::pair{"norm_mad", &loaded.context.mad}})
    if (!parseList(text(key), *list))
      return badCheckpoint(path, "missing or malformed metadata '" +
                                     Twine(key) + "'");
  for (int32_t mean : loaded.context.mean)
    if (mean < -128 || mean > 127)
      return badCheckpoint(path, "has a normalisation mean of " + Twine(mean) +
                                     ", outside [-128, 127]");
  for (int32_t mad : loaded.context.mad)
    if (mad < 0 || mad > 255)
      return badCheckpoint(path, "has a normalisation MAD of " + Twine(mad) +
                                     ", outside [0, 255]");
  if (loaded.context.mean.size() != loaded.context.mad.size())
    return badCheckpoint(path, "has " + Twine(loaded.context.mean.size()) +
                                   " normalisation means but " +
                                   Twine(loaded.context.mad.size()) + " MADs");
  if (auto names = metadata.find("class_names"); names != metadata.end()) {
    // An array of strings nests one level; anything deeper is refused
    // before json::parse, which recurses once per level (a string of a
    // million '[' overflowed the stack).
    Expected<json::Value> parsed =
        jsonNestingDepth(names->second) <= 1
            ? json::parse(names->second)
            : Expected<json::Value>(createStringError("nested too deep"));
    const json::Array *array = parsed ? parsed->getAsArray() : nullptr;
    if (!parsed)
      consumeError(parsed.takeError());
    if (!array)
      return badCheckpoint(path, "malformed metadata 'class_names' (expected "
                                 "a JSON array of strings)");
    for (const json::Value &name : *array) {
      std::optional<StringRef> text = name.getAsString();
      if (!text)
        return badCheckpoint(path, "malformed metadata 'class_names' "
                                   "(expected a JSON array of strings)");
      loaded.context.classNames.push_back(text->str());
    }
    if (loaded.context.classNames.size() > info.numClasses)
      return badCheckpoint(path, "names " +
                                     Twine(loaded.context.classNames.size()) +
                                     " classes, model '" + info.name +
                                     "' has " + Twine(info.numClasses));
  }
  if (loaded.context.numWeights != info.numWeights)
    return badCheckpoint(path, "holds " + Twine(loaded.context.numWeights) +
                                   " weights, model '" + info.name + "' has " +
                                   Twine(info.numWeights));

  for (const StateTensorInfo &tensor : info.tensors) {
    const Tensor *stored = checkpoint.find(tensor.name);
    std::memcpy(state + tensor.offset, stored->bytes.data(),
                stored->bytes.size());
  }
  return std::move(loaded);
}
