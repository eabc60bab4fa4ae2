//===- Elaborator.cpp - from the AST to a shaped graph --------------------===//
//
// The elaborator's entry points, its errors (with the chain of block calls),
// the globals of a program, the network chosen and its parameters bound.
// Statements are in ElaboratorStmt.cpp, expressions in ElaboratorExpr.cpp,
// calls in ElaboratorCall.cpp.
//
//===----------------------------------------------------------------------===//
#include "sema/Elaborator.h"

#include "sema/ElaboratorImpl.h"
#include "support/Suggest.h"

namespace netc {

namespace sema {

std::optional<ir::Graph> Elaborator::run() {
  try {
    collectGlobals();
    const NetworkDecl &net = pickNetwork();
    elaborateNetwork(net);
  } catch (ElabFailure &) {
    return std::nullopt;
  }
  return std::move(graph);
}

// ---- errors -----------------------------------------------------------------

void Elaborator::fail(SourceLoc loc, std::string msg) { fail(loc, std::move(msg), {}, {}); }

void Elaborator::fail(SourceLoc loc, std::string msg, SourceLoc noteLoc, std::string note) {
  Diagnostic &d = diag.error(loc, std::move(msg));
  if (!note.empty())
    DiagEngine::addNote(d, noteLoc, std::move(note));
  // The chain of block calls, innermost first; a long recursion is elided.
  size_t shown = 0;
  for (size_t k = frames.size(); k-- > 1;) {
    const Frame &f = *frames[k];
    if (shown == 8 && k > 4) {
      DiagEngine::addNote(d, {}, fmt::format("... {} more block calls ...", k - 3));
      k = 4;
      continue;
    }
    DiagEngine::addNote(d, f.callLoc, fmt::format("in block '{}' called here", f.fn->name));
    ++shown;
  }
  throw ElabFailure{};
}

void Elaborator::failGlobal(std::string msg) {
  diag.globalError(std::move(msg));
  throw ElabFailure{};
}

// ---- globals ----------------------------------------------------------------

void Elaborator::collectGlobals() {
  for (const auto &m : program.modules)
    for (const DeclPtr &d : m->decls) {
      if (d->kind == DeclKind::Import)
        continue;
      if (d->kind == DeclKind::Block && (ir::OpTable::get().lookup(d->name) ||
                                         lookupBuiltin(d->name))) {
        diag.error(d->loc, fmt::format("block '{}' has the name of a built-in op or "
                                       "function; choose another name",
                                       d->name));
        throw ElabFailure{};
      }
      auto [it, inserted] = globals.try_emplace(d->name, d.get());
      if (!inserted) {
        Diagnostic &e = diag.error(d->loc, fmt::format("'{}' is defined twice", d->name));
        DiagEngine::addNote(e, it->second->loc, "first defined here");
        throw ElabFailure{};
      }
    }
}

const NetworkDecl &Elaborator::pickNetwork() {
  if (!opts.network.empty()) {
    auto it = globals.find(opts.network);
    if (it == globals.end() || it->second->kind != DeclKind::Network)
      failGlobal(fmt::format("no network named '{}'{}", opts.network, networkList()));
    return llvm::cast<NetworkDecl>(*it->second);
  }
  const NetworkDecl *last = nullptr;
  for (const DeclPtr &d : program.main().decls)
    if (auto *n = llvm::dyn_cast<NetworkDecl>(d.get()))
      last = n;
  if (last)
    return *last;
  // A file that only imports: its program's one network, if there is one.
  const NetworkDecl *only = nullptr;
  size_t count = 0;
  for (const auto &m : program.modules)
    for (const DeclPtr &d : m->decls)
      if (auto *n = llvm::dyn_cast<NetworkDecl>(d.get())) {
        only = n;
        ++count;
      }
  if (count == 1)
    return *only;
  failGlobal(count == 0 ? fmt::format("{} defines no network", program.main().path)
                        : fmt::format("{} defines no network and imports several; choose one "
                                      "with --network{}",
                                      program.main().path, networkList()));
}

std::string Elaborator::networkList() const {
  std::string names;
  for (const auto &m : program.modules)
    for (const DeclPtr &d : m->decls)
      if (d->kind == DeclKind::Network)
        names += (names.empty() ? "" : ", ") + d->name;
  return names.empty() ? "" : " (networks: " + names + ")";
}

// ---- the network ------------------------------------------------------------

void Elaborator::elaborateNetwork(const NetworkDecl &net) {
  graph.name = net.name;
  auto frame = std::make_unique<Frame>();
  frame->fn = &net;
  frames.push_back(std::move(frame));
  for (const auto &[name, text] : opts.overrides) {
    bool known = false;
    for (const Param &p : net.params)
      known |= p.name == name;
    if (known)
      continue;
    std::vector<llvm::StringRef> names;
    for (const Param &p : net.params)
      names.push_back(p.name);
    std::optional<std::string> near = closestName(name, names);
    failGlobal(fmt::format("{} {}: network '{}' has no parameter '{}'{}", opts.overrideFlag, name,
                           net.name, name,
                           near ? fmt::format("; did you mean '{}'?", *near) : ""));
  }
  for (const auto &[name, text] : opts.phaseArgs) {
    bool known = false;
    for (const Param &p : net.params)
      known |= p.name == name;
    if (!known)
      failGlobal(fmt::format("{}: network '{}' has no parameter '{}' (a network costed by phase "
                             "takes 'seq', the new tokens of each sequence, and 'past', the "
                             "tokens already in its KV cache)",
                             opts.phaseFlag, net.name, name));
  }
  for (const Param &p : net.params) {
    Value v;
    bool set = false;
    for (const auto &[name, text] : opts.overrides)
      if (name == p.name) {
        v = parseOverride(text);
        set = true;
      }
    bool byPhase = false;
    for (const auto &[name, text] : opts.phaseArgs)
      if (name == p.name) {
        v = parseOverride(text);
        set = byPhase = true;
      }
    if (!set && !p.defaultValue)
      fail(p.loc, fmt::format("network parameter '{}' has no default; give it with -D {}=...",
                              p.name, p.name));
    if (!set)
      v = eval(*p.defaultValue);
    std::string err;
    if (!checkType(p, v, err)) {
      if (set)
        failGlobal(byPhase ? fmt::format("{}: parameter '{}': {}", opts.phaseFlag, p.name, err)
                           : fmt::format("{} {}: {}", opts.overrideFlag, p.name, err));
      fail(p.loc, fmt::format("parameter '{}': {}", p.name, err));
    }
    graph.params.emplace_back(p.name, formatValue(v, &graph));
    frames.back()->vars[p.name] = v;
    observe(p.loc, v);
  }
  execBody(net.body);
  Frame &f = *frames.back();
  if (!f.returned)
    fail(net.loc, fmt::format("network '{}' has no 'return' of its outputs", net.name));
  std::vector<Value> outs;
  if (f.result.kind == K::Tuple || f.result.kind == K::List)
    outs = f.result.items();
  else
    outs.push_back(f.result);
  for (const Value &o : outs) {
    if (o.kind != K::Tensor)
      fail(returnLoc, fmt::format("a network returns tensors, got {}", kindName(o.kind)));
    graph.outputs.push_back(o.tensor);
  }
  warnUnused();
}

void Elaborator::warnUnused() {
  // A layer none of whose outputs is read by another layer or returned is
  // almost surely a mistake (a result assigned and forgotten): its work would
  // be counted for nothing.
  std::vector<bool> used(graph.values.size(), false);
  for (const ir::Node &n : graph.nodes)
    for (ir::ValueId v : n.inputs)
      used[v] = true;
  for (ir::ValueId v : graph.outputs)
    used[v] = true;
  for (const ir::Node &n : graph.nodes) {
    bool anyUsed = n.outputs.empty();
    for (ir::ValueId v : n.outputs)
      anyUsed |= used[v];
    if (!anyUsed)
      diag.warning(n.loc, fmt::format("the output of '{}' is never used", n.name));
  }
}

/// A -D value: int, float, true/false, none, "string", or a bare word.
Value Elaborator::parseOverride(const std::string &text) {
  llvm::StringRef s(text);
  s = s.trim();
  std::string digits;
  for (char c : s)
    if (c != '_')
      digits += c;
  int64_t i;
  if (!llvm::StringRef(digits).getAsInteger(10, i))
    return Value::ofInt(i);
  double d;
  if (!llvm::StringRef(digits).getAsDouble(d) && std::isfinite(d))
    return Value::ofFloat(d);
  if (s == "true" || s == "false")
    return Value::ofBool(s == "true");
  if (s == "none")
    return Value::none();
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"')
    return Value::ofStr(s.drop_front().drop_back().str());
  return Value::ofStr(s.str());
}

bool Elaborator::checkType(const Param &p, Value &v, std::string &err) {
  if (!p.hasType)
    return true;
  llvm::StringRef t = p.type.name;
  auto is = [&](bool ok) {
    if (!ok)
      err = fmt::format("expected {}, got {}", t.str(), formatValue(v, &graph));
    return ok;
  };
  if (t == "int")
    return is(v.kind == K::Int);
  if (t == "float") {
    if (v.kind == K::Int)
      v = Value::ofFloat(static_cast<double>(v.i));
    return is(v.kind == K::Float);
  }
  if (t == "bool")
    return is(v.kind == K::Bool);
  if (t == "str")
    return is(v.kind == K::Str);
  if (t == "tensor")
    return is(v.kind == K::Tensor);
  if (t == "list")
    return is(v.kind == K::List);
  if (t == "tuple")
    return is(v.kind == K::Tuple);
  if (t == "fn")
    return is(v.kind == K::Func || v.kind == K::None);
  if (t == "any")
    return true;
  fail(p.type.loc, fmt::format("unknown type '{}' (types: int, float, bool, str, tensor, list, "
                               "tuple, fn, any)",
                               t.str()));
}

} // namespace sema

std::optional<ir::Graph> elaborate(const Program &program, DiagEngine &diag,
                                   const ElabOptions &opts) {
  return sema::Elaborator(program, diag, opts).run();
}

} // namespace netc
