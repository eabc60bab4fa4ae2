//===- ASTTransformer.h - the ANTLR parse tree to AST transformer -*- C++ -*-===//
//
// Private to syntax/ASTBuilder*.cpp: the typed transformer of ASTBuilder.h,
// one transformX(XContext&) per grammar rule. ASTBuilder.cpp has the file,
// declarations and statements; ASTBuilderExpr.cpp the expressions and
// literals.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SYNTAX_ASTTRANSFORMER_H
#define NETC_SYNTAX_ASTTRANSFORMER_H

#include "support/Diagnostics.h"
#include "syntax/AST.h"
#include "syntax/TokenLocator.h"

#include "NetParser.h"

#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace netc::syntax {

using P = grammar::NetParser;
using namespace netc::ast;

/// Errors the transformer found (bad literals), held until the parse is known
/// to have succeeded: a parse that fails reports its syntax errors only.
struct HeldError {
  SourceLoc loc;
  std::string message;
};

/// What was built of a container (a body, an argument list, a list or
/// parenthesised expression) while it was parsed, item by item.
struct Built {
  StmtList stmts;
  std::vector<ExprPtr> exprs;
  std::vector<Arg> args;
  bool comma = false; ///< a ',' between or after items: `(e,)` is a tuple
};

class Transformer {
public:
  explicit Transformer(const TokenLocator &where) : where(where) {}

  /// A top-level item (null for a stray ';'). The bodies inside it must have
  /// been given with setBody().
  DeclPtr transformTopItem(P::TopItemContext &ctx);
  /// An item of a body: a stmt, closedStmt or leadExpr (null for ';').
  StmtPtr transformBodyItem(antlr4::ParserRuleContext &item);
  ExprPtr transformExpr(P::ExprContext &ctx);
  Arg transformArg(P::ArgContext &ctx);
  /// What was built of `container` while it was parsed.
  void setBuilt(const antlr4::ParserRuleContext *container, Built b) {
    built[container] = std::move(b);
  }
  /// Forgets what an abandoned parse built (its contexts are freed).
  void clearBuilt() { built.clear(); }

  std::vector<HeldError> &heldErrors() { return held; }

private:
  SourceLoc loc(antlr4::Token *t) const { return where.at(t); }
  SourceLoc loc(antlr4::ParserRuleContext &ctx) const { return where.at(ctx.getStart()); }
  SourceLoc loc(antlr4::tree::TerminalNode *n) const { return where.at(n->getSymbol()); }
  DeclPtr transformImport(P::ImportDeclContext &ctx);
  void transformFunc(FuncDecl &d, P::ParamListContext *params, P::BodyContext &body);
  Param transformParam(P::ParamContext &ctx);
  DeclPtr transformHardware(P::HardwareDefContext &ctx);
  StmtList transformBody(P::BodyContext &ctx);
  StmtPtr transformStmt(P::StmtContext &ctx);
  StmtPtr transformClosedStmt(P::ClosedStmtContext &ctx);
  StmtPtr transformIf(P::IfStmtContext &ctx);
  Pattern transformPattern(P::PatternContext &ctx);

  // ------------------------------------------------------------ expressions
  static BinaryOp binaryOp(size_t tokenType);

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
  ExprPtr transformPipe(P::PipeExprContext &ctx);
  ExprPtr transformOr(P::OrExprContext &ctx) { return foldBinary(ctx, &Transformer::transformAnd); }
  ExprPtr transformAnd(P::AndExprContext &ctx) { return foldBinary(ctx, &Transformer::transformCmp); }
  ExprPtr transformCmp(P::CmpExprContext &ctx) { return foldBinary(ctx, &Transformer::transformAdd); }
  ExprPtr transformAdd(P::AddExprContext &ctx) { return foldBinary(ctx, &Transformer::transformMul); }
  ExprPtr transformMul(P::MulExprContext &ctx);
  ExprPtr transformUnary(P::UnaryExprContext &ctx);
  ExprPtr transformPow(P::PowExprContext &ctx);
  ExprPtr transformPostfix(P::PostfixExprContext &ctx);

  /// Calls and indexing applied to `e` in order; a call is located at the
  /// start of its callee (`callAt`), e.g. `f` in `f(x)`.
  ExprPtr applyPostfix(ExprPtr e, SourceLoc callAt, const std::vector<P::PostfixContext *> &ops);

  /// `base ** rhs` if there is a `**`.
  ExprPtr applyPow(ExprPtr base, antlr4::tree::TerminalNode *pow, P::UnaryExprContext *rhs);

  // An expression statement's first operand, then exprRest. When the operand
  // is a unary operator, unaryExpr() is its operand; otherwise it is the
  // right operand of `**`.
  ExprPtr transformStmtExpr(P::StmtExprContext &ctx);
  ExprPtr transformLead(P::LeadExprContext &ctx);

  /// exprRest: operator and operand pairs, tightest level first, each applied
  /// to everything before it; then an optional `? then : else`.
  ExprPtr applyRest(ExprPtr acc, P::ExprRestContext &ctx);
  ExprPtr transformParen(P::ParenContext &ctx);
  ExprPtr transformAtom(P::AtomContext &ctx);

  // ------------------------------------------------------------ literals
  static std::string digitsOnly(const std::string &s);
  int64_t parseInt(antlr4::Token *t);
  double parseFloat(antlr4::Token *t);

  /// Decodes \" \\ \n \t \r \0 and reports any other escape.
  std::string decodeString(antlr4::Token *t);
  void error(SourceLoc at, std::string message) { held.push_back({at, std::move(message)}); }

  const TokenLocator &where;
  std::vector<HeldError> held;
  Built takeBuilt(const antlr4::ParserRuleContext &container) {
    auto it = built.find(&container);
    if (it == built.end())
      return {};
    Built b = std::move(it->second);
    built.erase(it);
    return b;
  }
  /// Containers already built, by their (still allocated) contexts; each is
  /// taken once, by the item that holds it.
  std::unordered_map<const antlr4::ParserRuleContext *, Built> built;
};

} // namespace netc::syntax

#endif
