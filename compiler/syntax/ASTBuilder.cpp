#include "syntax/ASTBuilder.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace netc::syntax {

using P = grammar::NetParser;
using namespace netc::ast;

namespace {

class Transformer {
public:
  Transformer(const TokenLocator &where, DiagEngine &diag) : where(where), diag(diag) {}

  std::unique_ptr<Module> transformFile(P::File_Context &ctx) {
    auto m = std::make_unique<Module>();
    for (P::TopItemContext *item : ctx.topItem())
      if (DeclPtr d = transformTopItem(*item))
        m->decls.push_back(std::move(d));
    return m;
  }

private:
  SourceLoc loc(antlr4::Token *t) const { return where.at(t); }
  SourceLoc loc(antlr4::ParserRuleContext &ctx) const { return where.at(ctx.getStart()); }
  SourceLoc loc(antlr4::tree::TerminalNode *n) const { return where.at(n->getSymbol()); }

  DeclPtr transformTopItem(P::TopItemContext &ctx) {
    if (auto *c = ctx.importDecl())
      return transformImport(*c);
    if (auto *c = ctx.blockDef()) {
      auto d = std::make_unique<BlockDecl>(loc(c->IDENT()), c->IDENT()->getText());
      transformFunc(*d, c->paramList(), *c->body());
      return d;
    }
    if (auto *c = ctx.networkDef()) {
      auto d = std::make_unique<NetworkDecl>(loc(c->IDENT()), c->IDENT()->getText());
      transformFunc(*d, c->paramList(), *c->body());
      return d;
    }
    if (auto *c = ctx.hardwareDef())
      return transformHardware(*c);
    return nullptr; // a stray ';'
  }

  DeclPtr transformImport(P::ImportDeclContext &ctx) {
    std::string path = decodeString(ctx.STRING()->getSymbol());
    return std::make_unique<ImportDecl>(loc(ctx.STRING()), std::move(path));
  }

  void transformFunc(FuncDecl &d, P::ParamListContext *params, P::BodyContext &body) {
    if (params)
      for (P::ParamContext *p : params->param())
        d.params.push_back(transformParam(*p));
    d.body = transformBody(body);
  }

  Param transformParam(P::ParamContext &ctx) {
    Param p;
    p.loc = loc(ctx.IDENT());
    p.name = ctx.IDENT()->getText();
    if (auto *t = ctx.typeRef()) {
      p.hasType = true;
      p.type.loc = loc(*t);
      p.type.name = t->getText();
    }
    if (auto *e = ctx.expr())
      p.defaultValue = transformExpr(*e);
    return p;
  }

  DeclPtr transformHardware(P::HardwareDefContext &ctx) {
    auto hw = std::make_unique<HardwareDecl>(loc(ctx.IDENT()), ctx.IDENT()->getText());
    for (P::HwFieldContext *f : ctx.hwField()) {
      HwField field;
      field.loc = loc(f->IDENT());
      field.name = f->IDENT()->getText();
      field.value = transformExpr(*f->expr());
      if (auto *u = f->unit()) {
        field.unitLoc = loc(*u);
        field.unit = u->getText();
      }
      hw->fields.push_back(std::move(field));
    }
    return hw;
  }

  StmtList transformBody(P::BodyContext &ctx) {
    StmtList out;
    for (antlr4::tree::ParseTree *child : ctx.children) {
      StmtPtr st;
      if (auto *s = dynamic_cast<P::StmtContext *>(child))
        st = transformStmt(*s);
      else if (auto *c = dynamic_cast<P::ClosedStmtContext *>(child))
        st = transformClosedStmt(*c);
      else if (auto *e = dynamic_cast<P::LeadExprContext *>(child)) {
        auto es = std::make_unique<ExprStmt>(loc(*e));
        es->expr = transformLead(*e);
        st = std::move(es);
      }
      if (st)
        out.push_back(std::move(st));
    }
    return out;
  }

