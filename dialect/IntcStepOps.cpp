//===- IntcStepOps.cpp - IntC step-level ops ------------------------------===//
//
// Verifiers and integer-range inference of the step level. Ranges are element
// ranges: for a tensor value they bound every element.
//
//===----------------------------------------------------------------------===//

#include "dialect/IntcOps.h"
#include "dialect/NitroConstants.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::intc;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

static RankedTensorType tensorType(Value v) {
  return llvm::cast<RankedTensorType>(v.getType());
}

/// The element range [lo, hi] clamped to what `type`'s elements can hold.
static ConstantIntRanges clampedRange(Type type, __int128 lo, __int128 hi) {
  unsigned width = ConstantIntRanges::getStorageBitwidth(type);
  __int128 tmin = -(static_cast<__int128>(1) << (width - 1));
  __int128 tmax = (static_cast<__int128>(1) << (width - 1)) - 1;
  if (lo < tmin || hi > tmax)
    return ConstantIntRanges::maxRange(width);
  return ConstantIntRanges::fromSigned(
      APInt(width, static_cast<int64_t>(lo), true),
      APInt(width, static_cast<int64_t>(hi), true));
}

static std::pair<__int128, __int128> signedBounds(const ConstantIntRanges &r) {
  return {r.smin().getSExtValue(), r.smax().getSExtValue()};
}

/// Bounds of Σ_{n terms} a·b for a in ra and b in rb.
static std::pair<__int128, __int128> dotBounds(std::pair<__int128, __int128> ra,
                                               std::pair<__int128, __int128> rb,
                                               int64_t terms) {
  __int128 p[] = {ra.first * rb.first, ra.first * rb.second,
                  ra.second * rb.first, ra.second * rb.second};
  __int128 lo = *std::min_element(std::begin(p), std::end(p));
  __int128 hi = *std::max_element(std::begin(p), std::end(p));
  return {lo * terms, hi * terms};
}

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

/// The output extent (in + 2·pad − k) / stride + 1 of a window, or dynamic
/// when the input extent or the kernel is.
static int64_t windowOut(int64_t in, int64_t pad, int64_t k, int64_t stride) {
  if (ShapedType::isDynamic(in) || ShapedType::isDynamic(k))
    return ShapedType::kDynamic;
  return (in + 2 * pad - k) / stride + 1;
}

/// Two dimension sizes agree when equal or when either is dynamic.
static bool dimsAgree(int64_t a, int64_t b) {
  return a == b || ShapedType::isDynamic(a) || ShapedType::isDynamic(b);
}

static LogicalResult expectShape(Operation *op, StringRef what, Value v,
                                 ArrayRef<int64_t> expected) {
  ArrayRef<int64_t> shape = tensorType(v).getShape();
  if (shape.size() == expected.size() &&
      llvm::all_of(llvm::zip_equal(shape, expected), [](auto pair) {
        return dimsAgree(std::get<0>(pair), std::get<1>(pair));
      }))
    return success();
  return op->emitOpError() << what << " has shape " << shapeStr(shape)
                           << ", expected " << shapeStr(expected);
}

//===----------------------------------------------------------------------===//
// linear / conv2d
//===----------------------------------------------------------------------===//

LogicalResult LinearOp::verify() {
  ArrayRef<int64_t> x = tensorType(getInput()).getShape();
  ArrayRef<int64_t> w = tensorType(getWeight()).getShape();
  if (!dimsAgree(x[1], w[1]))
    return emitOpError() << "input has " << x[1]
                         << " features but the weight (out x in = "
                         << shapeStr(w) << ") expects " << w[1];
  return expectShape(*this, "result", getOutput(), {x[0], w[0]});
}

void LinearOp::inferResultRanges(ArrayRef<ConstantIntRanges> argRanges,
                                 SetIntRangeFn setResultRange) {
  auto [lo, hi] =
      dotBounds(signedBounds(argRanges[0]), signedBounds(argRanges[1]),
                tensorType(getInput()).getDimSize(1));
  setResultRange(getOutput(), clampedRange(getOutput().getType(), lo, hi));
}

