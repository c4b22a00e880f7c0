//===- ReferenceModel.cpp - A model as a runtime/c descriptor -------------===//

#include "lib/Target/Common/ReferenceModel.h"
#include "dialect/IntcModelLayout.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::intc;

namespace {
int32_t i32(int64_t v) { return static_cast<int32_t>(v); }

/// (C, H, W) of a per-sample shape; 2-D tensors are (features, 1, 1).
void sampleShape(Value v, int32_t &c, int32_t &h, int32_t &w) {
  ArrayRef<int64_t> s = llvm::cast<RankedTensorType>(v.getType()).getShape();
  c = i32(s[1]);
  h = s.size() == 4 ? i32(s[2]) : 1;
  w = s.size() == 4 ? i32(s[3]) : 1;
}

intc_layer blankLayer(Operation &op, int32_t kind) {
  intc_layer l{};
  l.kind = kind;
  sampleShape(op.getOperand(0), l.in_c, l.in_h, l.in_w);
  sampleShape(op.getResult(0), l.out_c, l.out_h, l.out_w);
  l.kernel = 1;
  l.head_pool_kh = l.head_pool_kw = 1;
  l.w_offset = l.head_w_offset = -1;
  return l;
}

void setHead(intc_layer &l, DerivedAttr d, InitScheme init, int64_t lrAmp,
             int64_t decay) {
  ArrayRef<int64_t> pool = d.getHeadPool(), pad = d.getHeadPad(),
                    grid = d.getHeadGrid();
  if (!pool.empty()) {
    l.head_pool_kh = i32(pool[0]);
    l.head_pool_kw = i32(pool[1]);
    l.head_pool_ph = i32(pad[0]);
    l.head_pool_pw = i32(pad[1]);
    l.head_grid_h = i32(grid[0]);
    l.head_grid_w = i32(grid[1]);
  } else {
    l.head_grid_h = l.out_h;
    l.head_grid_w = l.out_w;
  }
  l.dim_in_decoder = i32(d.getDimInDecoder());
  l.head_init = static_cast<int32_t>(init);
  l.head_init_bound = i32(d.getHeadInitBound());
  l.head_factor = d.getHeadFactor();
  l.head_lr_amp = lrAmp;
  l.head_decay_inv = decay;
}
} // namespace

FailureOr<std::unique_ptr<ReferenceModel>>
mlir::intc::buildReferenceModel(ModelOp model) {
  auto ref = std::make_unique<ReferenceModel>();
  ref->name = model.getSymName().str();
  for (Operation &op : model.getBody().front().without_terminator()) {
    auto derived = op.getAttrOfType<DerivedAttr>("derived");
    intc_layer l;
    if (auto b = llvm::dyn_cast<LocalLinearBlockOp>(op)) {
      l = blankLayer(op, INTC_LAYER_LINEAR_BLOCK);
      l.act = static_cast<int32_t>(b.getActivation().getKind());
      l.nsi = b.getActivation().getNsi();
      l.init = static_cast<int32_t>(b.getInit());
      l.init_bound = i32(derived.getInitBound());
      l.fwd_factor = derived.getFwdFactor();
      l.lr_amp = b.getLrAmp();
      l.decay_inv = b.getDecayInv();
      setHead(l, derived, b.getHeadInit(), b.getHeadLrAmp(),
              b.getHeadDecayInv());
    } else if (auto b = llvm::dyn_cast<LocalConvBlockOp>(op)) {
      l = blankLayer(op, INTC_LAYER_CONV_BLOCK);
      l.kernel = i32(b.getKernelSize());
      l.padding = i32(b.getPadding());
      l.act = static_cast<int32_t>(b.getActivation().getKind());
      l.nsi = b.getActivation().getNsi();
      l.init = static_cast<int32_t>(b.getInit());
      l.init_bound = i32(derived.getInitBound());
      l.fwd_factor = derived.getFwdFactor();
      l.lr_amp = effectiveConvLrAmp(b, derived);
      l.decay_inv = b.getDecayInv();
      setHead(l, derived, b.getHeadInit(), b.getHeadLrAmp(),
              b.getHeadDecayInv());
    } else if (auto o = llvm::dyn_cast<OutputLayerOp>(op)) {
      l = blankLayer(op, INTC_LAYER_OUTPUT);
      l.init = static_cast<int32_t>(o.getInit());
      l.init_bound = i32(derived.getInitBound());
      l.fwd_factor = derived.getFwdFactor();
      l.lr_amp = o.getLrAmp();
      l.decay_inv = o.getDecayInv();
    } else if (auto p = llvm::dyn_cast<MaxPool2dOp>(op)) {
      l = blankLayer(op, INTC_LAYER_MAXPOOL);
      l.pool_k = i32(p.getKernel());
    } else if (auto d = llvm::dyn_cast<DropoutOp>(op)) {
      l = blankLayer(op, INTC_LAYER_DROPOUT);
      l.dropout_permille = i32(d.getRate() * 10);
    } else {
      l = blankLayer(op, INTC_LAYER_FLATTEN);
    }
    ref->layers.push_back(l);
  }

  intc_model &m = ref->model;
  m.name = ref->name.c_str();
  m.num_classes = i32(model.getNumClasses());
  m.one_hot_value = i32(model.getOneHot());
  sampleShape(model.getInput(), m.in_c, m.in_h, m.in_w);
  m.flags = (model.getLossGradWrap8() ? INTC_FLAG_LOSS_WRAP8 : 0) |
            (model.getDoubleClassifierUpdate()
                 ? INTC_FLAG_DOUBLE_CLASSIFIER_UPDATE
                 : 0);
  int32_t bad = -1;
  int32_t status = intc_model_finalize(
      &m, ref->layers.data(), static_cast<int32_t>(ref->layers.size()), &bad);
  if (status != INTC_OK)
    return model.emitOpError()
           << "is rejected by the reference runtime (status " << status
           << " at layer " << bad << ")";

  // The compiler's state layout and runtime/c's must be the same.
  FailureOr<ModelLayout> layout = ModelLayout::get(model);
  if (failed(layout))
    return failure();
  if (layout->numWeights != m.n_weights)
    return model.emitOpError() << "state layout disagrees with runtime/c: "
                               << layout->numWeights << " vs " << m.n_weights
                               << " weights";
  unsigned next = 0;
  for (const intc_layer &l : ref->layers) {
    for (int64_t offset : {l.w_offset, l.head_w_offset}) {
      if (offset < 0)
        continue;
      if (next >= layout->tensors.size() ||
          layout->tensors[next].offset != offset)
        return model.emitOpError()
               << "state layout disagrees with runtime/c at tensor " << next;
      ++next;
    }
  }
  return ref;
}

