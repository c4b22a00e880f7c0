//===- IntcModelOps.cpp - IntC model-level ops ----------------------------===//
//
// Shape inference, verifiers and derived constants of the model level.
//
//===----------------------------------------------------------------------===//

#include "dialect/IntcLimits.h"
#include "dialect/IntcOps.h"
#include "dialect/NitroConstants.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace mlir::intc;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// Formats a shape as "AxBxC" for messages.
static std::string shapeStr(ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << '?';
        else
          os << d;
      },
      "x");
  return s;
}

static bool isCIdentifier(StringRef name) {
  return !name.empty() &&
         (llvm::isAlpha(name.front()) || name.front() == '_') &&
         llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// A sample shape with positive dimensions whose element count fits the
/// runtimes' int32 indices.
static LogicalResult checkSampleSize(Operation *op, StringRef what,
                                     ArrayRef<int64_t> sample) {
  if (llvm::any_of(sample, [](int64_t d) { return d < 1; }))
    return op->emitOpError() << what
                             << " sample dimensions must be "
                                "positive, got "
                             << shapeStr(sample);
  if (!limits::boundedElements(sample))
    return op->emitOpError()
           << what << " samples of shape " << shapeStr(sample)
           << " have more than " << limits::kMaxElements << " elements";
  return success();
}

static LogicalResult checkHyperParams(Operation *op, int64_t lrAmp,
                                      int64_t decayInv, StringRef prefix = "") {
  if (lrAmp < 1 || lrAmp > limits::kMaxLrAmp)
    return op->emitOpError() << prefix << "lr_amp must be in [1, "
                             << limits::kMaxLrAmp << "], got " << lrAmp;
  if (decayInv < 0)
    return op->emitOpError()
           << prefix << "decay_inv must be 0 (no decay) or positive, got "
           << decayInv;
  return success();
}

/// Checks an optional user-visible `derived` attribute against the
/// recomputation: derived constants are never typed by hand.
static bool hasStaticSample(Value v) {
  return !llvm::any_of(
      llvm::cast<RankedTensorType>(v.getType()).getShape().drop_front(),
      ShapedType::isDynamic);
}

/// True when the layer's input has the rank its derived constants read
/// (4 for a conv block, 2 otherwise). Shape inference reports a wrong rank.
static bool hasLayerRank(Operation *op) {
  int64_t rank =
      llvm::cast<RankedTensorType>(op->getOperand(0).getType()).getRank();
  return rank == (llvm::isa<LocalConvBlockOp>(op) ? 4 : 2);
}

static LogicalResult checkDerived(Operation *op,
                                  std::optional<DerivedAttr> derived) {
  if (!derived || !hasLayerRank(op))
    return success();
  if (!hasStaticSample(op->getOperand(0)))
    return op->emitOpError() << "has derived constants but its input shape "
                             << op->getOperand(0).getType() << " is not static";
  FailureOr<DerivedAttr> expected = deriveLayerConstants(op);
  if (failed(expected))
    return failure();
  if (*expected != *derived)
    return op->emitOpError()
           << "derived constants " << *derived
           << " disagree with the layer, which gives " << *expected
           << "; they are computed by intc-verify-model, not written by hand";
  return success();
}

//===----------------------------------------------------------------------===//
// ModelOp
//===----------------------------------------------------------------------===//

ParseResult ModelOp::parse(OpAsmParser &parser, OperationState &result) {
  StringAttr name;
  if (parser.parseSymbolName(name, getSymNameAttrName(result.name),
                             result.attributes))
    return failure();
  SmallVector<OpAsmParser::Argument> args;
  if (parser.parseArgumentList(args, OpAsmParser::Delimiter::Paren,
                               /*allowType=*/true))
    return failure();
  SMLoc attrLoc = parser.getCurrentLocation();
  if (parser.parseOptionalAttrDictWithKeyword(result.attributes))
    return failure();
  // An inherent attribute of the wrong kind (`batch = "x"`) would otherwise
  // be dropped when the attributes become properties; check them here, as
  // the declarative formats do.
  if (failed(verifyInherentAttrs(result.name, result.attributes,
                                 [&]() { return parser.emitError(attrLoc); })))
    return failure();
  Region *body = result.addRegion();
  if (parser.parseRegion(*body, args))
    return failure();
  ModelOp::ensureTerminator(*body, parser.getBuilder(), result.location);
  return success();
}

void ModelOp::print(OpAsmPrinter &p) {
  p << ' ';
  p.printSymbolName(getSymName());
  p << '(';
  llvm::interleaveComma(getBody().getArguments(), p,
                        [&](BlockArgument arg) { p.printRegionArgument(arg); });
  p << ')';
  // Hyper-parameters equal to their defaults are not printed, as in the
  // declarative formats.
  Properties defaults;
  populateDefaultProperties((*this)->getName(), defaults);
  auto defaultDict =
      llvm::cast<DictionaryAttr>(getPropertiesAsAttr(getContext(), defaults));
  SmallVector<StringRef> elided = {getSymNameAttrName()};
  for (NamedAttribute attr : (*this)->getAttrDictionary())
    if (defaultDict.get(attr.getName()) == attr.getValue())
      elided.push_back(attr.getName());
  p.printOptionalAttrDictWithKeyword((*this)->getAttrDictionary().getValue(),
                                     elided);
  p << ' ';
  p.printRegion(getBody(), /*printEntryBlockArgs=*/false,
                /*printBlockTerminators=*/true);
}

YieldOp ModelOp::getYield() {
  return llvm::cast<YieldOp>(getBody().front().getTerminator());
}

bool ModelOp::isCnn() {
  if (std::optional<StageAttr> stage = getStage())
    return stage->getCnn();
  return !getBody().getOps<LocalConvBlockOp>().empty();
}

OutputLayerOp ModelOp::getOutputLayer() {
  auto layers = getBody().getOps<OutputLayerOp>();
  return layers.empty() ? OutputLayerOp() : *layers.begin();
}

namespace {
struct DatasetShape {
  StringRef name;
  int64_t c, h, w;
};
} // namespace

static constexpr DatasetShape kDatasets[] = {
    {"mnist", 1, 28, 28}, {"fashion-mnist", 1, 28, 28}, {"cifar10", 3, 32, 32}};

LogicalResult ModelOp::verify() {
  Block &block = getBody().front();
  if (block.getNumArguments() != 1)
    return emitOpError() << "takes exactly one input batch, got "
                         << block.getNumArguments() << " arguments";
  auto inputType = llvm::dyn_cast<RankedTensorType>(getInput().getType());
  // A pipeline stage after the first takes the activation entering its first
  // block, which is int16 after a dropout.
  std::optional<StageAttr> stage = getStage();
  bool stageInput = stage && stage->getIndex() > 0;
  if (!inputType ||
      !(inputType.getElementType().isInteger(8) ||
        (stageInput && inputType.getElementType().isInteger(16))) ||
      (inputType.getRank() != 2 && inputType.getRank() != 4))
    return emitOpError() << (stageInput
                                 ? "input of a pipeline stage must be an int8 "
                                   "or int16 activation batch of rank 2 or 4, "
                                   "got "
                                 : "input must be an int8 batch "
                                   "tensor<?xCxHxWxi8> or tensor<?xNxi8>, got ")
                         << getInput().getType();
  if (llvm::any_of(getSampleShape(), ShapedType::isDynamic))
    return emitOpError() << "input sample shape must be static, got "
                         << inputType;
  if (failed(checkSampleSize(*this, "input", getSampleShape())))
    return failure();
  // The name becomes the C symbols and the file names of the generated code.
  if (!isCIdentifier(getSymName()))
    return emitOpError()
           << "name '" << getSymName()
           << "' must be a C identifier ([A-Za-z_][A-Za-z0-9_]*): "
              "it names the generated functions and files";
  int64_t batchDim = inputType.getDimSize(0);
  if (!ShapedType::isDynamic(batchDim) && batchDim != getBatch())
    return emitOpError() << "input batch dimension " << batchDim
                         << " differs from batch = " << getBatch()
                         << " (write ? to leave it to the expansion)";
  if (getNumClasses() < 2 || getNumClasses() > limits::kMaxClasses)
    return emitOpError() << "num_classes must be in [2, " << limits::kMaxClasses
                         << "], got " << getNumClasses();
  if (getOneHot() < 1 || getOneHot() > 127)
    return emitOpError() << "one_hot must be in [1, 127] (an int8 target), got "
                         << getOneHot();
  auto inRange = [&](StringRef name, int64_t value, int64_t lo,
                     int64_t hi) -> LogicalResult {
    if (value >= lo && value <= hi)
      return success();
    return emitOpError() << name << " must be in [" << lo << ", " << hi
                         << "], got " << value;
  };
  if (failed(inRange("lr_inv", getLrInv(), 1, limits::kMaxLrInv)) ||
      failed(inRange("batch", getBatch(), 1, limits::kMaxBatch)) ||
      failed(inRange("max_epochs", getMaxEpochs(), 1, limits::kMaxEpochs)) ||
      failed(inRange("plateau_factor", getPlateauFactor(), 1,
                     limits::kMaxLrInv)) ||
      failed(inRange("plateau_patience", getPlateauPatience(), 1,
                     limits::kMaxEpochs)) ||
      failed(
          inRange("plateau_from", getPlateauFrom(), 0, limits::kMaxEpochs)) ||
      failed(inRange("early_stop_patience", getEarlyStopPatience(), 1,
                     limits::kMaxEpochs)) ||
      failed(inRange("early_stop_from", getEarlyStopFrom(), 0,
                     limits::kMaxEpochs)))
    return failure();
  if ((getAugmentCrop() != 0 || getAugmentFlip()) && inputType.getRank() != 4)
    return emitOpError() << "augmentation needs an image input (rank 4)";
  // The crop pads by at most the image's smaller side.
  ArrayRef<int64_t> sample = getSampleShape();
  if (sample.size() == 3 && failed(inRange("augment_crop", getAugmentCrop(), 0,
                                           std::min(sample[1], sample[2]))))
    return failure();
  if (std::optional<StringRef> dataset = getDataset()) {
    const DatasetShape *known = llvm::find_if(
        kDatasets, [&](const DatasetShape &d) { return d.name == *dataset; });
    if (known == std::end(kDatasets))
      return emitOpError() << "unknown dataset '" << *dataset
                           << "': expected mnist, fashion-mnist or cifar10";
    int64_t pixels = known->c * known->h * known->w;
    ArrayRef<int64_t> sample = getSampleShape();
    bool matches =
        inputType.getRank() == 4
            ? sample == ArrayRef<int64_t>({known->c, known->h, known->w})
            : sample.front() == pixels;
    if (!matches)
      return emitOpError() << "dataset '" << *dataset << "' has "
                           << shapeStr({known->c, known->h, known->w})
                           << " images, but the model input is "
                           << shapeStr(sample);
  }
  return success();
}

LogicalResult ModelOp::verifyRegions() {
  Block &block = getBody().front();
  // A model is a chain: every value feeds exactly the next layer.
  auto checkSingleUse = [&](Value v, Operation *producer) -> LogicalResult {
    if (v.hasOneUse())
      return success();
    InFlightDiagnostic diag =
        producer ? producer->emitOpError() : emitOpError();
    diag << (producer ? "result" : "input") << " must feed exactly one layer "
         << "(a model is a chain of layers), but it has "
         << std::distance(v.use_begin(), v.use_end()) << " uses";
    return diag;
  };
  // A pipeline stage other than the last yields its last layer's result;
  // checked before the chain, whose use counts a wrong yield also breaks,
  // for the more telling message.
  std::optional<StageAttr> stage = getStage();
  if (stage && !stage->isLast()) {
    Operation *last = getYield()->getPrevNode();
    if (!last)
      return emitOpError() << "is a pipeline stage without layers";
    if (getYield().getOutput() != last->getResult(0))
      return getYield().emitOpError()
             << "must yield the stage's last layer's result";
  }
  if (failed(checkSingleUse(getInput(), nullptr)))
    return failure();
  // A misspelt hyper-parameter (`kernal_size = 5`) would otherwise become a
  // discardable attribute and the model silently keep the default.
  auto checkAttrNames = [](Operation *op) -> LogicalResult {
    for (NamedAttribute attr : op->getDiscardableAttrs())
      if (!attr.getName().getValue().contains('.'))
        return op->emitOpError()
               << "has no attribute '" << attr.getName().getValue()
               << "' (discardable attributes need a dialect prefix)";
    return success();
  };
  if (failed(checkAttrNames(*this)))
    return failure();
  unsigned outputLayers = 0, dropouts = 0;
  for (Operation &op : block.without_terminator()) {
    if (failed(checkAttrNames(&op)))
      return failure();
    if (llvm::isa<DropoutOp>(op) && ++dropouts > limits::kMaxDropouts)
      return op.emitOpError()
             << "is dropout layer " << dropouts << "; a model has at most "
             << limits::kMaxDropouts;
    if (!llvm::isa<LocalLinearBlockOp, LocalConvBlockOp, OutputLayerOp,
                   MaxPool2dOp, DropoutOp, FlattenOp>(op))
      return op.emitOpError()
             << "is not a model-level layer; a model body holds only "
                "local_linear_block, local_conv_block, maxpool2d, dropout, "
                "flatten and output_layer";
    if (llvm::isa<OutputLayerOp>(op))
      ++outputLayers;
    for (Value result : op.getResults())
      if (failed(checkSingleUse(result, &op)))
        return failure();
  }
  Value out = getYield().getOutput();
  // A pipeline stage other than the last ends with the activation it hands
  // on (checked above): no output layer.
  if (stage && !stage->getCnn() && !block.getOps<LocalConvBlockOp>().empty())
    return emitOpError() << "has conv blocks, but its stage attribute says "
                            "the model it was cut from has none";
  if (stage && !stage->isLast()) {
    if (outputLayers)
      return emitOpError() << "is pipeline stage " << stage->getIndex()
                           << " of " << stage->getCount()
                           << " and must not hold the output_layer (the last "
                              "stage does)";
    return success();
  }
  if (outputLayers != 1)
    return emitOpError() << "must have exactly one output_layer, found "
                         << outputLayers;
  if (!out.getDefiningOp<OutputLayerOp>())
    return getYield().emitOpError()
           << "must yield the result of the output_layer";
  return success();
}

//===----------------------------------------------------------------------===//
// YieldOp
//===----------------------------------------------------------------------===//

LogicalResult YieldOp::verify() {
  auto model = (*this)->getParentOfType<ModelOp>();
  // A pipeline stage before the last yields an activation of any shape.
  if (std::optional<StageAttr> stage = model.getStage();
      stage && !stage->isLast())
    return success();
  auto type = llvm::cast<RankedTensorType>(getOutput().getType());
  if (type.getRank() != 2 || !type.getElementType().isInteger(8))
    return emitOpError() << "yields " << type
                         << ", but a model's output is an int8 batch of "
                            "class scores (rank 2)";
  // A dynamic class dimension is refined by intc-verify-model.
  int64_t yielded = type.getDimSize(1);
  int64_t classes = model.getNumClasses();
  if (!ShapedType::isDynamic(yielded) && yielded != classes)
    return emitOpError() << "yields " << yielded
                         << " classes, but the model has num_classes = "
                         << classes;
  return success();
}

//===----------------------------------------------------------------------===//
// Shape inference
//===----------------------------------------------------------------------===//

/// The model that will hold an op whose first operand is `input`.
static ModelOp enclosingModel(Value input) {
  if (Region *region = input.getParentRegion())
    return llvm::dyn_cast_or_null<ModelOp>(region->getParentOp());
  return nullptr;
}

LogicalResult LocalLinearBlockOp::inferReturnTypes(
    MLIRContext *ctx, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  auto input = llvm::cast<RankedTensorType>(adaptor.getInput().getType());
  if (input.getRank() != 2)
    return emitOptionalError(
        loc, "local_linear_block expects a 2-D (batch x features) input, got ",
        input, "; insert intc.flatten before it");
  inferred.push_back(
      RankedTensorType::get({input.getDimSize(0), adaptor.getOutFeatures()},
                            IntegerType::get(ctx, 8)));
  return success();
}

LogicalResult
LocalConvBlockOp::inferReturnTypes(MLIRContext *ctx,
                                   std::optional<Location> loc, Adaptor adaptor,
                                   SmallVectorImpl<Type> &inferred) {
  auto input = llvm::cast<RankedTensorType>(adaptor.getInput().getType());
  if (input.getRank() != 4)
    return emitOptionalError(
        loc, "local_conv_block expects a 4-D (batch x C x H x W) input, got ",
        input);
  if (adaptor.getStride() != 1)
    return emitOptionalError(loc,
                             "only stride 1 is supported (as in the "
                             "reference), got stride ",
                             adaptor.getStride());
  int64_t k = adaptor.getKernelSize(), p = adaptor.getPadding();
  if (k < 1 || p < 0)
    return emitOptionalError(loc, "kernel_size must be positive and padding "
                                  "non-negative");
  // Unknown spatial sizes stay unknown until intc-verify-model refines them.
  auto outSize = [&](int64_t d) {
    return ShapedType::isDynamic(d) ? d : d + 2 * p - k + 1;
  };
  int64_t h = outSize(input.getDimSize(2)), w = outSize(input.getDimSize(3));
  if ((!ShapedType::isDynamic(h) && h < 1) ||
      (!ShapedType::isDynamic(w) && w < 1))
    return emitOptionalError(
        loc, "a ", k, "x", k, " kernel with padding ", p, " does not fit the ",
        shapeStr(input.getShape().drop_front(2)), " input");
  inferred.push_back(RankedTensorType::get(
      {input.getDimSize(0), adaptor.getOutChannels(), h, w},
      IntegerType::get(ctx, 8)));
  return success();
}

LogicalResult OutputLayerOp::inferReturnTypes(MLIRContext *ctx,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &inferred) {
  auto input = llvm::cast<RankedTensorType>(adaptor.getInput().getType());
  ModelOp model = enclosingModel(adaptor.getInput());
  int64_t classes = model ? model.getNumClasses() : 10;
  inferred.push_back(RankedTensorType::get({input.getDimSize(0), classes},
                                           IntegerType::get(ctx, 8)));
  return success();
}

LogicalResult MaxPool2dOp::inferReturnTypes(MLIRContext *ctx,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  auto input = llvm::cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t k = adaptor.getKernel();
  if (std::optional<int64_t> stride = adaptor.getStride();
      stride && *stride != k)
    return emitOptionalError(loc, "pool stride ", *stride,
                             " must equal its kernel ", k,
                             " (windows do not overlap)");
  auto outSize = [&](int64_t d) {
    return ShapedType::isDynamic(d) ? d : d / k;
  };
  int64_t h = outSize(input.getDimSize(2)), w = outSize(input.getDimSize(3));
  if (h == 0 || w == 0)
    return emitOptionalError(loc, "a ", k, "x", k, " pool does not fit the ",
                             shapeStr(input.getShape().drop_front(2)),
                             " feature map");
  inferred.push_back(
      RankedTensorType::get({input.getDimSize(0), input.getDimSize(1), h, w},
                            input.getElementType()));
  return success();
}

LogicalResult DropoutOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  auto input = llvm::cast<RankedTensorType>(adaptor.getInput().getType());
  inferred.push_back(input.clone(IntegerType::get(ctx, 16)));
  return success();
}