LogicalResult Conv2dOp::verify() {
  ArrayRef<int64_t> x = tensorType(getInput()).getShape();
  ArrayRef<int64_t> w = tensorType(getWeight()).getShape();
  if (w[2] != w[3])
    return emitOpError() << "kernel must be square, got " << w[2] << "x"
                         << w[3];
  if (!dimsAgree(x[1], w[1]))
    return emitOpError() << "input has " << x[1]
                         << " channels but the weight (F x C x k x k = "
                         << shapeStr(w) << ") expects " << w[1];
  int64_t p = getPadding(), k = w[2];
  int64_t h = windowOut(x[2], p, k, 1), wd = windowOut(x[3], p, k, 1);
  if ((!ShapedType::isDynamic(h) && h < 1) ||
      (!ShapedType::isDynamic(wd) && wd < 1))
    return emitOpError() << "a " << k << "x" << k << " kernel with padding "
                         << p << " does not fit the " << x[2] << "x" << x[3]
                         << " input";
  return expectShape(*this, "result", getOutput(), {x[0], w[0], h, wd});
}

void Conv2dOp::inferResultRanges(ArrayRef<ConstantIntRanges> argRanges,
                                 SetIntRangeFn setResultRange) {
  ArrayRef<int64_t> w = tensorType(getWeight()).getShape();
  auto [lo, hi] = dotBounds(signedBounds(argRanges[0]),
                            signedBounds(argRanges[1]), w[1] * w[2] * w[3]);
  setResultRange(getOutput(), clampedRange(getOutput().getType(), lo, hi));
}

//===----------------------------------------------------------------------===//
// rescale / activation
//===----------------------------------------------------------------------===//

LogicalResult RescaleOp::verify() {
  return expectShape(*this, "result", getOutput(),
                     tensorType(getInput()).getShape());
}

void RescaleOp::inferResultRanges(ArrayRef<ConstantIntRanges> argRanges,
                                  SetIntRangeFn setResultRange) {
  auto [lo, hi] = signedBounds(argRanges[0]);
  __int128 f = getFactor();
  __int128 qlo = std::clamp<__int128>(lo / f, -127, 127);
  __int128 qhi = std::clamp<__int128>(hi / f, -127, 127);
  setResultRange(getOutput(), clampedRange(getOutput().getType(), qlo, qhi));
}

void ActivationOp::inferResultRanges(ArrayRef<ConstantIntRanges>,
                                     SetIntRangeFn setResultRange) {
  auto [lo, hi] = getKind().outputRange();
  setResultRange(getOutput(), clampedRange(getOutput().getType(), lo, hi));
}

