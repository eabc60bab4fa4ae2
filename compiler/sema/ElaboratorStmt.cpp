//===- ElaboratorStmt.cpp - statements of the elaborator ------------------===//
//
// Assignments (with tuple unpacking), expression statements, `for` over a
// list or tuple (unrolled), `if` on a bool and `return`.
//
//===----------------------------------------------------------------------===//
#include "sema/ElaboratorImpl.h"

namespace netc::sema {

void Elaborator::execBody(const StmtList &body) {
  for (const StmtPtr &s : body) {
    exec(*s);
    if (frames.back()->returned)
      return;
  }
}

void Elaborator::bind(const Pattern &p, const Value &v) {
  if (!p.isTuple) {
    frames.back()->vars[p.name] = v;
    observe(p.loc, v);
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

void Elaborator::bindAll(const std::vector<Pattern> &ps, const Value &v, SourceLoc loc) {
  if (ps.size() == 1)
    return bind(ps[0], v);
  Pattern whole;
  whole.loc = loc;
  whole.isTuple = true;
  whole.elems = ps;
  bind(whole, v);
}

void Elaborator::nameAfterVariable(const Pattern &p, const Value &v, size_t firstNew) {
  if (p.isTuple) { // bind() has checked that `v` has as many items
    for (size_t k = 0; k < p.elems.size(); ++k)
      nameAfterVariable(p.elems[k], v.items()[k], firstNew);
    return;
  }
  if (v.kind != K::Tensor || graph.values[v.tensor].producer < firstNew)
    return;
  ir::Node &n = graph.nodes[graph.values[v.tensor].producer];
  Frame &f = *frames.back();
  llvm::StringRef own = n.name;
  if (!n.op->namedAfterVariable || !own.consume_front(f.prefix) || own.contains('.'))
    return; // another op's, or made inside a block called by the statement
  // Give the op's default name back when it was the last one given, so
  // that the next input without a variable is `input` again.
  unsigned &count = f.nameCounts[n.op->name];
  if (count > 0 && own == (count == 1 ? n.op->name : fmt::format("{}_{}", n.op->name, count - 1))) {
    --count;
    f.issued.erase(n.name);
  }
  n.name = uniqueName(p.name);
}

void Elaborator::exec(const Stmt &s) {
  step(s.loc);
  switch (s.kind) {
  case StmtKind::Assign: {
    const auto &a = llvm::cast<AssignStmt>(s);
    const size_t firstNew = graph.nodes.size();
    const Value v = eval(*a.value);
    bindAll(a.targets, v, a.loc);
    if (a.targets.size() == 1)
      nameAfterVariable(a.targets[0], v, firstNew);
    else
      for (size_t k = 0; k < a.targets.size(); ++k)
        nameAfterVariable(a.targets[k], v.items()[k], firstNew);
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

} // namespace netc::sema
