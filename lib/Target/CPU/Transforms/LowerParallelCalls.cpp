//===- LowerParallelCalls.cpp - Outlined loops -> intc_cpu_parallel_for ---===//
//
// intc-lower-parallel-calls: on the LLVM dialect, each call of a function
// that intc-outline-parallel-loops made, f(lo, hi, args...), becomes
// intc_cpu_parallel_for(f_slice, &args, lo, hi), where f_slice(ctx, lo, hi)
// unpacks the arguments and calls f. The C runtime cannot call f itself:
// its arguments differ from loop to loop.
//
//===----------------------------------------------------------------------===//

#include "lib/Target/CPU/Transforms/Passes.h"

namespace mlir::intc::cpu {
#define GEN_PASS_DEF_LOWERPARALLELCALLS
#include "lib/Target/CPU/Transforms/Passes.h.inc"
} // namespace mlir::intc::cpu

using namespace mlir;
using namespace mlir::intc;

namespace {

constexpr StringLiteral kRuntimeFunction = "intc_cpu_parallel_for";

struct LowerParallelCallsPass
    : intc::cpu::impl::LowerParallelCallsBase<LowerParallelCallsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<LLVM::LLVMFuncOp> bodies;
    for (auto fn : module.getOps<LLVM::LLVMFuncOp>())
      if (fn->hasAttr("intc.parallel_body") && !fn.isExternal())
        bodies.push_back(fn);
    if (bodies.empty())
      return;

    MLIRContext *ctx = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    auto voidType = LLVM::LLVMVoidType::get(ctx);
    auto runtime = module.lookupSymbol<LLVM::LLVMFuncOp>(kRuntimeFunction);
    if (!runtime) {
      auto b = OpBuilder::atBlockEnd(module.getBody());
      runtime = LLVM::LLVMFuncOp::create(
          b, module.getLoc(), kRuntimeFunction,
          LLVM::LLVMFunctionType::get(voidType, {ptr, ptr, i64, i64}));
    }

    for (LLVM::LLVMFuncOp body : bodies) {
      ArrayRef<Type> params = body.getFunctionType().getParams();
      if (params.size() < 2 || params[0] != i64 || params[1] != i64) {
        body.emitError("an intc.parallel_body function must take (i64 lo, "
                       "i64 hi, ...)");
        return signalPassFailure();
      }
      auto ctxType =
          LLVM::LLVMStructType::getLiteral(ctx, params.drop_front(2));
      LLVM::LLVMFuncOp slice = buildSlice(body, ctxType);
      body.setLinkage(LLVM::Linkage::Internal);

      SmallVector<LLVM::CallOp> calls;
      module.walk([&](LLVM::CallOp call) {
        if (call.getCallee() == body.getName() &&
            call->getParentOp() != slice.getOperation())
          calls.push_back(call);
      });
      for (LLVM::CallOp call : calls)
        lowerCall(call, runtime, slice, ctxType);
    }
  }

  /// f_slice(ctx, lo, hi): f(lo, hi, ctx->0, ctx->1, ...).
  LLVM::LLVMFuncOp buildSlice(LLVM::LLVMFuncOp body,
                              LLVM::LLVMStructType ctxType) {
    MLIRContext *ctx = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    auto i64 = IntegerType::get(ctx, 64);
    Location loc = body.getLoc();
    OpBuilder b(body);
    b.setInsertionPointAfter(body);
    auto slice = LLVM::LLVMFuncOp::create(
        b, loc, (body.getName() + "_slice").str(),
        LLVM::LLVMFunctionType::get(LLVM::LLVMVoidType::get(ctx),
                                    {ptr, i64, i64}),
        LLVM::Linkage::Internal);
    Block *entry = slice.addEntryBlock(b);
    b.setInsertionPointToStart(entry);
    SmallVector<Value> args = {entry->getArgument(1), entry->getArgument(2)};
    for (auto [i, type] : llvm::enumerate(ctxType.getBody())) {
      Value field = LLVM::GEPOp::create(
          b, loc, ptr, ctxType, entry->getArgument(0),
          ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
      args.push_back(LLVM::LoadOp::create(b, loc, type, field));
    }
    LLVM::CallOp::create(b, loc, body, args);
    LLVM::ReturnOp::create(b, loc, ValueRange());
    return slice;
  }

  /// f(lo, hi, args...) -> the args in a stack struct (allocated once, in
  /// the entry block) and intc_cpu_parallel_for(f_slice, &struct, lo, hi).
  void lowerCall(LLVM::CallOp call, LLVM::LLVMFuncOp runtime,
                 LLVM::LLVMFuncOp slice, LLVM::LLVMStructType ctxType) {
    MLIRContext *ctx = &getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    Location loc = call.getLoc();
    auto parent = call->getParentOfType<LLVM::LLVMFuncOp>();
    auto entry = OpBuilder::atBlockBegin(&parent.getBody().front());
    Value one = LLVM::ConstantOp::create(entry, loc, entry.getI64Type(),
                                         entry.getI64IntegerAttr(1));
    Value args = LLVM::AllocaOp::create(entry, loc, ptr, ctxType, one);

    OpBuilder b(call);
    ValueRange operands = call.getArgOperands();
    for (auto [i, value] : llvm::enumerate(operands.drop_front(2))) {
      Value field = LLVM::GEPOp::create(
          b, loc, ptr, ctxType, args,
          ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(i)});
      LLVM::StoreOp::create(b, loc, value, field);
    }
    Value fn = LLVM::AddressOfOp::create(b, loc, slice);
    LLVM::CallOp::create(b, loc, runtime,
                         ValueRange{fn, args, operands[0], operands[1]});
    call.erase();
  }
};

} // namespace