LogicalResult FlattenOp::inferReturnTypes(MLIRContext *ctx,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  auto input = llvm::cast<RankedTensorType>(adaptor.getInput().getType());
  int64_t features = 1;
  for (int64_t d : input.getShape().drop_front()) {
    if (ShapedType::isDynamic(d)) {
      features = ShapedType::kDynamic;
      break;
    }
    features *= d;
  }
  inferred.push_back(RankedTensorType::get({input.getDimSize(0), features},
                                           input.getElementType()));
  return success();
}

void FlattenOp::inferResultRanges(ArrayRef<ConstantIntRanges> argRanges,
                                  SetIntRangeFn setResultRange) {
  setResultRange(getResult(), argRanges.front());
}

//===----------------------------------------------------------------------===//
// Layer verifiers
//===----------------------------------------------------------------------===//

LogicalResult LocalLinearBlockOp::verify() {
  if (failed(checkHyperParams(*this, getLrAmp(), getDecayInv())) ||
      failed(
          checkHyperParams(*this, getHeadLrAmp(), getHeadDecayInv(), "head_")))
    return failure();
  return checkDerived(*this, getDerived());
}

LogicalResult LocalConvBlockOp::verify() {
  if (failed(checkHyperParams(*this, getLrAmp(), getDecayInv())) ||
      failed(
          checkHyperParams(*this, getHeadLrAmp(), getHeadDecayInv(), "head_")))
    return failure();
  if (getPredDecoderDim() < 1)
    return emitOpError() << "pred_decoder_dim must be positive, got "
                         << getPredDecoderDim();
  if (getKernelSize() < 1)
    return emitOpError() << "kernel_size must be positive, got "
                         << getKernelSize();
  if (getPadding() < 0)
    return emitOpError() << "padding must be non-negative, got "
                         << getPadding();
  // The head pooling must exist for this shape; deriving it reports why not.
  if (hasLayerRank(*this) && hasStaticSample(getInput()) && !getDerived() &&
      failed(deriveLayerConstants(*this)))
    return failure();
  return checkDerived(*this, getDerived());
}

