//===- ASTBuilderExpr.cpp - expressions and literals into the AST ------------===//
#include "syntax/ASTTransformer.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace netc::syntax {

BinaryOp Transformer::binaryOp(size_t tokenType) {
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

ExprPtr Transformer::transformExpr(P::ExprContext &ctx) {
  ExprPtr cond = transformPipe(*ctx.pipeExpr());
  if (!ctx.QUESTION())
    return cond;
  auto e = std::make_unique<CondExpr>(loc(ctx.QUESTION()));
  e->cond = std::move(cond);
  e->thenExpr = transformExpr(*ctx.expr(0));
  e->elseExpr = transformExpr(*ctx.expr(1));
  return e;
}

ExprPtr Transformer::transformPipe(P::PipeExprContext &ctx) {
  return foldLeft(ctx, &Transformer::transformOr,
                  [&](antlr4::Token *op, ExprPtr lhs, ExprPtr rhs) -> ExprPtr {
                    auto e = std::make_unique<PipeExpr>(loc(op));
                    e->lhs = std::move(lhs);
                    e->rhs = std::move(rhs);
                    return e;
                  });
}

ExprPtr Transformer::transformMul(P::MulExprContext &ctx) {
  return foldBinary(ctx, &Transformer::transformUnary);
}

ExprPtr Transformer::transformUnary(P::UnaryExprContext &ctx) {
  if (!ctx.op)
    return transformPow(*ctx.powExpr());
  UnaryOp op = ctx.op->getType() == P::MINUS  ? UnaryOp::Neg
               : ctx.op->getType() == P::PLUS ? UnaryOp::Plus
                                              : UnaryOp::Not;
  return std::make_unique<UnaryExpr>(loc(ctx.op), op, transformUnary(*ctx.unaryExpr()));
}

ExprPtr Transformer::transformPow(P::PowExprContext &ctx) {
  ExprPtr base = transformPostfix(*ctx.postfixExpr());
  if (!ctx.POW())
    return base;
  return std::make_unique<BinaryExpr>(loc(ctx.POW()), BinaryOp::Pow, std::move(base),
                                      transformUnary(*ctx.unaryExpr()));
}

ExprPtr Transformer::transformPostfix(P::PostfixExprContext &ctx) {
  ExprPtr base = ctx.atom() ? transformAtom(*ctx.atom()) : transformParen(*ctx.paren());
  return applyPostfix(std::move(base), loc(ctx), ctx.postfix());
}

ExprPtr Transformer::applyPostfix(ExprPtr e, SourceLoc callAt, const std::vector<P::PostfixContext *> &ops) {
  for (P::PostfixContext *s : ops) {
    if (auto *c = dynamic_cast<P::CallSuffixContext *>(s)) {
      auto call = std::make_unique<CallExpr>(callAt);
      call->callee = std::move(e);
      if (auto *args = c->argList())
        call->args = takeBuilt(*args).args;
      e = std::move(call);
      continue;
    }
    auto &c = static_cast<P::IndexSuffixContext &>(*s);
    auto ix = std::make_unique<IndexExpr>(loc(c.LBRACK()));
    ix->base = std::move(e);
    for (P::SliceContext *sl : c.slice()) {
      Subscript sub;
      sub.loc = loc(*sl);
      if (sl->COLON().empty()) {
        sub.index = transformExpr(*sl->lo);
      } else {
        sub.isRange = true;
        if (sl->lo)
          sub.lo = transformExpr(*sl->lo);
        if (sl->hi)
          sub.hi = transformExpr(*sl->hi);
        if (sl->step)
          sub.step = transformExpr(*sl->step);
      }
      ix->subs.push_back(std::move(sub));
    }
    e = std::move(ix);
  }
  return e;
}

ExprPtr Transformer::applyPow(ExprPtr base, antlr4::tree::TerminalNode *pow, P::UnaryExprContext *rhs) {
  if (!pow)
    return base;
  return std::make_unique<BinaryExpr>(loc(pow), BinaryOp::Pow, std::move(base),
                                      transformUnary(*rhs));
}

ExprPtr Transformer::transformStmtExpr(P::StmtExprContext &ctx) {
  ExprPtr first;
  if (ctx.NOT())
    first = std::make_unique<UnaryExpr>(loc(ctx.NOT()), UnaryOp::Not,
                                        transformUnary(*ctx.unaryExpr()));
  else
    first = applyPow(applyPostfix(transformAtom(*ctx.atom()), loc(ctx), ctx.postfix()),
                     ctx.POW(), ctx.unaryExpr());
  return applyRest(std::move(first), *ctx.exprRest());
}

ExprPtr Transformer::transformLead(P::LeadExprContext &ctx) {
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

ExprPtr Transformer::applyRest(ExprPtr acc, P::ExprRestContext &ctx) {
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

ExprPtr Transformer::transformParen(P::ParenContext &ctx) {
  Built b = takeBuilt(ctx);
  if (b.exprs.size() == 1 && !b.comma)
    return std::move(b.exprs[0]); // (e)
  auto e = std::make_unique<TupleExpr>(loc(ctx));
  e->elems = std::move(b.exprs);
  return e;
}

Arg Transformer::transformArg(P::ArgContext &a) {
  Arg arg;
  arg.loc = loc(a);
  if (a.IDENT())
    arg.name = a.IDENT()->getText();
  arg.value = transformExpr(*a.expr());
  return arg;
}

ExprPtr Transformer::transformAtom(P::AtomContext &ctx) {
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
  e->elems = takeBuilt(c).exprs;
  return e;
}

std::string Transformer::digitsOnly(const std::string &s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s)
    if (ch != '_')
      out.push_back(ch);
  return out;
}

int64_t Transformer::parseInt(antlr4::Token *t) {
  std::string digits = digitsOnly(t->getText());
  uint64_t v = 0;
  for (char ch : digits) {
    unsigned d = static_cast<unsigned>(ch - '0');
    if (v > (static_cast<uint64_t>(INT64_MAX) - d) / 10) {
      std::string shown = digits.size() > 24 ? digits.substr(0, 20) + "..." : digits;
      error(loc(t), fmt::format("integer literal {} is too large (the largest is {})",
                                     shown, INT64_MAX));
      return 0;
    }
    v = v * 10 + d;
  }
  return static_cast<int64_t>(v);
}

double Transformer::parseFloat(antlr4::Token *t) {
  std::string text = digitsOnly(t->getText());
  errno = 0;
  double v = std::strtod(text.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(v)) {
    error(loc(t), fmt::format("number {} is too large for a 64-bit float", t->getText()));
    return 0;
  }
  if (errno == ERANGE && v == 0) {
    error(loc(t), fmt::format("number {} is too small for a 64-bit float (it would be 0)",
                                   t->getText()));
    return 0;
  }
  return v;
}

std::string Transformer::decodeString(antlr4::Token *t) {
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
      error(at, fmt::format("unknown escape sequence '\\{}' in string (known: \\\" \\\\ "
                                 "\\n \\t \\r \\0)",
                                 std::string(1, e)));
    }
    }
  }
  return out;
}

} // namespace netc::syntax
