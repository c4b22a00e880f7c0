//===- FlattenMemRefs.cpp - 1-D memref accesses for EmitC -----------------===//
//
// intc-flatten-memrefs: MLIR 22's memref-to-emitc lowers loads and stores on
// static identity-layout memrefs only, so every view is folded into the
// index of the access that uses it. Each memref value is described by its
// root (a 1-D function argument) and the element position of its base
// pointer inside the root; the value's own strided layout gives the rest.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/C/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

namespace mlir::intc::c {
#define GEN_PASS_DEF_FLATTENMEMREFS
#include "lib/Target/C/Transforms/Passes.h.inc"
} // namespace mlir::intc::c

using namespace mlir;

namespace {

/// Where a memref value's base pointer lies: `shift` elements into `root`.
/// When the value's type has a dynamic offset (a tile's subview inside a
/// loop), `offset` holds it, relative to the base pointer.
struct Base {
  Value root;
  int64_t shift = 0;
  Value offset;
};

/// The static strides of `type` and its offset (ShapedType::kDynamic when
/// dynamic); failure for dynamic strides.
LogicalResult getLayout(MemRefType type, SmallVectorImpl<int64_t> &strides,
                        int64_t &offset) {
  if (failed(type.getStridesAndOffset(strides, offset)))
    return failure();
  return failure(llvm::any_of(strides, ShapedType::isDynamic));
}

int64_t elementBytes(Type t) {
  unsigned bits = t.getIntOrFloatBitWidth();
  return bits % 8 == 0 ? bits / 8 : 0;
}

class FunctionFlattener {
public:
  explicit FunctionFlattener(func::FuncOp fn) : fn(fn) {}

  LogicalResult run() {
    if (failed(addArenaArguments()))
      return failure();
    SmallVector<Operation *> accesses;
    fn.walk([&](Operation *op) {
      if (llvm::isa<memref::LoadOp, memref::StoreOp>(op))
        accesses.push_back(op);
    });
    for (Operation *op : accesses)
      if (failed(rewriteAccess(op)))
        return failure();
    if (failed(eraseViews()))
      return failure();
    retypeArguments();
    return success();
  }

  /// The arena globals this function used (erased by the caller once no
  /// function uses them).
  SmallVector<StringAttr> arenas;

private:
  func::FuncOp fn;
  /// The arena arguments by element type, in the order they were appended.
  SmallVector<std::pair<Type, BlockArgument>> arenaArgs;
  int64_t arenaBytes = 0;
  llvm::DenseMap<Value, Base> bases;