  StmtPtr transformStmt(P::StmtContext &ctx) {
    if (auto *c = dynamic_cast<P::AssignStatementContext *>(&ctx)) {
      P::AssignStmtContext &a = *c->assignStmt();
      auto s = std::make_unique<AssignStmt>(loc(a));
      for (P::PatternContext *p : a.pattern())
        s->targets.push_back(transformPattern(*p));
      s->value = transformExpr(*a.expr());
      return s;
    }
    if (auto *c = dynamic_cast<P::ReturnStatementContext *>(&ctx)) {
      P::ReturnStmtContext &r = *c->returnStmt();
      auto s = std::make_unique<ReturnStmt>(loc(r));
      for (P::ExprContext *e : r.expr())
        s->values.push_back(transformExpr(*e));
      return s;
    }
    auto &c = static_cast<P::ExprStatementContext &>(ctx);
    auto s = std::make_unique<ExprStmt>(loc(ctx));
    s->expr = transformStmtExpr(*c.stmtExpr());
    return s;
  }

  StmtPtr transformClosedStmt(P::ClosedStmtContext &ctx) {
    if (auto *c = dynamic_cast<P::ForStatementContext *>(&ctx)) {
      P::ForStmtContext &f = *c->forStmt();
      auto s = std::make_unique<ForStmt>(loc(f));
      for (P::PatternContext *p : f.pattern())
        s->vars.push_back(transformPattern(*p));
      s->iterable = transformExpr(*f.expr());
      s->body = transformBody(*f.body());
      return s;
    }
    if (auto *c = dynamic_cast<P::IfStatementContext *>(&ctx))
      return transformIf(*c->ifStmt());
    return nullptr; // empty statement
  }

  StmtPtr transformIf(P::IfStmtContext &ctx) {
    auto s = std::make_unique<IfStmt>(loc(ctx));
    s->cond = transformExpr(*ctx.expr());
    s->thenBody = transformBody(*ctx.body(0));
    if (ctx.ELSE()) {
      s->hasElse = true;
      if (auto *elseIf = ctx.ifStmt())
        s->elseBody.push_back(transformIf(*elseIf));
      else
        s->elseBody = transformBody(*ctx.body(1));
    }
    return s;
  }

  Pattern transformPattern(P::PatternContext &ctx) {
    Pattern p;
    p.loc = loc(ctx);
    if (auto *n = dynamic_cast<P::NamePatternContext *>(&ctx)) {
      p.name = n->IDENT()->getText();
      return p;
    }
    auto &t = dynamic_cast<P::TuplePatternContext &>(ctx);
    p.isTuple = true;
    for (P::PatternContext *e : t.pattern())
      p.elems.push_back(transformPattern(*e));
    return p;
  }

  // ------------------------------------------------------------ expressions

  static BinaryOp binaryOp(size_t tokenType) {
    switch (tokenType) {
    case P::POW: return BinaryOp::Pow;
    case P::STAR: return BinaryOp::Mul;
    case P::SLASH: return BinaryOp::Div;
    case P::DSLASH: return BinaryOp::FloorDiv;
    case P::PERCENT: return BinaryOp::Mod;
    case P::PLUS: return BinaryOp::Add;
    case P::MINUS: return BinaryOp::Sub;
    case P::CONCAT: return BinaryOp::Concat;
    case P::LT: return BinaryOp::Lt;
    case P::LE: return BinaryOp::Le;
    case P::GT: return BinaryOp::Gt;
    case P::GE: return BinaryOp::Ge;
    case P::EQ: return BinaryOp::Eq;
    case P::NE: return BinaryOp::Ne;
    case P::AND: return BinaryOp::And;
    default: return BinaryOp::Or;
    }
  }

  // Each precedence level of the grammar is `operand (op operand)*`: its
  // children alternate operand and operator token, folded left to right.
  template <class Operand, class Make>
  ExprPtr foldLeft(antlr4::ParserRuleContext &ctx, ExprPtr (Transformer::*operand)(Operand &),
                   Make make) {
    const auto &kids = ctx.children;
    ExprPtr acc = (this->*operand)(*static_cast<Operand *>(kids[0]));
    for (size_t i = 1; i + 1 < kids.size(); i += 2) {
      antlr4::Token *op = static_cast<antlr4::tree::TerminalNode *>(kids[i])->getSymbol();
      ExprPtr rhs = (this->*operand)(*static_cast<Operand *>(kids[i + 1]));
      acc = make(op, std::move(acc), std::move(rhs));
    }
    return acc;
  }

