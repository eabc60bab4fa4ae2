//===- ElaboratorCall.cpp - calls of the elaborator -----------------------===//
//
// Calls: argument binding (positional, then keywords), block calls (a new
// frame, node names prefixed by the call's), op calls (attributes checked,
// one graph node with its shape inferred) and built-in functions.
//
//===----------------------------------------------------------------------===//
#include "sema/ElaboratorImpl.h"

#include "support/Suggest.h"

namespace netc::sema {

std::vector<CallArg> Elaborator::evalArgs(const std::vector<Arg> &args) {
  std::vector<CallArg> out;
  out.reserve(args.size());
  for (const Arg &a : args)
    out.push_back({a.name, eval(*a.value), a.loc}); // a keyword argument: at its name
  return out;
}

/// `base`, then `base_1`, `base_2`, ... within the frame, skipping a name
/// already given (a variable `x_1` names an input `x_1`).
std::string Elaborator::uniqueName(llvm::StringRef base) {
  Frame &f = *frames.back();
  unsigned &count = f.nameCounts[base];
  std::string name;
  do {
    name = f.prefix + (count == 0 ? base.str() : fmt::format("{}_{}", base.str(), count));
    ++count;
  } while (!f.issued.insert(name).second);
  return name;
}

void Elaborator::warnTrailingDim(const ir::OpDef &op, const ir::Attrs &attrs, ir::ValueId x,
                                 SourceLoc loc) {
  const ir::TensorType &t = graph.type(x);
  const ir::TrailingDimUse use = op.trailingDim(attrs);
  if (t.rank() != 4 || !use.verb)
    return;
  // The op that laid the tensor out, through elementwise and broadcast ops
  // keeping its shape (a convolution's activation, a residual add).
  for (ir::ValueId v = x;;) {
    const ir::Node &p = graph.nodes[graph.values[v].producer];
    if (p.op->spatialOutput) {
      diag.warning(loc, fmt::format("{} {} dim 3 (W={}) of a {} tensor from {}; {}", op.name,
                                    use.verb, t.shape[3], ir::shapeText(t), p.op->name, use.fix));
      return;
    }
    if (p.op->pattern > ir::PatternKind::Broadcast || p.inputs.empty() ||
        graph.type(p.inputs[0]).shape != t.shape)
      return;
    v = p.inputs[0];
  }
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
      if (idx == numParams) {
        std::vector<std::string> names;
        for (size_t p = 0; p < numParams; ++p)
          names.push_back(std::string(nameOf(p)));
        std::vector<llvm::StringRef> refs(names.begin(), names.end());
        return fmt::format("{} has no parameter '{}'{}", callee.str(), a.name,
                           didYouMean(a.name, refs));
      }
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
    observe(param.loc, v);
  }
  execBody(fn.body);
  if (!frames.back()->returned)
    fail(fn.loc, fmt::format("block '{}' ends without 'return'", fn.name));
  Value result = frames.back()->result;
  if (opts.observer)
    opts.observer->blockCall(loc, frames.back()->prefix, formatValue(result, &graph));
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
    if (spec.kind == ir::ParamKind::Tied && a.value.kind == K::Tensor) {
      // The tensor names its producing layer, whose weight this op shares.
      given.set(spec.name, graph.nodes[graph.values[a.value.tensor].producer].name);
      continue;
    }
    if (spec.kind == ir::ParamKind::Tied && a.value.kind != K::None)
      fail(a.loc, fmt::format("argument '{}' of {}: expected {}, got {}", spec.name, fn.name,
                              ir::describeKind(spec.kind), formatValue(a.value, &graph)));
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
  if (std::string e = checkTiedWeights(op, inTypes, bound); !e.empty())
    fail(loc, fmt::format("{}: {}", fn.name, e));
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
  if (op.trailingDim && !inputs.empty())
    warnTrailingDim(op, bound, inputs[0], loc);
  ir::NodeId id = graph.addNode(&op, std::move(bound), inputs, outTypes, uniqueName(op.name), loc);
  const ir::Node &node = graph.nodes[id];
  if (node.outputs.size() == 1)
    return Value::ofTensor(node.outputs[0]);
  ValueList outs;
  for (ir::ValueId v : node.outputs)
    outs.push_back(Value::ofTensor(v));
  return Value::ofList(std::move(outs), true);
}

std::string Elaborator::checkTiedWeights(const ir::OpDef &op,
                                         llvm::ArrayRef<ir::TensorType> inTypes,
                                         const ir::Attrs &bound) {
  if (!op.weights)
    return "";
  ir::Attrs attrs = bound;
  ir::OpCall call{op, inTypes, attrs};
  std::vector<ir::WeightSpec> specs;
  op.weights(call, specs);
  for (const ir::WeightSpec &w : specs) {
    if (w.tiedTo.empty())
      continue;
    const ir::Node *owner = nullptr;
    for (const ir::Node &n : graph.nodes)
      if (n.name == w.tiedTo)
        owner = &n;
    const ir::WeightSpec *shared = nullptr;
    std::vector<ir::WeightSpec> ownerSpecs;
    if (owner)
      ownerSpecs = graph.weights(*owner);
    for (const ir::WeightSpec &o : ownerSpecs)
      if (o.name == w.name && o.learnable && o.tiedTo.empty())
        shared = &o;
    if (!shared)
      return fmt::format("the tied tensor is made by '{}' ({}), which has no weight '{}' of its "
                         "own to share",
                         w.tiedTo, owner ? owner->op->name : "no layer", w.name);
    if (shared->shape != w.shape)
      return fmt::format("the tied weight '{}' of '{}' is {}, this layer's {} is {}", w.name,
                         w.tiedTo, ir::formatShape(shared->shape), w.name,
                         ir::formatShape(w.shape));
  }
  return "";
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
  std::vector<SourceLoc> locs; ///< where each of `vals` is written (not given: the call)
  if (spec.variadic) {
    for (const CallArg &a : args) {
      if (!a.name.empty())
        fail(a.loc, fmt::format("{} takes no keyword arguments", spec.name));
      vals.push_back(a.value);
      given.push_back(true);
      locs.push_back(a.loc);
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
      locs.push_back(s >= 0 ? args[static_cast<size_t>(s)].loc : loc);
    }
  }
  size_t count = 0;
  for (bool g : given)
    count += g;
  if (count < spec.minArgs)
    fail(loc, fmt::format("{} needs at least {} argument{}", spec.name, spec.minArgs,
                          spec.minArgs == 1 ? "" : "s"));
  // print() writes a note of one line at the call, as it runs.
  auto print = [&](const std::string &line) {
    diag.note(loc, fmt::format("{}:{}{}", spec.name, line.empty() ? "" : " ", line),
              /*showSource=*/false);
  };
  BuiltinEnv env{opts.maxRange, print};
  BuiltinError err;
  Value v = callBuiltin(spec, vals, given, graph, env, err);
  if (!err.message.empty())
    fail(err.arg < locs.size() ? locs[err.arg] : loc,
         llvm::StringRef(err.message).startswith("assertion failed")
             ? err.message
             : fmt::format("{}: {}", spec.name, err.message));
  return v;
}

} // namespace netc::sema
