// Expressions and calls of the elaborator (see ElaboratorImpl.h).
#include "sema/ElaboratorImpl.h"

#include "support/Checked.h"

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
    return callValue(callee, evalArgs(c.args), c.loc);
  }
  case ExprKind::Pipe: {
    // x |> f(args) is f(x, args); x |> f is f(x).
    const auto &p = llvm::cast<PipeExpr>(e);
    Value lhs = eval(*p.lhs);
    std::vector<CallArg> args{{"", lhs, p.lhs->loc}};
    if (const auto *c = llvm::dyn_cast<CallExpr>(p.rhs.get())) {
      Value callee = eval(*c->callee);
      for (CallArg &a : evalArgs(c->args))
        args.push_back(std::move(a));
      return callValue(callee, std::move(args), c->loc);
    }
    return callValue(eval(*p.rhs), std::move(args), p.rhs->loc);
  }
  case ExprKind::Index:
  case ExprKind::Slice: return evalIndex(e);
  }
  fail(e.loc, "unsupported expression");
}

Value Elaborator::evalName(const NameExpr &n) {
  Frame &f = *frames.back();
  auto v = f.vars.find(n.name);
  if (v != f.vars.end())
    return v->second;
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
  std::string best;
  unsigned bestDist = 3;
  auto consider = [&](llvm::StringRef cand) {
    unsigned d = llvm::StringRef(n.name).edit_distance(cand, true, bestDist);
    if (d < bestDist) {
      bestDist = d;
      best = cand.str();
    }
  };
  for (const auto &kv : f.vars)
    consider(kv.first());
  for (const auto &kv : globals)
    consider(kv.first());
  for (const ir::OpDef *op : ir::OpTable::get().all())
    consider(op->name);
  for (const BuiltinSpec &b : allBuiltins())
    consider(b.name);
  fail(n.loc, best.empty() ? fmt::format("unknown name '{}'", n.name)
                           : fmt::format("unknown name '{}'; did you mean '{}'?", n.name, best));
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

Value Elaborator::arith(BinaryOp op, const Value &a, const Value &b, SourceLoc loc) {
  auto bad = [&]() -> Value {
    fail(loc, fmt::format("'{}' cannot combine {} and {}", spelling(op), kindName(a.kind),
                          kindName(b.kind)));
  };
  // Tensors: elementwise ops with broadcasting, and ++ for channel concat.
  if (a.kind == K::Tensor || b.kind == K::Tensor) {
    if (a.kind != K::Tensor || b.kind != K::Tensor)
      bad();
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

Value Elaborator::evalIndex(const Expr &e) {
  const Expr &baseExpr = e.kind == ExprKind::Index ? *llvm::cast<IndexExpr>(e).base
                                                   : *llvm::cast<SliceExpr>(e).base;
  Value base = eval(baseExpr);
  if (!base.isSequence() && base.kind != K::Str)
    fail(e.loc, fmt::format("cannot index {}", kindName(base.kind)));
  int64_t n = base.kind == K::Str ? static_cast<int64_t>(base.str->size())
                                  : static_cast<int64_t>(base.items().size());
  auto intOf = [&](const Expr &x) {
    Value v = eval(x);
    if (v.kind != K::Int)
      fail(x.loc, fmt::format("an index must be an int, got {}", kindName(v.kind)));
    return v.i;
  };
  if (const auto *ix = llvm::dyn_cast<IndexExpr>(&e)) {
    int64_t i = intOf(*ix->index);
    int64_t j = i < 0 ? i + n : i;
    if (j < 0 || j >= n)
      fail(ix->index->loc, fmt::format("index {} is out of range for {} elements", i, n));
    if (base.kind == K::Str)
      return Value::ofStr(std::string(1, (*base.str)[static_cast<size_t>(j)]));
    return base.items()[static_cast<size_t>(j)];
  }
  const auto &sl = llvm::cast<SliceExpr>(e);
  auto clampIdx = [&](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + n : i, 0, n); };
  int64_t lo = sl.lo ? clampIdx(intOf(*sl.lo)) : 0;
  int64_t hi = sl.hi ? clampIdx(intOf(*sl.hi)) : n;
  if (hi < lo)
    hi = lo;
  if (base.kind == K::Str)
    return Value::ofStr(base.str->substr(static_cast<size_t>(lo), static_cast<size_t>(hi - lo)));
  ValueList xs(base.items().begin() + lo, base.items().begin() + hi);
  return Value::ofList(std::move(xs), base.kind == K::Tuple);
}

std::vector<CallArg> Elaborator::evalArgs(const std::vector<Arg> &args) {
  std::vector<CallArg> out;
  out.reserve(args.size());
  for (const Arg &a : args)
    out.push_back({a.name, eval(*a.value), a.loc}); // a keyword argument: at its name
  return out;
}

std::string Elaborator::uniqueName(llvm::StringRef base) {
  unsigned &count = frames.back()->nameCounts[base];
  std::string seg = count == 0 ? base.str() : fmt::format("{}_{}", base.str(), count);
  ++count;
  return frames.back()->prefix + seg;
}

Value Elaborator::callValue(const Value &callee, std::vector<CallArg> args, SourceLoc loc) {
  if (callee.kind != K::Func)
    fail(loc, fmt::format("cannot call {}", kindName(callee.kind)));
  const Func &fn = *callee.func;
  switch (fn.kind) {
  case Func::Kind::Block: return callBlock(*fn.block, args, loc);
  case Func::Kind::Op: return callOp(fn, args, loc);
  case Func::Kind::Builtin: return callBuiltinFn(*lookupBuiltin(fn.name), args, loc);
  }
  fail(loc, "cannot call this");
}

/// Binds call arguments to named parameters: positional in order, then
/// keywords. `slots[i]` gets parameter i's argument index, or -1.
template <typename NameOf>
static std::string bindArgs(const std::vector<CallArg> &args, size_t numParams, NameOf nameOf,
                            llvm::StringRef callee, std::vector<int> &slots, size_t &badArg) {
  slots.assign(numParams, -1);
  size_t pos = 0;
  for (size_t k = 0; k < args.size(); ++k) {
    badArg = k;
    const CallArg &a = args[k];
    size_t idx = numParams;
    if (a.name.empty()) {
      if (pos >= numParams)
        return fmt::format("{} takes at most {} arguments, got {}", callee.str(), numParams,
                           args.size());
      idx = pos++;
    } else {
      for (size_t p = 0; p < numParams; ++p)
        if (a.name == nameOf(p))
          idx = p;
      if (idx == numParams)
        return fmt::format("{} has no parameter '{}'", callee.str(), a.name);
    }
    if (slots[idx] >= 0)
      return fmt::format("argument '{}' of {} is given twice", nameOf(idx), callee.str());
    slots[idx] = static_cast<int>(k);
  }
  return "";
}

Value Elaborator::callBlock(const FuncDecl &fn, std::vector<CallArg> &args, SourceLoc loc) {
  if (frames.size() > opts.maxCallDepth)
    fail(loc, fmt::format("block calls nested more than {} deep; does '{}' call itself without "
                          "end?",
                          opts.maxCallDepth, fn.name));
  std::vector<int> slots;
  size_t badArg = 0;
  std::string err = bindArgs(
      args, fn.params.size(), [&](size_t p) { return fn.params[p].name; }, fn.name, slots, badArg);
  if (!err.empty())
    fail(args[badArg].loc, err);
  auto frame = std::make_unique<Frame>();
  frame->fn = &fn;
  frame->callLoc = loc;
  frame->prefix = uniqueName(fn.name) + ".";
  // Defaults are evaluated in the callee's frame (they may use earlier params).
  frames.push_back(std::move(frame));
  for (size_t p = 0; p < fn.params.size(); ++p) {
    const Param &param = fn.params[p];
    Value v;
    SourceLoc at = loc;
    if (slots[p] >= 0) {
      v = args[static_cast<size_t>(slots[p])].value;
      at = args[static_cast<size_t>(slots[p])].loc;
    } else if (param.defaultValue) {
      v = eval(*param.defaultValue);
    } else {
      frames.pop_back();
      fail(loc, fmt::format("{} needs the argument '{}'", fn.name, param.name));
    }
    std::string typeErr;
    if (!checkType(param, v, typeErr)) {
      frames.pop_back();
      fail(at, fmt::format("argument '{}' of {}: {}", param.name, fn.name, typeErr));
    }
    frames.back()->vars[param.name] = v;
  }
  execBody(fn.body);
  if (!frames.back()->returned)
    fail(fn.loc, fmt::format("block '{}' ends without 'return'", fn.name));
  Value result = frames.back()->result;
  frames.pop_back();
  return result;
}

/// A .net value as an attribute value, or an error.
static bool toAttr(const Value &v, ir::AttrValue &out) {
  switch (v.kind) {
  case K::None: out = ir::NoneAttr{}; return true;
  case K::Int: out = v.i; return true;
  case K::Float: out = v.f; return true;
  case K::Bool: out = v.asBool(); return true;
  case K::Str: out = *v.str; return true;
  case K::List:
  case K::Tuple: {
    ir::Ints xs;
    for (const Value &x : v.items()) {
      if (x.kind != K::Int)
        return false;
      xs.push_back(x.i);
    }
    out = std::move(xs);
    return true;
  }
  default: return false;
  }
}

Value Elaborator::callOp(const Func &fn, std::vector<CallArg> &args, SourceLoc loc) {
  const ir::OpDef &op = *fn.op;
  std::vector<int> slots;
  size_t badArg = 0;
  std::string err = bindArgs(
      args, op.params.size(), [&](size_t p) { return std::string(op.params[p].name); }, fn.name,
      slots, badArg);
  if (!err.empty())
    fail(args[badArg].loc, err);
  std::vector<ir::ValueId> inputs;
  ir::Attrs given;
  for (size_t p = 0; p < op.params.size(); ++p) {
    const ir::ParamSpec &spec = op.params[p];
    if (slots[p] < 0) {
      if (spec.required)
        fail(loc, fmt::format("{} needs the argument '{}'", fn.name, spec.name));
      continue;
    }
    const CallArg &a = args[static_cast<size_t>(slots[p])];
    if (spec.kind == ir::ParamKind::Tensor) {
      if (a.value.kind != K::Tensor)
        fail(a.loc, fmt::format("argument '{}' of {} must be a tensor, got {}", spec.name, fn.name,
                                formatValue(a.value, &graph)));
      inputs.push_back(a.value.tensor);
      continue;
    }
    if (spec.kind == ir::ParamKind::Tensors) {
      bool ok = a.value.isSequence() && !a.value.items().empty();
      for (const Value &x : ok ? a.value.items() : ValueList{})
        ok &= x.kind == K::Tensor;
      if (!ok)
        fail(a.loc, fmt::format("argument '{}' of {} must be a non-empty list of tensors, got {}",
                                spec.name, fn.name, formatValue(a.value, &graph)));
      for (const Value &x : a.value.items())
        inputs.push_back(x.tensor);
      continue;
    }
    ir::AttrValue av;
    std::string kindErr;
    if (!toAttr(a.value, av) || !(kindErr = ir::normalizeAttr(spec.kind, av)).empty())
      fail(a.loc, fmt::format("argument '{}' of {}: expected {}, got {}", spec.name, fn.name,
                              ir::describeKind(spec.kind), formatValue(a.value, &graph)));
    given.set(spec.name, std::move(av));
  }
  std::vector<ir::TensorType> inTypes;
  for (ir::ValueId v : inputs)
    inTypes.push_back(graph.type(v));
  ir::Attrs bound;
  std::vector<ir::TensorType> outTypes;
  err = ir::inferShapes(op, inTypes, given, bound, outTypes);
  if (!err.empty())
    fail(loc, fmt::format("{}: {}", fn.name, err));
  for (const ir::TensorType &t : outTypes) {
    if (!t.numElements())
      fail(loc, fmt::format("{}: the output {} has more elements than 64-bit integers can count",
                            fn.name, ir::formatType(t)));
  }
  if (graph.nodes.size() >= opts.maxNodes)
    fail(loc, fmt::format("the network has more than {} nodes (raise the limit with --max-nodes)",
                          opts.maxNodes));
  edges += inputs.size();
  if (edges > opts.maxEdges)
    fail(loc, fmt::format("the network's nodes have more than {} inputs together (raise the "
                          "limit with --max-edges)",
                          opts.maxEdges));
  ir::NodeId id = graph.addNode(&op, std::move(bound), inputs, outTypes, uniqueName(op.name), loc);
  const ir::Node &node = graph.nodes[id];
  if (node.outputs.size() == 1)
    return Value::ofTensor(node.outputs[0]);
  ValueList outs;
  for (ir::ValueId v : node.outputs)
    outs.push_back(Value::ofTensor(v));
  return Value::ofList(std::move(outs), true);
}

Value Elaborator::tensorOp(const char *opName, std::vector<CallArg> args, SourceLoc loc) {
  const ir::OpDef *op = ir::OpTable::get().lookup(opName);
  if (!op)
    fail(loc, fmt::format("op '{}' is not available", opName));
  return callOp(Func{Func::Kind::Op, nullptr, op, Builtin::Min, opName}, args, loc);
}

Value Elaborator::callBuiltinFn(const BuiltinSpec &spec, std::vector<CallArg> &args,
                                SourceLoc loc) {
  std::vector<Value> vals;
  std::vector<bool> given;
  if (spec.variadic) {
    for (const CallArg &a : args) {
      if (!a.name.empty())
        fail(a.loc, fmt::format("{} takes no keyword arguments", spec.name));
      vals.push_back(a.value);
      given.push_back(true);
    }
  } else {
    std::vector<int> slots;
    size_t badArg = 0;
    std::string err = bindArgs(
        args, spec.params.size(), [&](size_t p) { return std::string(spec.params[p]); },
        spec.name, slots, badArg);
    if (!err.empty())
      fail(args[badArg].loc, err);
    for (int s : slots) {
      vals.push_back(s >= 0 ? args[static_cast<size_t>(s)].value : Value::none());
      given.push_back(s >= 0);
    }
  }
  size_t count = 0;
  for (bool g : given)
    count += g;
  if (count < spec.minArgs)
    fail(loc, fmt::format("{} needs at least {} argument{}", spec.name, spec.minArgs,
                          spec.minArgs == 1 ? "" : "s"));
  std::string err;
  Value v = callBuiltin(spec, vals, given, graph, BuiltinLimits{opts.maxRange}, err);
  if (!err.empty())
    fail(loc, llvm::StringRef(err).startswith("assertion failed") ? err
                                                                  : fmt::format("{}: {}", spec.name, err));
  return v;
}

} // namespace netc::sema