  template <class Operand>
  ExprPtr foldBinary(antlr4::ParserRuleContext &ctx, ExprPtr (Transformer::*operand)(Operand &)) {
    return foldLeft(ctx, operand, [&](antlr4::Token *op, ExprPtr lhs, ExprPtr rhs) -> ExprPtr {
      return std::make_unique<BinaryExpr>(loc(op), binaryOp(op->getType()), std::move(lhs),
                                          std::move(rhs));
    });
  }

  ExprPtr transformExpr(P::ExprContext &ctx) {
    ExprPtr cond = transformPipe(*ctx.pipeExpr());
    if (!ctx.QUESTION())
      return cond;
    auto e = std::make_unique<CondExpr>(loc(ctx.QUESTION()));
    e->cond = std::move(cond);
    e->thenExpr = transformExpr(*ctx.expr(0));
    e->elseExpr = transformExpr(*ctx.expr(1));
    return e;
  }

  ExprPtr transformPipe(P::PipeExprContext &ctx) {
    return foldLeft(ctx, &Transformer::transformOr,
                    [&](antlr4::Token *op, ExprPtr lhs, ExprPtr rhs) -> ExprPtr {
                      auto e = std::make_unique<PipeExpr>(loc(op));
                      e->lhs = std::move(lhs);
                      e->rhs = std::move(rhs);
                      return e;
                    });
  }
  ExprPtr transformOr(P::OrExprContext &ctx) { return foldBinary(ctx, &Transformer::transformAnd); }
  ExprPtr transformAnd(P::AndExprContext &ctx) { return foldBinary(ctx, &Transformer::transformCmp); }
  ExprPtr transformCmp(P::CmpExprContext &ctx) { return foldBinary(ctx, &Transformer::transformAdd); }
  ExprPtr transformAdd(P::AddExprContext &ctx) { return foldBinary(ctx, &Transformer::transformMul); }
  ExprPtr transformMul(P::MulExprContext &ctx) {
    return foldBinary(ctx, &Transformer::transformUnary);
  }

  ExprPtr transformUnary(P::UnaryExprContext &ctx) {
    if (!ctx.op)
      return transformPow(*ctx.powExpr());
    UnaryOp op = ctx.op->getType() == P::MINUS  ? UnaryOp::Neg
                 : ctx.op->getType() == P::PLUS ? UnaryOp::Plus
                                                : UnaryOp::Not;
    return std::make_unique<UnaryExpr>(loc(ctx.op), op, transformUnary(*ctx.unaryExpr()));
  }

  ExprPtr transformPow(P::PowExprContext &ctx) {
    ExprPtr base = transformPostfix(*ctx.postfixExpr());
    if (!ctx.POW())
      return base;
    return std::make_unique<BinaryExpr>(loc(ctx.POW()), BinaryOp::Pow, std::move(base),
                                        transformUnary(*ctx.unaryExpr()));
  }

  ExprPtr transformPostfix(P::PostfixExprContext &ctx) {
    ExprPtr base = ctx.atom() ? transformAtom(*ctx.atom()) : transformParen(*ctx.paren());
    return applyPostfix(std::move(base), loc(ctx), ctx.postfix());
  }

  /// Calls and indexing applied to `e` in order; a call is located at the
  /// start of its callee (`callAt`), e.g. `f` in `f(x)`.
  ExprPtr applyPostfix(ExprPtr e, SourceLoc callAt, const std::vector<P::PostfixContext *> &ops) {
    for (P::PostfixContext *s : ops) {
      if (auto *c = dynamic_cast<P::CallSuffixContext *>(s)) {
        auto call = std::make_unique<CallExpr>(callAt);
        call->callee = std::move(e);
        if (auto *args = c->argList())
          for (P::ArgContext *a : args->arg()) {
            Arg arg;
            arg.loc = loc(*a);
            if (a->IDENT())
              arg.name = a->IDENT()->getText();
            arg.value = transformExpr(*a->expr());
            call->args.push_back(std::move(arg));
          }
        e = std::move(call);
        continue;
      }
      auto &c = static_cast<P::IndexSuffixContext &>(*s);
      SourceLoc at = loc(c.LBRACK());
      P::SliceContext &sl = *c.slice();
      if (!sl.COLON()) {
        auto ix = std::make_unique<IndexExpr>(at);
        ix->base = std::move(e);
        ix->index = transformExpr(*sl.lo);
        e = std::move(ix);
        continue;
      }
      auto r = std::make_unique<SliceExpr>(at);
      r->base = std::move(e);
      if (sl.lo)
        r->lo = transformExpr(*sl.lo);
      if (sl.hi)
        r->hi = transformExpr(*sl.hi);
      e = std::move(r);
    }
    return e;
  }