LogicalResult OutputLayerOp::verify() {
  if (failed(checkHyperParams(*this, getLrAmp(), getDecayInv())))
    return failure();
  return checkDerived(*this, getDerived());
}

LogicalResult MaxPool2dOp::verify() { return success(); }

int64_t DropoutOp::rescaleFactor(int64_t ratePercent) {
  return nitro::dropoutFactor(ratePercent).value_or(0);
}

LogicalResult DropoutOp::verify() {
  if (!nitro::dropoutFactor(getRate()))
    return emitOpError() << "dropout rate " << getRate()
                         << "% is not in the rescale table: expected a "
                            "multiple of 5 from 5 to 95";
  return success();
}

//===----------------------------------------------------------------------===//
// Derived constants
//===----------------------------------------------------------------------===//

static int64_t numClassesOf(Operation *op) {
  if (auto model = op->getParentOfType<ModelOp>())
    return model.getNumClasses();
  return 10;
}

FailureOr<DerivedAttr> mlir::intc::deriveLayerConstants(Operation *layer) {
  using namespace nitro;
  MLIRContext *ctx = layer->getContext();
  int64_t classes = numClassesOf(layer);
  auto inputType = llvm::cast<RankedTensorType>(layer->getOperand(0).getType());
  if (llvm::any_of(inputType.getShape().drop_front(), ShapedType::isDynamic))
    return layer->emitOpError()
           << "input shape " << inputType
           << " is not known; the model input must have a static sample shape";

  if (auto op = llvm::dyn_cast<LocalLinearBlockOp>(layer)) {
    int64_t in = inputType.getDimSize(1), out = op.getOutFeatures();
    return DerivedAttr::get(
        ctx, kScaleShift * in, initBound(op.getInit(), in, out), {}, {}, {},
        out, kScaleShift * out, initBound(op.getHeadInit(), out, classes));
  }
  if (auto op = llvm::dyn_cast<LocalConvBlockOp>(layer)) {
    int64_t cin = inputType.getDimSize(1), k = op.getKernelSize();
    int64_t cout = op.getOutChannels(), p = op.getPadding();
    int64_t h = inputType.getDimSize(2) + 2 * p - k + 1;
    int64_t w = inputType.getDimSize(3) + 2 * p - k + 1;
    std::string error;
    std::optional<HeadPooling> pool =
        headPooling(cout, h, w, op.getPredDecoderDim(), &error);
    if (!pool)
      return op.emitOpError()
             << error << " (pred_decoder_dim = " << op.getPredDecoderDim()
             << ")";
    return DerivedAttr::get(
        ctx, kScaleShift * k * k * cin,
        initBound(op.getInit(), cin * k * k, cout * k * k),
        {pool->kernelH, pool->kernelW}, {pool->padH, pool->padW},
        {pool->gridH, pool->gridW}, pool->dimInDecoder,
        kScaleShift * pool->dimInDecoder,
        initBound(op.getHeadInit(), pool->dimInDecoder, classes));
  }
  if (auto op = llvm::dyn_cast<OutputLayerOp>(layer)) {
    int64_t in = inputType.getDimSize(1);
    return DerivedAttr::get(ctx, kScaleShift * in,
                            initBound(op.getInit(), in, classes), {}, {}, {}, 0,
                            0, 0);
  }
  return layer->emitOpError() << "has no derived constants";
}

