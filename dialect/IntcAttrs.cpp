//===- IntcAttrs.cpp - IntC attributes ------------------------------------===//

#include "dialect/IntcAttrs.h"
#include "dialect/IntcDialect.h"
#include "dialect/NitroConstants.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::intc;

#include "dialect/IntcEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dialect/IntcAttrs.cpp.inc"

void IntcDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dialect/IntcAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// ActivationAttr
//===----------------------------------------------------------------------===//

bool ActivationAttr::hasSlope(ActivationKind kind) {
  return kind == ActivationKind::NitroLeakyRelu ||
         kind == ActivationKind::PocketLeakyRelu ||
         kind == ActivationKind::BipolarLeakyRelu;
}

int32_t ActivationAttr::nitroCorrection(int32_t nsi) {
  return nitro::nitroCorrection(nsi);
}

std::pair<int64_t, int64_t> ActivationAttr::outputRange() const {
  switch (getKind()) {
  case ActivationKind::NitroLeakyRelu: {
    int64_t c = nitroCorrection(getNsi());
    return {-127 / getNsi() - c, 127 - c};
  }
  case ActivationKind::PocketLeakyRelu:
    return {-127 / getNsi(), 127};
  case ActivationKind::PocketRelu:
    return {0, 127};
  case ActivationKind::PocketTanh:
    return {-127, 127};
  case ActivationKind::BipolarLeakyRelu:
  case ActivationKind::BipolarPocketRelu:
    // f(x·M)·M mirrors the base range where M = −1.
    return {-127, 127};
  }
  llvm_unreachable("unknown activation kind");
}

LogicalResult
ActivationAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       ActivationKind kind, int32_t nsi) {
  if (hasSlope(kind)) {
    if (!nitro::isAllowedSlope(nsi))
      return emitError() << "unsupported negative slope inverse " << nsi
                         << " for " << stringifyActivationKind(kind)
                         << ": expected one of "
                         << llvm::join(llvm::map_range(nitro::allowedSlopes(),
                                                       [](int32_t s) {
                                                         return std::to_string(
                                                             s);
                                                       }),
                                       ", ");
    return success();
  }
  if (nsi != 0)
    return emitError() << stringifyActivationKind(kind)
                       << " takes no slope parameter";
  return success();
}

void ActivationAttr::printBare(AsmPrinter &printer) const {
  printer << stringifyActivationKind(getKind());
  if (hasSlope())
    printer << '<' << getNsi() << '>';
}

Attribute ActivationAttr::parseBare(AsmParser &parser) {
  SMLoc loc = parser.getCurrentLocation();
  StringRef keyword;
  if (parser.parseKeyword(&keyword))
    return {};
  std::optional<ActivationKind> kind = symbolizeActivationKind(keyword);
  if (!kind) {
    parser.emitError(loc) << "unknown activation '" << keyword
                          << "': expected nitro_leaky_relu, pocket_leaky_relu, "
                             "pocket_relu, pocket_tanh, bipolar_leaky_relu or "
                             "bipolar_pocket_relu";
    return {};
  }
  int32_t nsi = 0;
  if (succeeded(parser.parseOptionalLess())) {
    if (parser.parseInteger(nsi) || parser.parseGreater())
      return {};
  } else if (hasSlope(*kind)) {
    parser.emitError(loc) << keyword << " needs a negative slope inverse, e.g. "
                          << keyword << "<4>";
    return {};
  }
  return getChecked([&] { return parser.emitError(loc); },
                    parser.getContext(), *kind, nsi);
}

Attribute ActivationAttr::parse(AsmParser &parser, Type) {
  if (parser.parseLess())
    return {};
  Attribute attr = parseBare(parser);
  if (!attr || parser.parseGreater())
    return {};
  return attr;
}

void ActivationAttr::print(AsmPrinter &printer) const {
  printer << '<';
  printBare(printer);
  printer << '>';
}

//===----------------------------------------------------------------------===//
// DerivedAttr
//===----------------------------------------------------------------------===//

Attribute DerivedAttr::parse(AsmParser &parser, Type) {
  int64_t fwd = 0, init = 0, dim = 0, headF = 0, headInit = 0;
  SmallVector<int64_t> pool, pad, grid;
  auto parseArray = [&](SmallVectorImpl<int64_t> &out) -> ParseResult {
    return parser.parseCommaSeparatedList(
        AsmParser::Delimiter::Square,
        [&] { return parser.parseInteger(out.emplace_back()); });
  };
  if (parser.parseLess())
    return {};
  auto parseField = [&]() -> ParseResult {
    SMLoc loc = parser.getCurrentLocation();
    StringRef key;
    if (parser.parseKeyword(&key) || parser.parseEqual())
      return failure();
    if (key == "F")
      return parser.parseInteger(fwd);
    if (key == "init")
      return parser.parseInteger(init);
    if (key == "head_pool")
      return parseArray(pool);
    if (key == "head_pad")
      return parseArray(pad);
    if (key == "head_grid")
      return parseArray(grid);
    if (key == "dim_in_decoder")
      return parser.parseInteger(dim);
    if (key == "head_F")
      return parser.parseInteger(headF);
    if (key == "head_init")
      return parser.parseInteger(headInit);
    return parser.emitError(loc) << "unknown derived constant '" << key << "'";
  };
  if (parser.parseCommaSeparatedList(parseField) || parser.parseGreater())
    return {};
  return DerivedAttr::get(parser.getContext(), fwd, init, pool, pad, grid, dim,
                          headF, headInit);
}

void DerivedAttr::print(AsmPrinter &printer) const {
  printer << "<F = " << getFwdFactor() << ", init = " << getInitBound();
  auto printArray = [&](StringRef name, ArrayRef<int64_t> values) {
    if (values.empty())
      return;
    printer << ", " << name << " = [";
    llvm::interleaveComma(values, printer);
    printer << ']';
  };
  printArray("head_pool", getHeadPool());
  printArray("head_pad", getHeadPad());
  printArray("head_grid", getHeadGrid());
  if (getHeadFactor() != 0)
    printer << ", dim_in_decoder = " << getDimInDecoder()
            << ", head_F = " << getHeadFactor()
            << ", head_init = " << getHeadInitBound();
  printer << '>';
}

//===----------------------------------------------------------------------===//
// StageAttr
//===----------------------------------------------------------------------===//

LogicalResult
StageAttr::verify(llvm::function_ref<InFlightDiagnostic()> emitError,
                  int64_t index, int64_t count, int64_t firstBlock,
                  int64_t firstTensor, int64_t firstDropout, bool) {
  if (count < 1 || index < 0 || index >= count)
    return emitError() << "stage index " << index
                       << " must be in [0, count = " << count << ")";
  if (firstBlock < 0 || firstTensor < 0 || firstDropout < 0)
    return emitError() << "first_block, first_tensor and first_dropout must "
                          "be non-negative";
  if (index == 0 && (firstBlock || firstTensor || firstDropout))
    return emitError() << "stage 0 starts at the model's first block, "
                          "tensor and dropout layer";
  return success();
}
