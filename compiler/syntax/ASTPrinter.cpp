#include "syntax/ASTPrinter.h"

#include <fmt/format.h>

namespace netc::ast {

std::string quote(llvm::StringRef s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\t': out += "\\t"; break;
    case '\r': out += "\\r"; break;
    case '\0': out += "\\0"; break;
    default: out.push_back(c);
    }
  }
  return out + "\"";
}

namespace {

std::string formatFloat(double v) {
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".eEn") == std::string::npos) // "nan"/"inf" contain an n
    s += ".0";
  return s;
}

std::string formatPattern(const Pattern &p) {
  if (!p.isTuple)
    return p.name;
  std::string s = "(";
  for (size_t i = 0; i < p.elems.size(); ++i)
    s += (i ? ", " : "") + formatPattern(p.elems[i]);
  return s + (p.elems.size() == 1 ? ",)" : ")");
}

std::string formatPatterns(const std::vector<Pattern> &ps) {
  std::string s;
  for (size_t i = 0; i < ps.size(); ++i)
    s += (i ? ", " : "") + formatPattern(ps[i]);
  return s;
}

class Printer {
public:
  Printer(llvm::raw_ostream &os, bool locations) : os(os), locations(locations) {}

  void line(unsigned indent, llvm::StringRef text, SourceLoc loc) {
    os.indent(indent * 2) << text;
    if (locations)
      os << " @" << loc.line << ':' << loc.col;
    os << '\n';
  }
  void label(unsigned indent, llvm::StringRef text) { os.indent(indent * 2) << text << '\n'; }

  void module(const Module &m) {
    os << "Module " << quote(m.path) << '\n';
    for (const DeclPtr &d : m.decls)
      decl(*d, 1);
  }

  void decl(const Decl &d, unsigned in) {
    if (llvm::isa<ImportDecl>(d)) {
      line(in, "Import " + quote(d.name), d.loc);
      return;
    }
    if (const auto *f = llvm::dyn_cast<FuncDecl>(&d)) {
      line(in, (llvm::isa<BlockDecl>(d) ? "Block " : "Network ") + d.name, d.loc);
      for (const Param &p : f->params) {
        std::string text = "Param " + p.name;
        if (p.hasType)
          text += " : " + p.type.name;
        line(in + 1, text, p.loc);
        if (p.defaultValue)
          expr(*p.defaultValue, in + 2);
      }
      body("Body", f->body, in + 1);
      return;
    }
    const auto &hw = llvm::cast<HardwareDecl>(d);
    line(in, "Hardware " + hw.name, hw.loc);
    for (const HwField &f : hw.fields) {
      line(in + 1, "Field " + f.name + (f.unit.empty() ? "" : " [" + f.unit + "]"), f.loc);
      expr(*f.value, in + 2);
    }
  }

  void body(llvm::StringRef title, const StmtList &stmts, unsigned in) {
    label(in, title);
    for (const StmtPtr &s : stmts)
      stmt(*s, in + 1);
  }

  void stmt(const Stmt &s, unsigned in) {
    switch (s.kind) {
    case StmtKind::Assign: {
      const auto &a = llvm::cast<AssignStmt>(s);
      line(in, "Assign " + formatPatterns(a.targets), s.loc);
      expr(*a.value, in + 1);
      return;
    }
    case StmtKind::Expr:
      line(in, "ExprStmt", s.loc);
      expr(*llvm::cast<ExprStmt>(s).expr, in + 1);
      return;
    case StmtKind::For: {
      const auto &f = llvm::cast<ForStmt>(s);
      line(in, "For " + formatPatterns(f.vars), s.loc);
      expr(*f.iterable, in + 1);
      body("Do", f.body, in + 1);
      return;
    }
    case StmtKind::If: {
      const auto &i = llvm::cast<IfStmt>(s);
      line(in, "If", s.loc);
      expr(*i.cond, in + 1);
      body("Then", i.thenBody, in + 1);
      if (i.hasElse)
        body("Else", i.elseBody, in + 1);
      return;
    }
    case StmtKind::Return: {
      line(in, "Return", s.loc);
      for (const ExprPtr &v : llvm::cast<ReturnStmt>(s).values)
        expr(*v, in + 1);
      return;
    }
    }
  }

