//===- ElaboratorExpr.cpp - expressions of the elaborator -----------------===//
//
// Names, literals, operators (checked integer arithmetic), indexing and
// slicing; calls are in ElaboratorCall.cpp.
//
//===----------------------------------------------------------------------===//
#include "sema/ElaboratorImpl.h"

#include "support/Checked.h"
#include "support/Suggest.h"

#include <cmath>

namespace netc::sema {

Value Elaborator::eval(const Expr &e) {
  switch (e.kind) {
  case ExprKind::Int: return Value::ofInt(llvm::cast<IntLit>(e).value);
  case ExprKind::Float: return Value::ofFloat(llvm::cast<FloatLit>(e).value);
  case ExprKind::String: return Value::ofStr(llvm::cast<StringLit>(e).value);
  case ExprKind::Bool: return Value::ofBool(llvm::cast<BoolLit>(e).value);
  case ExprKind::None: return Value::none();
  case ExprKind::Name: return evalName(llvm::cast<NameExpr>(e));
  case ExprKind::List:
  case ExprKind::Tuple: {
    const auto &xs = e.kind == ExprKind::List ? llvm::cast<ListExpr>(e).elems
                                              : llvm::cast<TupleExpr>(e).elems;
    if (xs.size() > opts.maxRange)
      fail(e.loc, "list too long");
    ValueList vs;
    vs.reserve(xs.size());
    for (const ExprPtr &x : xs)
      vs.push_back(eval(*x));
    return Value::ofList(std::move(vs), e.kind == ExprKind::Tuple);
  }
  case ExprKind::Unary: {
    const auto &u = llvm::cast<UnaryExpr>(e);
    Value v = eval(*u.operand);
    if (u.op == UnaryOp::Not) {
      if (v.kind != K::Bool)
        fail(u.loc, fmt::format("'!' needs a bool, got {}", kindName(v.kind)));
      return Value::ofBool(!v.asBool());
    }
    if (!v.isNumber())
      fail(u.loc, fmt::format("unary '{}' needs a number, got {}", spelling(u.op), kindName(v.kind)));
    if (u.op == UnaryOp::Plus)
      return v;
    if (v.kind == K::Float)
      return Value::ofFloat(-v.f);
    if (v.i == INT64_MIN)
      fail(u.loc, "integer overflow in '-'");
    return Value::ofInt(-v.i);
  }
  case ExprKind::Binary: return evalBinary(llvm::cast<BinaryExpr>(e));
  case ExprKind::Cond: {
    const auto &c = llvm::cast<CondExpr>(e);
    Value v = eval(*c.cond);
    if (v.kind != K::Bool)
      fail(c.cond->loc, fmt::format("'?' needs a bool condition, got {}", kindName(v.kind)));
    return eval(v.asBool() ? *c.thenExpr : *c.elseExpr);
  }
  case ExprKind::Call: {
    const auto &c = llvm::cast<CallExpr>(e);
    Value callee = eval(*c.callee);
    checkCallable(*c.callee, callee, c.loc);
    return callValue(callee, evalArgs(c.args), c.loc);
  }
  case ExprKind::Pipe: {
    // x |> f(args) is f(x, args); x |> f is f(x).
    const auto &p = llvm::cast<PipeExpr>(e);
    Value lhs = eval(*p.lhs);
    std::vector<CallArg> args{{"", lhs, p.lhs->loc}};
    if (const auto *c = llvm::dyn_cast<CallExpr>(p.rhs.get())) {
      Value callee = eval(*c->callee);
      checkCallable(*c->callee, callee, c->loc);
      for (CallArg &a : evalArgs(c->args))
        args.push_back(std::move(a));
      return callValue(callee, std::move(args), c->loc);
    }
    Value callee = eval(*p.rhs);
    checkCallable(*p.rhs, callee, p.rhs->loc);
    return callValue(callee, std::move(args), p.rhs->loc);
  }
  case ExprKind::Index: return evalIndex(llvm::cast<IndexExpr>(e));
  }
  fail(e.loc, "unsupported expression");
}

void Elaborator::checkCallable(const Expr &calleeExpr, const Value &callee, SourceLoc loc) {
  const auto *n = llvm::dyn_cast<NameExpr>(&calleeExpr);
  if (callee.kind == K::Func || !n)
    return;
  // A local name (a parameter, a variable) that hides a block, op or
  // built-in: "cannot call an int" alone would not say why.
  std::string hidden;
  auto g = globals.find(n->name);
  if (g != globals.end() && llvm::isa<BlockDecl>(g->second))
    hidden = "block";
  else if (ir::OpTable::get().lookup(n->name))
    hidden = "op";
  else if (lookupBuiltin(n->name))
    hidden = "built-in function";
  if (hidden.empty())
    return;
  fail(loc, fmt::format("cannot call {}", kindName(callee.kind)), n->loc,
       fmt::format("'{}' here is a local name ({}), which hides the {} '{}'", n->name,
                   kindName(callee.kind), hidden, n->name));
}

Value Elaborator::evalName(const NameExpr &n) {
  Frame &f = *frames.back();
  auto v = f.vars.find(n.name);
  if (v != f.vars.end()) {
    observe(n.loc, v->second);
    return v->second;
  }
  auto g = globals.find(n.name);
  if (g != globals.end()) {
    if (auto *b = llvm::dyn_cast<BlockDecl>(g->second))
      return Value::ofFunc({Func::Kind::Block, b, nullptr, Builtin::Min, n.name});
    fail(n.loc, fmt::format("'{}' is a {}; it cannot be used in an expression", n.name,
                            g->second->kind == DeclKind::Network ? "network" : "hardware profile"));
  }
  if (const BuiltinSpec *b = lookupBuiltin(n.name))
    return Value::ofFunc({Func::Kind::Builtin, nullptr, nullptr, b->id, n.name});
  if (const ir::OpDef *op = ir::OpTable::get().lookup(n.name))
    return Value::ofFunc({Func::Kind::Op, nullptr, op, Builtin::Min, n.name});
  // Suggest the closest visible name.
  std::vector<llvm::StringRef> visible;
  for (const auto &kv : f.vars)
    visible.push_back(kv.first());
  for (const auto &kv : globals)
    visible.push_back(kv.first());
  for (const ir::OpDef *op : ir::OpTable::get().all())
    visible.push_back(op->name);
  for (const BuiltinSpec &b : allBuiltins())
    visible.push_back(b.name);
  fail(n.loc, fmt::format("unknown name '{}'{}", n.name, didYouMean(n.name, visible)));
}

Value Elaborator::evalBinary(const BinaryExpr &b) {
  if (b.op == BinaryOp::And || b.op == BinaryOp::Or) {
    Value l = eval(*b.lhs);
    if (l.kind != K::Bool)
      fail(b.loc, fmt::format("'{}' needs bools, got {}", spelling(b.op), kindName(l.kind)));
    if (l.asBool() == (b.op == BinaryOp::Or))
      return l;
    Value r = eval(*b.rhs);
    if (r.kind != K::Bool)
      fail(b.loc, fmt::format("'{}' needs bools, got {}", spelling(b.op), kindName(r.kind)));
    return r;
  }
  Value l = eval(*b.lhs);
  Value r = eval(*b.rhs);
  return arith(b.op, l, r, b.loc);
}

/// A tensor and a number: `x * s`, `s * x`, `x / s`, `x + s`, `s + x`,
/// `x - s`, `s - x` are the op affine(x, scale, shift); anything else (a
/// number divided by a tensor, a tensor and a list) is an error saying so.
Value Elaborator::tensorScalar(BinaryOp op, const Value &a, const Value &b, SourceLoc loc) {
  const bool tensorFirst = a.kind == K::Tensor;
  const Value &t = tensorFirst ? a : b, &n = tensorFirst ? b : a;
  if (!n.isNumber() || !(op == BinaryOp::Add || op == BinaryOp::Sub || op == BinaryOp::Mul ||
                         op == BinaryOp::Div))
    fail(loc, fmt::format("'{}' cannot combine {} and {}{}", spelling(op), kindName(a.kind),
                          kindName(b.kind),
                          n.isNumber() ? "" : " (a tensor combines with a tensor or a number)"));
  const double v = n.asDouble();
  double scale = 1, shift = 0;
  switch (op) {
  case BinaryOp::Mul: scale = v; break;
  case BinaryOp::Add: shift = v; break;
  case BinaryOp::Sub: tensorFirst ? (void)(shift = -v) : (void)(scale = -1, shift = v); break;
  default: // Div
    if (!tensorFirst)
      fail(loc, "'/' cannot divide a number by a tensor (elementwise reciprocal is not an op); "
                "write the tensor on the left, as x / s");
    if (v == 0)
      fail(loc, "division of a tensor by zero");
    scale = 1 / v;
  }
  return tensorOp("affine", {{"", t, loc}, {"scale", Value::ofFloat(scale), loc},
                             {"shift", Value::ofFloat(shift), loc}},
                  loc);
}

Value Elaborator::arith(BinaryOp op, const Value &a, const Value &b, SourceLoc loc) {
  auto bad = [&]() -> Value {
    fail(loc, fmt::format("'{}' cannot combine {} and {}", spelling(op), kindName(a.kind),
                          kindName(b.kind)));
  };
  // Tensors: elementwise ops with broadcasting, and ++ for channel concat.
  if (a.kind == K::Tensor || b.kind == K::Tensor) {
    if (a.kind != K::Tensor || b.kind != K::Tensor)
      return tensorScalar(op, a, b, loc);
    const char *opName = op == BinaryOp::Add   ? "add"
                         : op == BinaryOp::Sub ? "sub"
                         : op == BinaryOp::Mul ? "mul"
                         : op == BinaryOp::Div ? "div"
                                               : nullptr;
    if (op == BinaryOp::Concat)
      return tensorOp("concat", {{"", Value::ofList({a, b}), loc}}, loc);
    if (!opName)
      bad();
    return tensorOp(opName, {{"", a, loc}, {"", b, loc}}, loc);
  }
  switch (op) {
  case BinaryOp::Eq: return Value::ofBool(valuesEqual(a, b));
  case BinaryOp::Ne: return Value::ofBool(!valuesEqual(a, b));
  case BinaryOp::Concat:
  case BinaryOp::Add:
    if ((a.isSequence() && a.kind == b.kind) || (a.kind == K::Str && b.kind == K::Str)) {
      size_t n = a.kind == K::Str ? a.str->size() + b.str->size()
                                  : a.items().size() + b.items().size();
      if (n > opts.maxRange)
        fail(loc, fmt::format("'{}' would build a {} of {} elements, more than the limit of {}",
                              spelling(op), a.kind == K::Str ? "string" : "list", n,
                              opts.maxRange));
    }
    if (a.isSequence() && a.kind == b.kind) {
      ValueList xs = a.items();
      xs.insert(xs.end(), b.items().begin(), b.items().end());
      return Value::ofList(std::move(xs), a.kind == K::Tuple);
    }
    if (a.kind == K::Str && b.kind == K::Str)
      return Value::ofStr(*a.str + *b.str);
    if (op == BinaryOp::Concat)
      bad();
    break;
  case BinaryOp::Lt: case BinaryOp::Le: case BinaryOp::Gt: case BinaryOp::Ge:
    if (a.kind == K::Str && b.kind == K::Str) {
      int c = a.str->compare(*b.str);
      bool r = op == BinaryOp::Lt ? c < 0 : op == BinaryOp::Le ? c <= 0 : op == BinaryOp::Gt ? c > 0 : c >= 0;
      return Value::ofBool(r);
    }
    break;
  default:
    break;
  }
  if (!a.isNumber() || !b.isNumber())
    bad();
  const bool ints = a.kind == K::Int && b.kind == K::Int;
  const double x = a.asDouble(), y = b.asDouble();
  auto checked = [&](std::optional<int64_t> r) {
    if (!r)
      fail(loc, fmt::format("integer overflow in '{}' ({} {} {})", spelling(op), a.i,
                            spelling(op), b.i));
    return Value::ofInt(*r);
  };
  switch (op) {
  case BinaryOp::Add: return ints ? checked(checkedAdd(a.i, b.i)) : Value::ofFloat(x + y);
  case BinaryOp::Sub: return ints ? checked(checkedSub(a.i, b.i)) : Value::ofFloat(x - y);
  case BinaryOp::Mul: return ints ? checked(checkedMul(a.i, b.i)) : Value::ofFloat(x * y);
  case BinaryOp::Div:
    if (y == 0)
      fail(loc, "division by zero");
    return Value::ofFloat(x / y);
  case BinaryOp::FloorDiv:
  case BinaryOp::Mod:
    if (y == 0)
      fail(loc, fmt::format("{} by zero", op == BinaryOp::Mod ? "modulo" : "division"));
    if (ints) {
      if (a.i == INT64_MIN && b.i == -1)
        fail(loc, "integer overflow in '//'");
      return Value::ofInt(op == BinaryOp::Mod ? floorMod(a.i, b.i) : floorDiv(a.i, b.i));
    }
    return Value::ofFloat(op == BinaryOp::Mod ? x - std::floor(x / y) * y : std::floor(x / y));
  case BinaryOp::Pow:
    if (ints && b.i >= 0) {
      int64_t r = 1;
      for (int64_t k = 0; k < b.i; ++k) {
        auto m = checkedMul(r, a.i);
        if (!m)
          fail(loc, fmt::format("integer overflow in '**' ({} ** {})", a.i, b.i));
        r = *m;
        if (r == 0 || r == 1)
          break;
      }
      return Value::ofInt(r);
    }
    return Value::ofFloat(std::pow(x, y));
  case BinaryOp::Lt: return Value::ofBool(x < y);
  case BinaryOp::Le: return Value::ofBool(x <= y);
  case BinaryOp::Gt: return Value::ofBool(x > y);
  case BinaryOp::Ge: return Value::ofBool(x >= y);
  default: return bad();
  }
}

int64_t Elaborator::evalIndexInt(const Expr &x, const char *what) {
  Value v = eval(x);
  if (v.kind != K::Int)
    fail(x.loc, fmt::format("{} must be an int, got {}", what, kindName(v.kind)));
  return v.i;
}

Value Elaborator::evalIndex(const IndexExpr &e) {
  Value base = eval(*e.base);
  if (base.kind == K::Tensor)
    return indexTensor(base, e);
  if (!base.isSequence() && base.kind != K::Str)
    fail(e.loc, fmt::format("cannot index {}", kindName(base.kind)));
  if (e.subs.size() > 1)
    fail(e.subs[1].loc, fmt::format("{} takes one index, got {} (only a tensor takes one per dim)",
                                    kindName(base.kind), e.subs.size()));
  const Subscript &sub = e.subs[0];
  int64_t n = base.kind == K::Str ? static_cast<int64_t>(base.str->size())
                                  : static_cast<int64_t>(base.items().size());
  if (!sub.isRange) {
    int64_t i = evalIndexInt(*sub.index, "an index");
    int64_t j = i < 0 ? i + n : i;
    if (j < 0 || j >= n)
      fail(sub.index->loc, fmt::format("index {} is out of range for {} elements", i, n));
    if (base.kind == K::Str)
      return Value::ofStr(std::string(1, (*base.str)[static_cast<size_t>(j)]));
    return base.items()[static_cast<size_t>(j)];
  }
  // Python's rules: bounds clamped into [0, n], negative ones from the end.
  auto clampIdx = [&](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + n : i, 0, n); };
  int64_t lo = sub.lo ? clampIdx(evalIndexInt(*sub.lo, "an index")) : 0;
  int64_t hi = sub.hi ? clampIdx(evalIndexInt(*sub.hi, "an index")) : n;
  int64_t step = sub.step ? evalIndexInt(*sub.step, "a step") : 1;
  if (step < 1)
    fail(sub.step->loc, fmt::format("a slice step must be at least 1, got {}", step));
  std::string str;
  ValueList xs;
  const int64_t count = hi <= lo ? 0 : 1 + (hi - lo - 1) / step; // no overflow for a huge step
  for (int64_t k = 0, i = lo; k < count; ++k, i += step) {
    if (base.kind == K::Str)
      str += (*base.str)[static_cast<size_t>(i)];
    else
      xs.push_back(base.items()[static_cast<size_t>(i)]);
  }
  if (base.kind == K::Str)
    return Value::ofStr(std::move(str));
  return Value::ofList(std::move(xs), base.kind == K::Tuple);
}

