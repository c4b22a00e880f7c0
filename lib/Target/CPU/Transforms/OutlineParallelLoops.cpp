//===- OutlineParallelLoops.cpp - Large scf.parallel -> range functions ---===//
//
// intc-outline-parallel-loops: moves each large outermost scf.parallel into
// a function over a range of one of its dimensions, called once over the
// whole range. intc-lower-parallel-calls turns the call into
// intc_cpu_parallel_for, so that the element-wise part of a step (rescale,
// activations, loss, updates, pooling) runs on every thread of the
// runtime/cpu pool, not just the microkernels.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Transforms/Passes.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

namespace mlir::intc::cpu {
#define GEN_PASS_DEF_OUTLINEPARALLELLOOPS
#include "lib/Target/CPU/Transforms/Passes.h.inc"
} // namespace mlir::intc::cpu

using namespace mlir;
using namespace mlir::intc;

namespace {

constexpr int64_t kWorkCap = int64_t(1) << 62;

int64_t addSat(int64_t a, int64_t b) { return std::min(a + b, kWorkCap); }
int64_t mulSat(int64_t a, int64_t b) {
  if (a == 0 || b == 0)
    return 0;
  return a > kWorkCap / b ? kWorkCap : a * b;
}

/// Iterations of [lb, ub) by step, when all three are constants.
std::optional<int64_t> tripCount(Value lb, Value ub, Value step) {
  std::optional<int64_t> l = getConstantIntValue(lb),
                         u = getConstantIntValue(ub),
                         s = getConstantIntValue(step);
  if (!l || !u || !s || *s <= 0)
    return std::nullopt;
  return *u > *l ? (*u - *l + *s - 1) / *s : 0;
}

int64_t regionWork(Region &region);

/// Operations `op` executes: 1, or its regions' times their trip counts
/// (an unknown trip count counts once: a lower bound is enough to decide
/// whether a dispatch pays).
int64_t opWork(Operation &op) {
  if (op.getNumRegions() == 0)
    return 1;
  int64_t inner = 0;
  for (Region &region : op.getRegions())
    inner = addSat(inner, regionWork(region));
  int64_t trips = 1;
  if (auto loop = dyn_cast<scf::ForOp>(op)) {
    trips =
        tripCount(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())
            .value_or(1);
  } else if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
    for (unsigned i = 0; i < loop.getNumLoops(); ++i)
      trips =
          mulSat(trips, tripCount(loop.getLowerBound()[i],
                                  loop.getUpperBound()[i], loop.getStep()[i])
                            .value_or(1));
  }
  return addSat(mulSat(trips, inner), 1);
}

int64_t regionWork(Region &region) {
  int64_t work = 0;
  for (Block &block : region)
    for (Operation &op : block)
      work = addSat(work, opWork(op));
  return work;
}

bool definedInside(Value v, Operation *op) {
  return op->isProperAncestor(v.getParentRegion()->getParentOp()) ||
         v.getParentRegion()->getParentOp() == op;
}

