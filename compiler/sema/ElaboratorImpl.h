//===- ElaboratorImpl.h - the elaborator's state (private to sema/) -*- C++ -*-===//
//
// The Elaborator class: globals and network binding, statements (here), and
// expressions and calls (ElaboratorExpr.cpp). See Elaborator.h for the rules.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SEMA_ELABORATORIMPL_H
#define NETC_SEMA_ELABORATORIMPL_H

#include "sema/Builtins.h"
#include "sema/Elaborator.h"
#include "sema/Value.h"

#include <fmt/format.h>
#include <llvm/ADT/StringMap.h>

#include <cmath>
#include <memory>

namespace netc::sema {

using namespace netc::ast;
using K = Value::Kind;

/// Thrown after an error has been reported; caught in elaborate().
struct ElabFailure {};

struct CallArg {
  std::string name; ///< empty: positional
  Value value;
  SourceLoc loc;
};

struct Frame {
  const FuncDecl *fn = nullptr;
  SourceLoc callLoc;
  std::string prefix; ///< name prefix of nodes created in this frame
  llvm::StringMap<Value> vars;
  llvm::StringMap<unsigned> nameCounts;
  Value result;
  bool returned = false;
};

class Elaborator {
public:
  Elaborator(const Program &p, DiagEngine &diag, const ElabOptions &opts)
      : program(p), diag(diag), opts(opts) {}

  std::optional<ir::Graph> run() {
    try {
      collectGlobals();
      const NetworkDecl &net = pickNetwork();
      elaborateNetwork(net);
    } catch (ElabFailure &) {
      return std::nullopt;
    }
    return std::move(graph);
  }

private:
  // ------------------------------------------------------------ errors

