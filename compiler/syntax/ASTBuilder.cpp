//===- ASTBuilder.cpp - the parse tree into the AST: files, declarations, statements ===//
#include "syntax/ASTBuilder.h"

#include "syntax/ASTTransformer.h"

#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <exception>

namespace netc::syntax {

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

StmtList Transformer::transformBody(P::BodyContext &ctx) { return takeBuilt(ctx).stmts; }

StmtPtr Transformer::transformBodyItem(antlr4::ParserRuleContext &item) {
  if (auto *s = dynamic_cast<P::StmtContext *>(&item))
    return transformStmt(*s);
  if (auto *c = dynamic_cast<P::ClosedStmtContext *>(&item))
    return transformClosedStmt(*c);
  auto &e = static_cast<P::LeadExprContext &>(item);
  auto es = std::make_unique<ExprStmt>(loc(e));
  es->expr = transformLead(e);
  return es;
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

// ------------------------------------------------------------ ASTBuilder

ASTBuilder::ASTBuilder(antlr4::Parser &parser, const TokenLocator &where, const DiagEngine &diag)
    : parser(parser), diag(diag), errorsAtStart(diag.errorCount()), transformer(std::make_unique<Transformer>(where)),
      module(std::make_unique<Module>()) {}

ASTBuilder::~ASTBuilder() { discard(); }

void ASTBuilder::freePending() { pending.reset(); }

void ASTBuilder::pushFrame(antlr4::ParserRuleContext *container) {
  // What follows the container's opening lands in a tracker of its own.
  frames.push_back({container, std::move(parser.getTreeTracker()), std::make_unique<Built>()});
  parser.getTreeTracker() = antlr4::tree::ParseTreeTracker();
}

void ASTBuilder::enterEveryRule(antlr4::ParserRuleContext *ctx) {
  if (std::uncaught_exceptions() > 0)
    return;
  freePending();
  if (dynamic_cast<P::File_Context *>(ctx) || dynamic_cast<P::BodyContext *>(ctx) ||
      dynamic_cast<P::ArgListContext *>(ctx))
    pushFrame(ctx);
}

void ASTBuilder::visitTerminal(antlr4::tree::TerminalNode *node) {
  if (std::uncaught_exceptions() > 0)
    return;
  auto *parent = static_cast<antlr4::ParserRuleContext *>(node->parent);
  size_t type = node->getSymbol()->getType();
  // A list and a parenthesised expression are labelled alternatives and
  // alternatives of a rule, entered before they are known: their opener
  // starts them.
  if ((type == P::LBRACK && dynamic_cast<P::ListExprContext *>(parent)) ||
      (type == P::LPAREN && dynamic_cast<P::ParenContext *>(parent)))
    return pushFrame(parent);
  if (type == P::COMMA && !frames.empty() && frames.back().container == parent)
    frames.back().built->comma = true;
}

void ASTBuilder::exitEveryRule(antlr4::ParserRuleContext *ctx) {
  // Unwinding an abandoned parse: discard() frees everything afterwards.
  if (std::uncaught_exceptions() > 0 || frames.empty())
    return;
  freePending();
  Frame &top = frames.back();
  if (ctx == top.container)
    return exitContainer();
  if (ctx->parent == top.container)
    exitItem(top, *ctx);
}

void ASTBuilder::buildItem(Built &built, antlr4::ParserRuleContext &item) {
  if (auto *top = dynamic_cast<P::TopItemContext *>(&item)) {
    if (DeclPtr d = transformer->transformTopItem(*top))
      module->decls.push_back(std::move(d));
    return;
  }
  if (auto *e = dynamic_cast<P::ExprContext *>(&item))
    return built.exprs.push_back(transformer->transformExpr(*e));
  if (auto *a = dynamic_cast<P::ArgContext *>(&item))
    return built.args.push_back(transformer->transformArg(*a));
  if (StmtPtr s = transformer->transformBodyItem(item))
    built.stmts.push_back(std::move(s));
}

void ASTBuilder::exitItem(Frame &frame, antlr4::ParserRuleContext &item) {
  // A tree with syntax errors may lack parts; its module is not used.
  if (diag.errorCount() != errorsAtStart)
    building = false;
  if (building)
    buildItem(*frame.built, item);
  // The container's children so far (its opener, commas and this item) are
  // in this item's tracker or before it: drop them, then free the tracker
  // once the parser has left it.
  frame.container->children.clear();
  pending = std::move(parser.getTreeTracker());
  parser.getTreeTracker() = antlr4::tree::ParseTreeTracker();
}

void ASTBuilder::exitContainer() {
  Frame &top = frames.back();
  top.container->children.clear(); // the closer, in the current tracker
  parser.getTreeTracker().reset();
  parser.getTreeTracker() = std::move(top.outer);
  if (building && !dynamic_cast<P::File_Context *>(top.container))
    transformer->setBuilt(top.container, std::move(*top.built));
  frames.pop_back();
}

void ASTBuilder::discard() {
  freePending();
  // The parser's own tracker is the innermost; each frame holds the one
  // around it. Parser::reset() or the parser's destructor frees the parser's.
  for (Frame &f : frames)
    f.outer.reset();
  frames.clear();
  transformer->clearBuilt();
  transformer->heldErrors().clear();
  module = std::make_unique<Module>();
  building = true;
  errorsAtStart = diag.errorCount();
}

std::unique_ptr<Module> ASTBuilder::finish(DiagEngine &report) {
  std::vector<HeldError> &held = transformer->heldErrors();
  for (HeldError &e : held)
    report.error(e.loc, std::move(e.message));
  if (!held.empty() || !building)
    return nullptr;
  return std::move(module);
}

} // namespace netc::syntax