  /// One 1-D argument per element type the arena is viewed as, so the C
  /// caller passes the same static byte buffer once per type.
  LogicalResult addArenaArguments() {
    SmallVector<Type> types;
    WalkResult walk = fn.walk([&](memref::ViewOp view) {
      auto global = view.getSource().getDefiningOp<memref::GetGlobalOp>();
      if (!global) {
        view.emitOpError("views only the function's arena in the C target");
        return WalkResult::interrupt();
      }
      if (arenas.empty())
        arenas.push_back(global.getNameAttr().getAttr());
      else if (arenas.front() != global.getNameAttr().getAttr()) {
        view.emitOpError("views a second arena; the C target expects one per "
                         "function (intc-plan-memory)");
        return WalkResult::interrupt();
      }
      arenaBytes = global.getType().getNumElements();
      Type t = view.getType().getElementType();
      if (!t.isIntOrFloat() || elementBytes(t) == 0) {
        view.emitOpError("element type ") << t << " is not byte-sized";
        return WalkResult::interrupt();
      }
      if (!llvm::is_contained(types, t))
        types.push_back(t);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();
    llvm::stable_sort(types, [](Type a, Type b) {
      return a.getIntOrFloatBitWidth() < b.getIntOrFloatBitWidth();
    });
    SmallVector<Attribute> typeAttrs;
    for (Type t : types) {
      int64_t size = elementBytes(t);
      auto argType = MemRefType::get({(arenaBytes + size - 1) / size}, t);
      unsigned index = fn.getNumArguments();
      if (failed(fn.insertArgument(index, argType, {}, fn.getLoc())))
        return fn.emitOpError("cannot add the arena argument");
      arenaArgs.push_back({t, fn.getArgument(index)});
      typeAttrs.push_back(TypeAttr::get(t));
    }
    if (!types.empty())
      fn->setAttr("intc.arena_args",
                  ArrayAttr::get(fn.getContext(), typeAttrs));
    return success();
  }

  FailureOr<Base> resolve(Value v) {
    auto it = bases.find(v);
    if (it != bases.end())
      return it->second;
    FailureOr<Base> base = compute(v);
    if (succeeded(base))
      bases[v] = *base;
    return base;
  }

  FailureOr<Base> compute(Value v) {
    if (auto arg = llvm::dyn_cast<BlockArgument>(v)) {
      if (arg.getOwner() != &fn.getBody().front())
        return emitError(arg.getLoc(), "memref block argument outside the "
                                       "function entry");
      if (!llvm::cast<MemRefType>(arg.getType()).getLayout().isIdentity())
        return emitError(arg.getLoc(),
                         "memref argument without an identity layout");
      return Base{arg, 0};
    }
    Operation *op = v.getDefiningOp();
    if (auto view = llvm::dyn_cast<memref::ViewOp>(op)) {
      // A new base pointer `byte_shift` bytes into the arena.
      APInt shift;
      if (!matchPattern(view.getByteShift(), m_ConstantInt(&shift)) ||
          !view.getSizes().empty())
        return view.emitOpError("needs a constant shift and static sizes");
      Type t = view.getType().getElementType();
      int64_t size = elementBytes(t);
      if (shift.getSExtValue() % size != 0)
        return view.emitOpError("shift is not a multiple of the element size");
      for (auto &[type, arg] : arenaArgs)
        if (type == t)
          return Base{arg, shift.getSExtValue() / size};
      return view.emitOpError("no arena argument for its element type");
    }
    // These keep the source's base pointer; their result type's layout is
    // relative to it.
    Value source;
    if (auto cast = llvm::dyn_cast<memref::ReinterpretCastOp>(op))
      source = cast.getSource();
    else if (auto sub = llvm::dyn_cast<memref::SubViewOp>(op))
      source = sub.getSource();
    else if (auto collapse = llvm::dyn_cast<memref::CollapseShapeOp>(op))
      source = collapse.getSrc();
    else if (auto expand = llvm::dyn_cast<memref::ExpandShapeOp>(op))
      source = expand.getSrc();
    else if (auto cast = llvm::dyn_cast<memref::CastOp>(op))
      source = cast.getSource();
    else
      return op->emitOpError("is not supported by the C target (no heap, views "
                             "with static strides only)");
    FailureOr<Base> base = resolve(source);
    if (failed(base))
      return failure();
    auto type = llvm::cast<MemRefType>(v.getType());
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(getLayout(type, strides, offset)))
      return op->emitOpError("has dynamic strides: ") << type;
    if (!ShapedType::isDynamic(offset))
      return Base{base->root, base->shift, Value()};
    return Base{base->root, base->shift, dynamicOffset(op, *base)};
  }

  /// The dynamic offset of `op`'s result relative to its base pointer: the
  /// reinterpret_cast's own, the source's for reshapes and casts, and for a
  /// subview the source's plus each offset times the source's stride.
  Value dynamicOffset(Operation *op, const Base &source) {
    OpBuilder b(op->getContext());
    b.setInsertionPointAfter(op);
    Location loc = op->getLoc();
    auto constant = [&](int64_t c) -> Value {
      return arith::ConstantIndexOp::create(b, loc, c);
    };
    if (auto cast = llvm::dyn_cast<memref::ReinterpretCastOp>(op)) {
      OpFoldResult ofr = cast.getMixedOffsets().front();
      if (auto v = llvm::dyn_cast<Value>(ofr))
        return v;
      return constant(
          llvm::cast<IntegerAttr>(llvm::cast<Attribute>(ofr)).getInt());
    }
    auto sourceType = llvm::cast<MemRefType>(op->getOperand(0).getType());
    SmallVector<int64_t> strides;
    int64_t offset;
    (void)getLayout(sourceType, strides, offset);
    // A static part and the sum of the dynamic terms.
    int64_t fixed = ShapedType::isDynamic(offset) ? 0 : offset;
    Value sum = ShapedType::isDynamic(offset) ? source.offset : Value();
    if (auto sub = llvm::dyn_cast<memref::SubViewOp>(op))
      for (auto [ofr, stride] : llvm::zip(sub.getMixedOffsets(), strides)) {
        auto v = llvm::dyn_cast<Value>(ofr);
        if (!v) {
          fixed +=
              llvm::cast<IntegerAttr>(llvm::cast<Attribute>(ofr)).getInt() *
              stride;
          continue;
        }
        Value term = stride == 1
                         ? v
                         : arith::MulIOp::create(b, loc, v, constant(stride));
        sum = sum ? arith::AddIOp::create(b, loc, sum, term) : term;
      }
    if (!sum)
      return constant(fixed);
    return fixed ? arith::AddIOp::create(b, loc, sum, constant(fixed)) : sum;
  }

  LogicalResult rewriteAccess(Operation *op) {
    auto load = llvm::dyn_cast<memref::LoadOp>(op);
    auto store = llvm::dyn_cast<memref::StoreOp>(op);
    Value memref = load ? load.getMemref() : store.getMemref();
    ValueRange indices = load ? load.getIndices() : store.getIndices();
    FailureOr<Base> base = resolve(memref);
    if (failed(base))
      return failure();
    auto type = llvm::cast<MemRefType>(memref.getType());
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(getLayout(type, strides, offset)))
      return op->emitOpError("accesses a memref with dynamic strides: ")
             << type;

    OpBuilder b(op);
    Location loc = op->getLoc();
    Value linear;
    auto add = [&](Value term) {
      linear = linear ? arith::AddIOp::create(b, loc, linear, term) : term;
    };
    for (auto [index, stride] : llvm::zip(indices, strides)) {
      if (stride == 0)
        continue;
      add(stride == 1 ? index
                      : arith::MulIOp::create(
                            b, loc, index,
                            arith::ConstantIndexOp::create(b, loc, stride)));
    }
    bool dynamic = ShapedType::isDynamic(offset);
    if (dynamic)
      add(base->offset);
    if (int64_t constant = base->shift + (dynamic ? 0 : offset);
        constant != 0 || !linear)
      add(arith::ConstantIndexOp::create(b, loc, constant));

    if (load) {
      auto flat = memref::LoadOp::create(b, loc, base->root, linear);
      load.replaceAllUsesWith(flat.getResult());
    } else {
      memref::StoreOp::create(b, loc, store.getValueToStore(), base->root,
                              linear);
    }
    op->erase();
    return success();
  }

