//===- OverflowGuard.cpp - Run-time overflow reports ----------------------===//

#include "runtime/host/OverflowGuard.h"

#include "llvm/Support/raw_ostream.h"

using namespace intc::host;

static thread_local std::optional<OverflowReport> pending;

extern "C" void intc_overflow(int64_t tensorIndex, int64_t quantity,
                              int64_t step, int64_t count) {
  // The first report says where training left int32; later ones of the
  // same step only add to the count of tensors.
  if (pending) {
    ++pending->more;
    return;
  }
  pending = OverflowReport{tensorIndex, quantity, step, count, 0};
}

std::optional<OverflowReport> intc::host::takeOverflowReport() {
  std::optional<OverflowReport> report = pending;
  pending.reset();
  return report;
}

std::string intc::host::describeOverflow(const OverflowReport &r,
                                         const ModelInfo &info, uint64_t step) {
  std::string text;
  llvm::raw_string_ostream os(text);
  // The generated code's step when it knows it (train_step), else the loop's.
  uint64_t at = r.step >= 0 ? uint64_t(r.step) : step;
  os << "overflow at step " << at + 1 << ": ";
  std::string name =
      r.tensorIndex >= 0 && size_t(r.tensorIndex) < info.tensors.size()
          ? "'" + info.tensors[size_t(r.tensorIndex)].name + "'"
          : "tensor #" + std::to_string(r.tensorIndex);
  if (r.quantity == int64_t(OverflowQuantity::WeightUpdate))
    os << "the weights of " << name << " left int32 in the SGD update ("
       << r.count << (r.count == 1 ? " element" : " elements") << ")";
  else
    os << "quantity " << r.quantity << " of " << name << " left its range ("
       << r.count << " elements)";
  if (r.more)
    os << ", and " << r.more << " more tensor" << (r.more == 1 ? "" : "s")
       << " in the same step";
  os << "; training stops instead of going on with wrapped weights (the "
        "last checkpoint is kept). A larger lr_inv or a weight decay "
        "(decay_inv > 0) keeps the weights in range";
  return text;
}