  /// `base ** rhs` if there is a `**`.
  ExprPtr applyPow(ExprPtr base, antlr4::tree::TerminalNode *pow, P::UnaryExprContext *rhs) {
    if (!pow)
      return base;
    return std::make_unique<BinaryExpr>(loc(pow), BinaryOp::Pow, std::move(base),
                                        transformUnary(*rhs));
  }

  // An expression statement's first operand, then exprRest. When the operand
  // is a unary operator, unaryExpr() is its operand; otherwise it is the
  // right operand of `**`.
  ExprPtr transformStmtExpr(P::StmtExprContext &ctx) {
    ExprPtr first;
    if (ctx.NOT())
      first = std::make_unique<UnaryExpr>(loc(ctx.NOT()), UnaryOp::Not,
                                          transformUnary(*ctx.unaryExpr()));
    else
      first = applyPow(applyPostfix(transformAtom(*ctx.atom()), loc(ctx), ctx.postfix()),
                       ctx.POW(), ctx.unaryExpr());
    return applyRest(std::move(first), *ctx.exprRest());
  }

  ExprPtr transformLead(P::LeadExprContext &ctx) {
    ExprPtr first;
    if (!ctx.paren()) {
      antlr4::Token *op = ctx.getStart();
      first = std::make_unique<UnaryExpr>(loc(op),
                                          op->getType() == P::MINUS ? UnaryOp::Neg : UnaryOp::Plus,
                                          transformUnary(*ctx.unaryExpr()));
    } else {
      first = applyPow(applyPostfix(transformParen(*ctx.paren()), loc(ctx), ctx.postfix()),
                       ctx.POW(), ctx.unaryExpr());
    }
    return applyRest(std::move(first), *ctx.exprRest());
  }

  /// exprRest: operator and operand pairs, tightest level first, each applied
  /// to everything before it; then an optional `? then : else`.
  ExprPtr applyRest(ExprPtr acc, P::ExprRestContext &ctx) {
    const auto &kids = ctx.children;
    for (size_t i = 0; i + 1 < kids.size(); i += 2) {
      antlr4::Token *op = static_cast<antlr4::tree::TerminalNode *>(kids[i])->getSymbol();
      antlr4::tree::ParseTree *rhs = kids[i + 1];
      if (op->getType() == P::QUESTION) {
        auto e = std::make_unique<CondExpr>(loc(op));
        e->cond = std::move(acc);
        e->thenExpr = transformExpr(*static_cast<P::ExprContext *>(rhs));
        e->elseExpr = transformExpr(*static_cast<P::ExprContext *>(kids[i + 3]));
        return e;
      }
      if (op->getType() == P::PIPE) {
        auto e = std::make_unique<PipeExpr>(loc(op));
        e->lhs = std::move(acc);
        e->rhs = transformOr(*static_cast<P::OrExprContext *>(rhs));
        acc = std::move(e);
        continue;
      }
      ExprPtr r;
      if (auto *u = dynamic_cast<P::UnaryExprContext *>(rhs))
        r = transformUnary(*u);
      else if (auto *m = dynamic_cast<P::MulExprContext *>(rhs))
        r = transformMul(*m);
      else if (auto *a = dynamic_cast<P::AddExprContext *>(rhs))
        r = transformAdd(*a);
      else if (auto *c = dynamic_cast<P::CmpExprContext *>(rhs))
        r = transformCmp(*c);
      else if (auto *a = dynamic_cast<P::AndExprContext *>(rhs))
        r = transformAnd(*a);
      else
        r = transformOr(*static_cast<P::OrExprContext *>(rhs));
      acc = std::make_unique<BinaryExpr>(loc(op), binaryOp(op->getType()), std::move(acc),
                                         std::move(r));
    }
    return acc;
  }

  ExprPtr transformParen(P::ParenContext &ctx) {
    std::vector<P::ExprContext *> elems = ctx.expr();
    if (elems.size() == 1 && ctx.COMMA().empty())
      return transformExpr(*elems[0]); // (e)
    auto e = std::make_unique<TupleExpr>(loc(ctx));
    for (P::ExprContext *x : elems)
      e->elems.push_back(transformExpr(*x));
    return e;
  }