  /// Views, now unused, go from the last to the first; anything else still
  /// holding a memref is an op the C target cannot express.
  LogicalResult eraseViews() {
    SmallVector<Operation *> ops;
    fn.walk([&](Operation *op) {
      if (llvm::isa<memref::ViewOp, memref::ReinterpretCastOp,
                    memref::SubViewOp, memref::CollapseShapeOp,
                    memref::ExpandShapeOp, memref::CastOp, memref::GetGlobalOp>(
              op))
        ops.push_back(op);
    });
    for (Operation *op : llvm::reverse(ops))
      if (op->use_empty())
        op->erase();
    WalkResult walk = fn.walk([&](Operation *op) {
      auto isMemRef = [](Type t) { return llvm::isa<MemRefType>(t); };
      bool usesMemRef = llvm::any_of(op->getOperandTypes(), isMemRef) ||
                        llvm::any_of(op->getResultTypes(), isMemRef);
      if (usesMemRef && !llvm::isa<memref::LoadOp, memref::StoreOp>(op)) {
        op->emitOpError("is not supported by the C target (no heap, views with "
                        "static strides only)");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    return failure(walk.wasInterrupted());
  }

  void retypeArguments() {
    for (BlockArgument arg : fn.getArguments())
      if (auto type = llvm::dyn_cast<MemRefType>(arg.getType()))
        arg.setType(
            MemRefType::get({type.getNumElements()}, type.getElementType()));
    fn.setType(FunctionType::get(fn.getContext(),
                                 fn.getBody().front().getArgumentTypes(),
                                 fn.getResultTypes()));
  }
};

struct FlattenMemRefsPass
    : intc::c::impl::FlattenMemRefsBase<FlattenMemRefsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    llvm::SmallDenseSet<StringAttr> arenas;
    for (func::FuncOp fn :
         llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
      if (fn.isExternal())
        continue;
      FunctionFlattener flattener(fn);
      if (failed(flattener.run()))
        return signalPassFailure();
      arenas.insert(flattener.arenas.begin(), flattener.arenas.end());
    }
    for (StringAttr name : arenas)
      if (auto global = module.lookupSymbol<memref::GlobalOp>(name))
        if (SymbolTable::symbolKnownUseEmpty(global, module))
          global.erase();
  }
};

} // namespace