/// Which dimensions of `loop` may be cut into slices that write disjoint
/// memory: every store must index its memref with the dimension's
/// induction variable itself, unless the memref is an alloca of the body
/// (each iteration's own; a view made inside the body may still alias
/// memory of other iterations, so its stores are checked too). Empty when
/// the body calls functions or writes memory in any other way.
SmallVector<bool> splittableDimensions(scf::ParallelOp loop) {
  unsigned n = loop.getNumLoops();
  SmallVector<bool> splittable(n, true);
  ValueRange ivs = loop.getInductionVars();
  WalkResult result = loop.getRegion().walk([&](Operation *op) {
    if (isa<CallOpInterface>(op))
      return WalkResult::interrupt();
    if (auto store = dyn_cast<memref::StoreOp>(op)) {
      Value memref = store.getMemRef();
      if (memref.getDefiningOp<memref::AllocaOp>() &&
          definedInside(memref, loop))
        return WalkResult::advance();
      for (unsigned i = 0; i < n; ++i)
        if (!llvm::is_contained(store.getIndices(), ivs[i]))
          splittable[i] = false;
      return WalkResult::advance();
    }
    if (op->hasTrait<OpTrait::HasRecursiveMemoryEffects>() ||
        isMemoryEffectFree(op))
      return WalkResult::advance();
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    if (!effects || effects.hasEffect<MemoryEffects::Write>() ||
        effects.hasEffect<MemoryEffects::Free>())
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  if (result.wasInterrupted())
    return {};
  return splittable;
}

/// A memref the loop reads or writes, passed as its base buffer and the
/// dynamic parts of its layout.
struct MemRefCapture {
  MemRefType type;
  int64_t offset;
  SmallVector<int64_t> strides;
};

struct OutlineParallelLoopsPass
    : intc::cpu::impl::OutlineParallelLoopsBase<OutlineParallelLoopsPass> {
  using OutlineParallelLoopsBase::OutlineParallelLoopsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<scf::ParallelOp> loops;
    module.walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>() &&
          loop->getParentOfType<func::FuncOp>())
        loops.push_back(loop);
    });
    for (scf::ParallelOp loop : loops)
      if (outline(loop, symbols))
        ++numOutlined;
  }

  /// Functions made so far per function they came from: the next one is
  /// @<function>_par<count>, placed after the last.
  llvm::DenseMap<Operation *, SmallVector<Operation *>> outlined;

  bool outline(scf::ParallelOp loop, SymbolTable &symbols) {
    if (loop.getNumResults() != 0)
      return false;
    unsigned n = loop.getNumLoops();
    SmallVector<int64_t> trips;
    int64_t iterations = 1;
    for (unsigned i = 0; i < n; ++i) {
      std::optional<int64_t> trip = tripCount(
          loop.getLowerBound()[i], loop.getUpperBound()[i], loop.getStep()[i]);
      if (!trip)
        return false;
      trips.push_back(*trip);
      iterations = mulSat(iterations, *trip);
    }
    if (mulSat(iterations, regionWork(loop.getRegion())) < minWork)
      return false;

    // The widest dimension that may be split.
    SmallVector<bool> splittable = splittableDimensions(loop);
    int dim = -1;
    for (unsigned i = 0; i < splittable.size(); ++i)
      if (splittable[i] && trips[i] >= 2 && (dim < 0 || trips[i] > trips[dim]))
        dim = int(i);
    if (dim < 0)
      return false;

    // What the loop uses from outside: constants are cloned, integers and
    // indices passed, memrefs passed as base buffer + dynamic layout.
    SetVector<Value> used;
    getUsedValuesDefinedAbove(loop.getRegion(), used);
    for (Value v : loop->getOperands())
      used.insert(v);
    SmallVector<Value> constants, scalars, memrefs;
    SmallVector<MemRefCapture> layouts;
    for (Value v : used) {
      if (matchPattern(v, m_Constant())) {
        constants.push_back(v);
      } else if (isa<IntegerType, IndexType>(v.getType())) {
        scalars.push_back(v);
      } else if (auto type = dyn_cast<MemRefType>(v.getType())) {
        MemRefCapture capture{type, 0, {}};
        if (failed(type.getStridesAndOffset(capture.strides, capture.offset)))
          return false;
        memrefs.push_back(v);
        layouts.push_back(std::move(capture));
      } else {
        return false;
      }
    }

    // The function over [lo, hi) of dimension `dim`.
    auto parent = loop->getParentOfType<func::FuncOp>();
    Location loc = loop.getLoc();
    OpBuilder b(loop);
    Type index = b.getIndexType();
    SmallVector<Type> argTypes = {index, index};
    for (const MemRefCapture &m : layouts) {
      argTypes.push_back(MemRefType::get({}, m.type.getElementType(),
                                         AffineMap(), m.type.getMemorySpace()));
      int64_t dynamic = ShapedType::isDynamic(m.offset);
      dynamic += llvm::count_if(m.type.getShape(), ShapedType::isDynamic);
      dynamic += llvm::count_if(m.strides, ShapedType::isDynamic);
      argTypes.append(dynamic, index);
    }
    for (Value v : scalars)
      argTypes.push_back(v.getType());
    SmallVector<Operation *> &siblings = outlined[parent];
    auto callee = func::FuncOp::create(
        loc, (parent.getSymName() + "_par" + Twine(siblings.size())).str(),
        b.getFunctionType(argTypes, {}));
    callee.setPrivate();
    callee->setAttr("intc.parallel_body", b.getUnitAttr());
    Operation *after = siblings.empty() ? parent : siblings.back();
    symbols.insert(callee, std::next(Block::iterator(after)));
    siblings.push_back(callee);

    Block *entry = callee.addEntryBlock();
    OpBuilder fb = OpBuilder::atBlockBegin(entry);
    IRMapping map;
    unsigned arg = 2;
    for (Value v : constants)
      fb.clone(*v.getDefiningOp(), map);
    for (auto [v, m] : llvm::zip(memrefs, layouts)) {
      Value base = entry->getArgument(arg++);
      auto next = [&](int64_t value) -> OpFoldResult {
        if (ShapedType::isDynamic(value))
          return entry->getArgument(arg++);
        return fb.getIndexAttr(value);
      };
      OpFoldResult offset = next(m.offset);
      SmallVector<OpFoldResult> sizes, strides;
      for (int64_t size : m.type.getShape())
        sizes.push_back(next(size));
      for (int64_t stride : m.strides)
        strides.push_back(next(stride));
      map.map(v, memref::ReinterpretCastOp::create(fb, loc, m.type, base,
                                                   offset, sizes, strides)
                     .getResult());
    }
    for (Value v : scalars)
      map.map(v, entry->getArgument(arg++));
    // Iterations [lo, hi) of dimension dim: lb + lo * step to lb + hi * step.
    Value lb = map.lookup(loop.getLowerBound()[dim]);
    Value step = map.lookup(loop.getStep()[dim]);
    auto bound = [&](Value iteration) -> Value {
      Value scaled = arith::MulIOp::create(fb, loc, iteration, step);
      return arith::AddIOp::create(fb, loc, lb, scaled);
    };
    Value sliceLb = bound(entry->getArgument(0));
    Value sliceUb = bound(entry->getArgument(1));
    Operation *slice = fb.clone(*loop, map);
    slice->setOperand(dim, sliceLb);
    slice->setOperand(n + dim, sliceUb);
    func::ReturnOp::create(fb, loc);

    // The call over the whole range, in the loop's place.
    SmallVector<Value> operands = {
        arith::ConstantIndexOp::create(b, loc, 0),
        arith::ConstantIndexOp::create(b, loc, trips[dim])};
    for (auto [v, m] : llvm::zip(memrefs, layouts)) {
      auto meta = memref::ExtractStridedMetadataOp::create(b, loc, v);
      operands.push_back(meta.getBaseBuffer());
      if (ShapedType::isDynamic(m.offset))
        operands.push_back(meta.getOffset());
      for (auto [i, size] : llvm::enumerate(m.type.getShape()))
        if (ShapedType::isDynamic(size))
          operands.push_back(meta.getSizes()[i]);
      for (auto [i, stride] : llvm::enumerate(m.strides))
        if (ShapedType::isDynamic(stride))
          operands.push_back(meta.getStrides()[i]);
    }
    llvm::append_range(operands, scalars);
    func::CallOp::create(b, loc, callee, operands);
    loop.erase();
    return true;
  }
};

} // namespace