  [[noreturn]] void fail(SourceLoc loc, std::string msg) {
    Diagnostic &d = diag.error(loc, std::move(msg));
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

  [[noreturn]] void failGlobal(std::string msg) {
    diag.globalError(std::move(msg));
    throw ElabFailure{};
  }

  // ------------------------------------------------------------ globals

  void collectGlobals() {
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

  const NetworkDecl &pickNetwork() {
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

  std::string networkList() const {
    std::string names;
    for (const auto &m : program.modules)
      for (const DeclPtr &d : m->decls)
        if (d->kind == DeclKind::Network)
          names += (names.empty() ? "" : ", ") + d->name;
    return names.empty() ? "" : " (networks: " + names + ")";
  }

  // ------------------------------------------------------------ network

  void elaborateNetwork(const NetworkDecl &net) {
    graph.name = net.name;
    auto frame = std::make_unique<Frame>();
    frame->fn = &net;
    frames.push_back(std::move(frame));
    for (const auto &[name, text] : opts.overrides) {
      bool known = false;
      for (const Param &p : net.params)
        known |= p.name == name;
      if (!known)
        failGlobal(fmt::format("{} {}: network '{}' has no parameter '{}'", opts.overrideFlag,
                               name, net.name, name));
    }
    for (const Param &p : net.params) {
      Value v;
      bool set = false;
      for (const auto &[name, text] : opts.overrides)
        if (name == p.name) {
          v = parseOverride(text);
          set = true;
        }
      if (!set && !p.defaultValue)
        fail(p.loc, fmt::format("network parameter '{}' has no default; give it with -D {}=...",
                                p.name, p.name));
      if (!set)
        v = eval(*p.defaultValue);
      std::string err;
      if (!checkType(p, v, err)) {
        if (set)
          failGlobal(fmt::format("{} {}: {}", opts.overrideFlag, p.name, err));
        fail(p.loc, fmt::format("parameter '{}': {}", p.name, err));
      }
      graph.params.emplace_back(p.name, formatValue(v, &graph));
      frames.back()->vars[p.name] = v;
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
  }

  /// A -D value: int, float, true/false, none, "string", or a bare word.
  static Value parseOverride(const std::string &text) {
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

  /// Checks (and converts int -> float for) a typed parameter.
  bool checkType(const Param &p, Value &v, std::string &err) {
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

  // ------------------------------------------------------------ statements

  void step(SourceLoc loc) {
    if (++steps > opts.maxSteps)
      fail(loc, fmt::format("elaboration takes more than {} steps; is a loop too long?",
                            opts.maxSteps));
  }

  void execBody(const StmtList &body) {
    for (const StmtPtr &s : body) {
      exec(*s);
      if (frames.back()->returned)
        return;
    }
  }

  void bind(const Pattern &p, const Value &v) {
    if (!p.isTuple) {
      frames.back()->vars[p.name] = v;
      return;
    }
    if (!v.isSequence())
      fail(p.loc, fmt::format("cannot unpack {} into {} names", kindName(v.kind), p.elems.size()));
    if (v.items().size() != p.elems.size())
      fail(p.loc, fmt::format("cannot unpack {} values into {} names", v.items().size(),
                              p.elems.size()));
    for (size_t k = 0; k < p.elems.size(); ++k)
      bind(p.elems[k], v.items()[k]);
  }

  void bindAll(const std::vector<Pattern> &ps, const Value &v, SourceLoc loc) {
    if (ps.size() == 1)
      return bind(ps[0], v);
    Pattern whole;
    whole.loc = loc;
    whole.isTuple = true;
    whole.elems = ps;
    bind(whole, v);
  }

  void exec(const Stmt &s) {
    step(s.loc);
    switch (s.kind) {
    case StmtKind::Assign: {
      const auto &a = llvm::cast<AssignStmt>(s);
      bindAll(a.targets, eval(*a.value), a.loc);
      return;
    }
    case StmtKind::Expr:
      eval(*llvm::cast<ExprStmt>(s).expr);
      return;
    case StmtKind::For: {
      const auto &f = llvm::cast<ForStmt>(s);
      Value seq = eval(*f.iterable);
      if (!seq.isSequence())
        fail(f.iterable->loc, fmt::format("'for' needs a list or tuple, got {}", kindName(seq.kind)));
      for (const Value &item : seq.items()) {
        step(f.loc);
        bindAll(f.vars, item, f.loc);
        execBody(f.body);
        if (frames.back()->returned)
          return;
      }
      return;
    }
    case StmtKind::If: {
      const auto &i = llvm::cast<IfStmt>(s);
      Value c = eval(*i.cond);
      if (c.kind != K::Bool)
        fail(i.cond->loc, fmt::format("'if' needs a bool condition, got {}", kindName(c.kind)));
      execBody(c.asBool() ? i.thenBody : i.elseBody);
      return;
    }
    case StmtKind::Return: {
      const auto &r = llvm::cast<ReturnStmt>(s);
      Frame &f = *frames.back();
      if (r.values.size() == 1) {
        f.result = eval(*r.values[0]);
      } else {
        ValueList vs;
        for (const ExprPtr &e : r.values)
          vs.push_back(eval(*e));
        f.result = Value::ofList(std::move(vs), true);
      }
      f.returned = true;
      returnLoc = r.values.size() == 1 ? r.values[0]->loc : r.loc;
      return;
    }
    }
  }

  // ------------------------------------------------------------ expressions

  Value eval(const Expr &e);
  Value evalName(const NameExpr &n);
  Value evalBinary(const BinaryExpr &b);
  Value arith(BinaryOp op, const Value &a, const Value &b, SourceLoc loc);
  Value evalIndex(const Expr &e);
  Value callValue(const Value &callee, std::vector<CallArg> args, SourceLoc loc);
  Value callBlock(const FuncDecl &fn, std::vector<CallArg> &args, SourceLoc loc);
  Value callOp(const Func &fn, std::vector<CallArg> &args, SourceLoc loc);
  Value callBuiltinFn(const BuiltinSpec &spec, std::vector<CallArg> &args, SourceLoc loc);
  Value tensorOp(const char *op, std::vector<CallArg> args, SourceLoc loc);
  std::vector<CallArg> evalArgs(const std::vector<Arg> &args);
  std::string uniqueName(llvm::StringRef base);

  const Program &program;
  DiagEngine &diag;
  const ElabOptions &opts;
  llvm::StringMap<const Decl *> globals;
  std::vector<std::unique_ptr<Frame>> frames;
  ir::Graph graph;
  uint64_t edges = 0; ///< node inputs so far (opts.maxEdges)
  uint64_t steps = 0;
  SourceLoc returnLoc;
};

} // namespace netc::sema

#endif