int64_t mlir::intc::effectiveConvLrAmp(LocalConvBlockOp op,
                                       DerivedAttr derived) {
  auto model = op->getParentOfType<ModelOp>();
  if (!model || !model.getAdjustConvLrAmp())
    return op.getLrAmp();
  auto outType = llvm::cast<RankedTensorType>(op.getOutput().getType());
  int64_t d = outType.getDimSize(2);
  ArrayRef<int64_t> pool = derived.getHeadPool();
  int64_t window = pool.empty() ? 1 : pool[0] * pool[1];
  // Saturates at limits::kMaxLrAmp + 1 so intc-verify-model can report it.
  std::optional<int64_t> amp =
      llvm::checkedMul(op.getLrAmp(), std::max<int64_t>(1, (d * d) / window));
  return amp ? std::min(*amp, limits::kMaxLrAmp + 1) : limits::kMaxLrAmp + 1;
}

//===----------------------------------------------------------------------===//
// Result-type compatibility
//===----------------------------------------------------------------------===//

/// A declared result type may leave dimensions dynamic (`tensor<?x?xi8>`);
/// `intc-verify-model` then refines it to the inferred static shape.
static bool compatibleLayerTypes(TypeRange inferred, TypeRange declared) {
  if (inferred.size() != declared.size())
    return false;
  for (auto [a, b] : llvm::zip_equal(inferred, declared)) {
    auto ta = llvm::dyn_cast<RankedTensorType>(a);
    auto tb = llvm::dyn_cast<RankedTensorType>(b);
    if (!ta || !tb || ta.getElementType() != tb.getElementType() ||
        failed(verifyCompatibleShape(ta.getShape(), tb.getShape())))
      return false;
  }
  return true;
}

#define INTC_COMPATIBLE_RETURN_TYPES(OP)                                       \
  bool OP::isCompatibleReturnTypes(TypeRange l, TypeRange r) {                 \
    return compatibleLayerTypes(l, r);                                         \
  }
INTC_COMPATIBLE_RETURN_TYPES(LocalLinearBlockOp)
INTC_COMPATIBLE_RETURN_TYPES(LocalConvBlockOp)
INTC_COMPATIBLE_RETURN_TYPES(OutputLayerOp)
INTC_COMPATIBLE_RETURN_TYPES(MaxPool2dOp)
INTC_COMPATIBLE_RETURN_TYPES(DropoutOp)
INTC_COMPATIBLE_RETURN_TYPES(FlattenOp)
#undef INTC_COMPATIBLE_RETURN_TYPES