LogicalResult ActivationGradOp::verify() {
  if (failed(expectShape(*this, "delta", getDelta(),
                         tensorType(getInput()).getShape())))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// max_pool / max_pool_grad
//===----------------------------------------------------------------------===//

LogicalResult MaxPoolOp::verify() {
  ArrayRef<int64_t> k = getKernel(), p = getPadding();
  if (k.size() != 2 || p.size() != 2)
    return emitOpError() << "kernel and padding need two entries [h, w]";
  if (k[0] < 1 || k[1] < 1)
    return emitOpError() << "kernel entries must be positive";
  if (p[0] < 0 || p[1] < 0)
    return emitOpError() << "padding entries must be non-negative";
  if (2 * p[0] > k[0] || 2 * p[1] > k[1])
    return emitOpError() << "padding [" << p[0] << ", " << p[1]
                         << "] exceeds half the kernel [" << k[0] << ", "
                         << k[1] << "]";
  ArrayRef<int64_t> x = tensorType(getInput()).getShape();
  int64_t gh = windowOut(x[2], p[0], k[0], k[0]);
  int64_t gw = windowOut(x[3], p[1], k[1], k[1]);
  if ((!ShapedType::isDynamic(x[2]) && x[2] + 2 * p[0] < k[0]) ||
      (!ShapedType::isDynamic(x[3]) && x[3] + 2 * p[1] < k[1]))
    return emitOpError() << "a " << k[0] << "x" << k[1]
                         << " pool does not fit the " << x[2] << "x" << x[3]
                         << " input with padding [" << p[0] << ", " << p[1]
                         << "]";
  if (failed(expectShape(*this, "result", getOutput(), {x[0], x[1], gh, gw})) ||
      failed(expectShape(*this, "indices", getIndices(), {x[0], x[1], gh, gw})))
    return failure();
  if (tensorType(getOutput()).getElementType() !=
      tensorType(getInput()).getElementType())
    return emitOpError() << "result element type must equal the input's";
  unsigned width = tensorType(getInput()).getElementTypeBitWidth();
  int64_t v = getPadValue();
  if (v < -(1LL << (width - 1)) || v >= (1LL << (width - 1)))
    return emitOpError() << "pad_value " << v << " does not fit i" << width;
  return success();
}

void MaxPoolOp::inferResultRanges(ArrayRef<ConstantIntRanges> argRanges,
                                  SetIntRangeFn setResultRange) {
  auto [lo, hi] = signedBounds(argRanges[0]);
  if (getPadding()[0] > 0 || getPadding()[1] > 0) {
    lo = std::max<__int128>(lo, getPadValue());
    hi = std::max<__int128>(hi, getPadValue());
  }
  setResultRange(getOutput(), clampedRange(getOutput().getType(), lo, hi));
  ArrayRef<int64_t> x = tensorType(getInput()).getShape();
  bool dynamic = ShapedType::isDynamic(x[2]) || ShapedType::isDynamic(x[3]);
  setResultRange(getIndices(),
                 clampedRange(getIndices().getType(), -1,
                              dynamic ? INT64_MAX : x[2] * x[3] - 1));
}

LogicalResult MaxPoolGradOp::verify() {
  ArrayRef<int64_t> d = tensorType(getDelta()).getShape();
  ArrayRef<int64_t> out = tensorType(getOutput()).getShape();
  if (failed(expectShape(*this, "indices", getIndices(), d)))
    return failure();
  ArrayRef<int64_t> k = getKernel(), p = getPadding();
  if (k.size() != 2 || p.size() != 2 || k[0] < 1 || k[1] < 1 || p[0] < 0 ||
      p[1] < 0 || 2 * p[0] > k[0] || 2 * p[1] > k[1])
    return emitOpError() << "needs a positive kernel [h, w] and a padding "
                            "[h, w] of at most half the kernel";
  int64_t gh = (out[2] + 2 * p[0] - k[0]) / k[0] + 1;
  int64_t gw = (out[3] + 2 * p[1] - k[1]) / k[1] + 1;
  if (failed(expectShape(*this, "delta", getDelta(), {out[0], out[1], gh, gw})))
    return failure();
  if (tensorType(getOutput()).getElementType() !=
      tensorType(getDelta()).getElementType())
    return emitOpError() << "result element type must equal delta's";
  return success();
}

//===----------------------------------------------------------------------===//
// dropout_apply / one_hot / l2_grad
//===----------------------------------------------------------------------===//

LogicalResult DropoutApplyOp::verify() {
  if (!nitro::dropoutFactor(getRate()))
    return emitOpError() << "dropout rate " << getRate()
                         << "% is not in the rescale table: expected a "
                            "multiple of 5 from 5 to 95";
  if (getStream() < 0)
    return emitOpError() << "stream must be non-negative";
  if (!getSampleOffset() != !getGlobalBatch())
    return emitOpError()
           << "takes a shard's sample offset and the global batch together";
  return expectShape(*this, "result", getOutput(),
                     tensorType(getInput()).getShape());
}

void DropoutApplyOp::inferResultRanges(ArrayRef<ConstantIntRanges> argRanges,
                                       SetIntRangeFn setResultRange) {
  auto [lo, hi] = signedBounds(argRanges[0]);
  int64_t f = *nitro::dropoutFactor(getRate());
  __int128 a = lo * f / 1000, b = hi * f / 1000;
  setResultRange(getOutput(),
                 clampedRange(getOutput().getType(), std::min<__int128>(a, 0),
                              std::max<__int128>(b, 0)));
}

LogicalResult WidenOp::verify() {
  return expectShape(*this, "result", getOutput(),
                     tensorType(getInput()).getShape());
}

void WidenOp::inferResultRanges(ArrayRef<ConstantIntRanges> argRanges,
                                SetIntRangeFn setResultRange) {
  auto [lo, hi] = signedBounds(argRanges[0]);
  setResultRange(getOutput(), clampedRange(getOutput().getType(), lo, hi));
}

LogicalResult OneHotOp::verify() {
  int64_t v = getValue();
  if (v < -128 || v > 127)
    return emitOpError() << "value " << v << " does not fit i8";
  int64_t b = tensorType(getLabels()).getDimSize(0);
  ArrayRef<int64_t> out = tensorType(getOutput()).getShape();
  if (!dimsAgree(out[0], b))
    return emitOpError() << "result has " << out[0] << " rows for " << b
                         << " labels";
  if (!ShapedType::isDynamic(out[1]) && out[1] < 2)
    return emitOpError() << "needs at least 2 classes, got " << out[1];
  return success();
}

void OneHotOp::inferResultRanges(ArrayRef<ConstantIntRanges>,
                                 SetIntRangeFn setResultRange) {
  int64_t v = getValue();
  setResultRange(getOutput(),
                 clampedRange(getOutput().getType(), std::min<int64_t>(0, v),
                              std::max<int64_t>(0, v)));
}

LogicalResult L2GradOp::verify() {
  ArrayRef<int64_t> shape = tensorType(getPrediction()).getShape();
  if (failed(expectShape(*this, "target", getTarget(), shape)))
    return failure();
  return expectShape(*this, "result", getOutput(), shape);
}

void L2GradOp::inferResultRanges(ArrayRef<ConstantIntRanges> argRanges,
                                 SetIntRangeFn setResultRange) {
  if (getWrap8()) {
    setResultRange(getOutput(), clampedRange(getOutput().getType(), -128, 127));
    return;
  }
  auto [plo, phi] = signedBounds(argRanges[0]);
  auto [tlo, thi] = signedBounds(argRanges[1]);
  setResultRange(getOutput(),
                 clampedRange(getOutput().getType(), plo - thi, phi - tlo));
}

//===----------------------------------------------------------------------===//
// Gradients and the update
//===----------------------------------------------------------------------===//

LogicalResult LinearWeightGradOp::verify() {
  ArrayRef<int64_t> d = tensorType(getDelta()).getShape();
  ArrayRef<int64_t> x = tensorType(getInput()).getShape();
  if (!dimsAgree(d[0], x[0]))
    return emitOpError() << "delta batch " << d[0]
                         << " differs from input batch " << x[0];
  return expectShape(*this, "result", getOutput(), {d[1], x[1]});
}

LogicalResult LinearInputGradOp::verify() {
  ArrayRef<int64_t> d = tensorType(getDelta()).getShape();
  ArrayRef<int64_t> w = tensorType(getWeight()).getShape();
  if (!dimsAgree(d[1], w[0]))
    return emitOpError() << "delta has " << d[1]
                         << " outputs but the weight (out x in = "
                         << shapeStr(w) << ") has " << w[0];
  return expectShape(*this, "result", getOutput(), {d[0], w[1]});
}

LogicalResult Conv2dWeightGradOp::verify() {
  ArrayRef<int64_t> d = tensorType(getDelta()).getShape();
  ArrayRef<int64_t> x = tensorType(getInput()).getShape();
  ArrayRef<int64_t> g = tensorType(getOutput()).getShape();
  if (!dimsAgree(d[0], x[0]))
    return emitOpError() << "delta batch " << d[0]
                         << " differs from input batch " << x[0];
  if (g[2] != g[3])
    return emitOpError() << "kernel must be square, got " << g[2] << "x"
                         << g[3];
  int64_t p = getPadding(), k = g[2];
  return expectShape(
             *this, "delta", getDelta(),
             {x[0], g[0], windowOut(x[2], p, k, 1), windowOut(x[3], p, k, 1)})
                 .succeeded()
             ? expectShape(*this, "result", getOutput(), {g[0], x[1], k, k})
             : failure();
}

LogicalResult SgdUpdateOp::verify() {
  return expectShape(*this, "gradient", getGrad(),
                     tensorType(getWeight()).getShape());
}

LogicalResult SgdOverflowCountOp::verify() {
  return expectShape(*this, "gradient", getGrad(),
                     tensorType(getWeight()).getShape());
}

LogicalResult InitUniformOp::verify() {
  if (!tensorType(getOutput()).hasStaticShape())
    return emitOpError() << "needs a static shape";
  if (getBound() > (1LL << 30))
    return emitOpError() << "bound " << getBound() << " is too large";
  return success();
}

void InitUniformOp::inferResultRanges(ArrayRef<ConstantIntRanges>,
                                      SetIntRangeFn setResultRange) {
  int64_t b = getBound();
  setResultRange(getOutput(), clampedRange(getOutput().getType(), -b, b));
}

//===----------------------------------------------------------------------===//
// Sparse weight gradients
//===----------------------------------------------------------------------===//

LogicalResult MaxPoolGatherOp::verify() {
  ArrayRef<int64_t> x = tensorType(getInput()).getShape();
  ArrayRef<int64_t> idx = tensorType(getIndices()).getShape();
  if (!dimsAgree(x[0], idx[0]) || !dimsAgree(x[1], idx[1]))
    return emitOpError() << "indices " << shapeStr(idx)
                         << " must keep the batch and channels of the input "
                         << shapeStr(x);
  if (tensorType(getOutput()).getElementType() !=
      tensorType(getInput()).getElementType())
    return emitOpError() << "result element type must equal the input's";
  return expectShape(*this, "result", getOutput(), idx);
}

void MaxPoolGatherOp::inferResultRanges(ArrayRef<ConstantIntRanges> argRanges,
                                        SetIntRangeFn setResultRange) {
  auto [lo, hi] = signedBounds(argRanges[0]);
  setResultRange(getOutput(),
                 clampedRange(getOutput().getType(), std::min<__int128>(lo, 0),
                              std::max<__int128>(hi, 0)));
}

LogicalResult Conv2dWeightGradSparseOp::verify() {
  ArrayRef<int64_t> d = tensorType(getDelta()).getShape();
  ArrayRef<int64_t> x = tensorType(getInput()).getShape();
  ArrayRef<int64_t> g = tensorType(getOutput()).getShape();
  ArrayRef<int64_t> out = getOutSize();
  if (out.size() != 2)
    return emitOpError() << "out_size needs two entries [Ho, Wo]";
  if (failed(expectShape(*this, "indices", getIndices(), d)))
    return failure();
  if (!dimsAgree(d[0], x[0]))
    return emitOpError() << "delta batch " << d[0]
                         << " differs from input batch " << x[0];
  if (g[2] != g[3])
    return emitOpError() << "kernel must be square, got " << g[2] << "x"
                         << g[3];
  int64_t p = getPadding(), k = g[2];
  if (!dimsAgree(out[0], windowOut(x[2], p, k, 1)) ||
      !dimsAgree(out[1], windowOut(x[3], p, k, 1)))
    return emitOpError() << "out_size [" << out[0] << ", " << out[1]
                         << "] is not the output plane of a " << k << "x" << k
                         << " convolution of the " << x[2] << "x" << x[3]
                         << " input with padding " << p;
  return expectShape(*this, "result", getOutput(), {d[1], x[1], k, k});
}
