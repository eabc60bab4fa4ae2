//===- ASTBuilder.cpp - the parse tree into the AST: files, declarations, statements ===//
#include "syntax/ASTBuilder.h"

#include "syntax/ASTTransformer.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace netc::syntax {

std::unique_ptr<Module> Transformer::transformFile(P::File_Context &ctx) {
  auto m = std::make_unique<Module>();
  for (P::TopItemContext *item : ctx.topItem())
    if (DeclPtr d = transformTopItem(*item))
      m->decls.push_back(std::move(d));
  return m;
}

DeclPtr Transformer::transformTopItem(P::TopItemContext &ctx) {
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

DeclPtr Transformer::transformImport(P::ImportDeclContext &ctx) {
  std::string path = decodeString(ctx.STRING()->getSymbol());
  return std::make_unique<ImportDecl>(loc(ctx.STRING()), std::move(path));
}

void Transformer::transformFunc(FuncDecl &d, P::ParamListContext *params, P::BodyContext &body) {
  if (params)
    for (P::ParamContext *p : params->param())
      d.params.push_back(transformParam(*p));
  d.body = transformBody(body);
}

Param Transformer::transformParam(P::ParamContext &ctx) {
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

DeclPtr Transformer::transformHardware(P::HardwareDefContext &ctx) {
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

StmtList Transformer::transformBody(P::BodyContext &ctx) {
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

StmtPtr Transformer::transformStmt(P::StmtContext &ctx) {
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

StmtPtr Transformer::transformClosedStmt(P::ClosedStmtContext &ctx) {
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

StmtPtr Transformer::transformIf(P::IfStmtContext &ctx) {
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

Pattern Transformer::transformPattern(P::PatternContext &ctx) {
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

std::unique_ptr<Module> buildModule(P::File_Context &file, const TokenLocator &where,
                                    DiagEngine &diag) {
  return Transformer(where, diag).transformFile(file);
}

} // namespace netc::syntax