/// A tensor's subscript, PyTorch's basic indexing: position k indexes one
/// dim; an int selects (the dim goes: select), a range keeps it (slice; `:`
/// alone is no op), dims after the last position are kept.
Value Elaborator::indexTensor(Value x, const IndexExpr &e) {
  const size_t rank = graph.type(x.tensor).rank();
  if (e.subs.size() > rank)
    fail(e.subs[rank].loc,
         fmt::format("too many indices for a tensor of {} dim{} {}: {} given", rank,
                     rank == 1 ? "" : "s", ir::formatType(graph.type(x.tensor)), e.subs.size()));
  int64_t dim = 0; // the dim of the current tensor the next position indexes
  for (const Subscript &sub : e.subs) {
    auto bound = [&](const ExprPtr &b) {
      return b ? Value::ofInt(evalIndexInt(*b, "a tensor index")) : Value::none();
    };
    if (!sub.isRange) {
      const Value iv = eval(*sub.index);
      if (iv.kind != K::Int)
        fail(sub.index->loc,
             fmt::format("a tensor index must be an int or a range a:b:s, got {}{}",
                         kindName(iv.kind),
                         iv.kind == K::Tensor ? " (indexing by a tensor is not supported)" : ""));
      const int64_t i = iv.i;
      x = tensorOp("select", {{"", x, sub.loc}, {"dim", Value::ofInt(dim), sub.loc},
                              {"index", Value::ofInt(i), sub.loc}},
                   sub.loc);
      continue;
    }
    Value lo = bound(sub.lo), hi = bound(sub.hi);
    const int64_t step = sub.step ? evalIndexInt(*sub.step, "a step") : 1;
    if (step < 1)
      fail(sub.step->loc, fmt::format("a slice step must be at least 1, got {} (a tensor cannot "
                                      "be reversed by slicing, as in PyTorch)",
                                      step));
    if (lo.kind != K::None || hi.kind != K::None || step != 1)
      x = tensorOp("slice", {{"", x, sub.loc}, {"dim", Value::ofInt(dim), sub.loc},
                             {"start", lo, sub.loc}, {"end", hi, sub.loc},
                             {"step", Value::ofInt(step), sub.loc}},
                   sub.loc);
    ++dim;
  }
  return x;
}

} // namespace netc::sema
