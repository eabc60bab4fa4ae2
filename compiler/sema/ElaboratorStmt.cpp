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

void Elaborator::exec(const Stmt &s) {
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

} // namespace netc::sema