  ExprPtr transformAtom(P::AtomContext &ctx) {
    SourceLoc at = loc(ctx);
    if (auto *c = dynamic_cast<P::IntLitContext *>(&ctx))
      return std::make_unique<IntLit>(at, parseInt(c->INT()->getSymbol()));
    if (auto *c = dynamic_cast<P::FloatLitContext *>(&ctx))
      return std::make_unique<FloatLit>(at, parseFloat(c->FLOAT()->getSymbol()));
    if (auto *c = dynamic_cast<P::StringLitContext *>(&ctx))
      return std::make_unique<StringLit>(at, decodeString(c->STRING()->getSymbol()));
    if (auto *c = dynamic_cast<P::BoolLitContext *>(&ctx))
      return std::make_unique<BoolLit>(at, c->TRUE() != nullptr);
    if (dynamic_cast<P::NoneLitContext *>(&ctx))
      return std::make_unique<NoneLit>(at);
    if (auto *c = dynamic_cast<P::IdentRefContext *>(&ctx))
      return std::make_unique<NameExpr>(at, c->IDENT()->getText());
    auto &c = static_cast<P::ListExprContext &>(ctx);
    auto e = std::make_unique<ListExpr>(at);
    for (P::ExprContext *x : c.expr())
      e->elems.push_back(transformExpr(*x));
    return e;
  }

  // ------------------------------------------------------------ literals

  static std::string digitsOnly(const std::string &s) {
    std::string out;
    out.reserve(s.size());
    for (char ch : s)
      if (ch != '_')
        out.push_back(ch);
    return out;
  }

  int64_t parseInt(antlr4::Token *t) {
    std::string digits = digitsOnly(t->getText());
    uint64_t v = 0;
    for (char ch : digits) {
      unsigned d = static_cast<unsigned>(ch - '0');
      if (v > (static_cast<uint64_t>(INT64_MAX) - d) / 10) {
        std::string shown = digits.size() > 24 ? digits.substr(0, 20) + "..." : digits;
        diag.error(loc(t), fmt::format("integer literal {} is too large (the largest is {})",
                                       shown, INT64_MAX));
        return 0;
      }
      v = v * 10 + d;
    }
    return static_cast<int64_t>(v);
  }

  double parseFloat(antlr4::Token *t) {
    std::string text = digitsOnly(t->getText());
    errno = 0;
    double v = std::strtod(text.c_str(), nullptr);
    if (errno == ERANGE && std::isinf(v)) {
      diag.error(loc(t), fmt::format("number {} is too large for a 64-bit float", t->getText()));
      return 0;
    }
    if (errno == ERANGE && v == 0) {
      diag.error(loc(t), fmt::format("number {} is too small for a 64-bit float (it would be 0)",
                                     t->getText()));
      return 0;
    }
    return v;
  }

  /// Decodes \" \\ \n \t \r \0 and reports any other escape.
  std::string decodeString(antlr4::Token *t) {
    std::string raw = t->getText();
    std::string out;
    out.reserve(raw.size());
    SourceLoc start = loc(t);
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
      if (raw[i] != '\\') {
        out.push_back(raw[i]);
        continue;
      }
      char e = raw[++i];
      switch (e) {
      case '"': out.push_back('"'); break;
      case '\\': out.push_back('\\'); break;
      case 'n': out.push_back('\n'); break;
      case 't': out.push_back('\t'); break;
      case 'r': out.push_back('\r'); break;
      case '0': out.push_back('\0'); break;
      default: {
        SourceLoc at = where.atOffset(start.offset + static_cast<uint32_t>(i - 1));
        diag.error(at, fmt::format("unknown escape sequence '\\{}' in string (known: \\\" \\\\ "
                                   "\\n \\t \\r \\0)",
                                   std::string(1, e)));
      }
      }
    }
    return out;
  }

  const TokenLocator &where;
  DiagEngine &diag;
};

} // namespace

std::unique_ptr<Module> buildModule(P::File_Context &file, const TokenLocator &where,
                                    DiagEngine &diag) {
  return Transformer(where, diag).transformFile(file);
}

} // namespace netc::syntax