  void expr(const Expr &e, unsigned in) {
    switch (e.kind) {
    case ExprKind::Int:
      return line(in, fmt::format("Int {}", llvm::cast<IntLit>(e).value), e.loc);
    case ExprKind::Float:
      return line(in, "Float " + formatFloat(llvm::cast<FloatLit>(e).value), e.loc);
    case ExprKind::String:
      return line(in, "String " + quote(llvm::cast<StringLit>(e).value), e.loc);
    case ExprKind::Bool:
      return line(in, llvm::cast<BoolLit>(e).value ? "Bool true" : "Bool false", e.loc);
    case ExprKind::None:
      return line(in, "None", e.loc);
    case ExprKind::Name:
      return line(in, "Name " + llvm::cast<NameExpr>(e).name, e.loc);
    case ExprKind::List:
      line(in, "List", e.loc);
      for (const ExprPtr &x : llvm::cast<ListExpr>(e).elems)
        expr(*x, in + 1);
      return;
    case ExprKind::Tuple:
      line(in, "Tuple", e.loc);
      for (const ExprPtr &x : llvm::cast<TupleExpr>(e).elems)
        expr(*x, in + 1);
      return;
    case ExprKind::Unary: {
      const auto &u = llvm::cast<UnaryExpr>(e);
      line(in, std::string("Unary ") + spelling(u.op), e.loc);
      return expr(*u.operand, in + 1);
    }
    case ExprKind::Binary: {
      const auto &b = llvm::cast<BinaryExpr>(e);
      line(in, std::string("Binary ") + spelling(b.op), e.loc);
      expr(*b.lhs, in + 1);
      return expr(*b.rhs, in + 1);
    }
    case ExprKind::Cond: {
      const auto &c = llvm::cast<CondExpr>(e);
      line(in, "Cond", e.loc);
      expr(*c.cond, in + 1);
      expr(*c.thenExpr, in + 1);
      return expr(*c.elseExpr, in + 1);
    }
    case ExprKind::Call: {
      const auto &c = llvm::cast<CallExpr>(e);
      line(in, "Call", e.loc);
      expr(*c.callee, in + 1);
      for (const Arg &a : c.args) {
        line(in + 1, a.name.empty() ? std::string("Arg") : "Arg " + a.name, a.loc);
        expr(*a.value, in + 2);
      }
      return;
    }
    case ExprKind::Index: {
      // One range prints as a Slice node, other positions under an Index.
      const auto &x = llvm::cast<IndexExpr>(e);
      const bool slice = x.subs.size() == 1 && x.subs[0].isRange;
      line(in, slice ? "Slice" : "Index", e.loc);
      expr(*x.base, in + 1);
      for (const Subscript &s : x.subs) {
        if (!s.isRange) {
          expr(*s.index, in + 1);
          continue;
        }
        unsigned at = in + 1;
        if (!slice)
          label(at++, "Range");
        label(at, "From");
        if (s.lo)
          expr(*s.lo, at + 1);
        label(at, "To");
        if (s.hi)
          expr(*s.hi, at + 1);
        if (s.step) {
          label(at, "Step");
          expr(*s.step, at + 1);
        }
      }
      return;
    }
    case ExprKind::Pipe: {
      const auto &p = llvm::cast<PipeExpr>(e);
      line(in, "Pipe", e.loc);
      expr(*p.lhs, in + 1);
      return expr(*p.rhs, in + 1);
    }
    }
  }

private:
  llvm::raw_ostream &os;
  bool locations;
};

} // namespace

void printModule(llvm::raw_ostream &os, const Module &m, bool locations) {
  Printer(os, locations).module(m);
}
void printExpr(llvm::raw_ostream &os, const Expr &e, unsigned indent) {
  Printer(os, true).expr(e, indent);
}

} // namespace netc::ast