void mlir::intc::emitReferenceModelC(const ReferenceModel &ref,
                                     llvm::StringRef symbol,
                                     llvm::raw_ostream &os) {
  // Designated initialisers: the output does not depend on field order.
  os << "static const intc_layer " << symbol << "_layers[" << ref.layers.size()
     << "] = {\n";
  for (const intc_layer &l : ref.layers) {
    std::pair<const char *, int64_t> fields[] = {
        {"kind", l.kind},
        {"in_c", l.in_c},
        {"in_h", l.in_h},
        {"in_w", l.in_w},
        {"out_c", l.out_c},
        {"out_h", l.out_h},
        {"out_w", l.out_w},
        {"kernel", l.kernel},
        {"padding", l.padding},
        {"act", l.act},
        {"nsi", l.nsi},
        {"init", l.init},
        {"init_bound", l.init_bound},
        {"fwd_factor", l.fwd_factor},
        {"lr_amp", l.lr_amp},
        {"decay_inv", l.decay_inv},
        {"head_pool_kh", l.head_pool_kh},
        {"head_pool_kw", l.head_pool_kw},
        {"head_pool_ph", l.head_pool_ph},
        {"head_pool_pw", l.head_pool_pw},
        {"head_grid_h", l.head_grid_h},
        {"head_grid_w", l.head_grid_w},
        {"dim_in_decoder", l.dim_in_decoder},
        {"head_init", l.head_init},
        {"head_init_bound", l.head_init_bound},
        {"head_factor", l.head_factor},
        {"head_lr_amp", l.head_lr_amp},
        {"head_decay_inv", l.head_decay_inv},
        {"pool_k", l.pool_k},
        {"dropout_permille", l.dropout_permille},
        {"dropout_index", l.dropout_index},
        {"w_offset", l.w_offset},
        {"head_w_offset", l.head_w_offset}};
    os << "    {";
    unsigned column = 0;
    for (auto [name, value] : fields) {
      if (value == 0)
        continue;
      if (column++ % 4 == 0)
        os << "\n     ";
      os << " ." << name << " = " << value << ",";
    }
    os << "},\n";
  }
  os << "};\n\nconst intc_model " << symbol << " = {\n    .name = \""
     << ref.name << "\",\n    .n_layers = " << ref.layers.size()
     << ",\n    .layers = " << symbol
     << "_layers,\n    .num_classes = " << ref.model.num_classes
     << ",\n    .one_hot_value = " << ref.model.one_hot_value
     << ",\n    .in_c = " << ref.model.in_c << ",\n    .in_h = "
     << ref.model.in_h << ",\n    .in_w = " << ref.model.in_w
     << ",\n    .flags = " << ref.model.flags
     << "u,\n    .n_weights = " << ref.model.n_weights << ",\n};\n";
}
