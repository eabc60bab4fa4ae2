//===- ASTBuilder.h - ANTLR parse tree to netc AST -------------*- C++ -*-===//
//
// Private to syntax/: the one place generated ANTLR types are used. A typed
// transformer in the manner of Kuzu's: one transformX(XContext&) per rule,
// each returning netc's own nodes (no std::any). It checks what only the
// token text can tell: integer and float ranges and string escapes.
//
// The AST is built while ANTLR parses, one item at a time, so that the parse
// tree never exists whole: a parse tree costs about 3 KB per simple statement
// (a context per precedence level), the AST a tenth of that. ASTBuilder
// listens to the parser; when an item of a container has been parsed (a
// top-level item of the file, a statement of a body, an argument of a call,
// an element of a list or tuple), it turns it into AST and frees its parse
// tree. So the parse tree alive at any time is the path to the current token
// plus one item at each level, bounded by --max-nesting. The grammar
// stays the one definition of the language: the parser runs its own rules,
// and the builder only decides when their nodes can go.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SYNTAX_ASTBUILDER_H
#define NETC_SYNTAX_ASTBUILDER_H

#include "support/Diagnostics.h"
#include "syntax/AST.h"
#include "syntax/TokenLocator.h"

#include "NetParser.h"

#include <memory>
#include <vector>

namespace netc::syntax {

class Transformer;
struct Built;

/// Registered with addParseListener() on a parser that has not started. Each
/// parse tree node is allocated by the parser's ParseTreeTracker; the builder
/// gives each item of a container a tracker of its own
/// and frees it once the item is built. A parse that fails (an exception, or
/// errors) leaves nothing behind once discard() ran.
class ASTBuilder : public antlr4::tree::ParseTreeListener {
public:
  /// Stops building at the first error `diag` records (a syntax error).
  ASTBuilder(antlr4::Parser &parser, const TokenLocator &where, const DiagEngine &diag);
  ~ASTBuilder() override;

  /// The module of a parse that reached the end of the file, with the
  /// literal errors found reported to `diag` (then the module is null).
  std::unique_ptr<ast::Module> finish(DiagEngine &report);
  /// Frees the trees of an abandoned parse and forgets what was built; the
  /// builder can then follow a new parse from the start.
  void discard();

  void enterEveryRule(antlr4::ParserRuleContext *ctx) override;
  void exitEveryRule(antlr4::ParserRuleContext *ctx) override;
  void visitTerminal(antlr4::tree::TerminalNode *node) override;
  void visitErrorNode(antlr4::tree::ErrorNode *) override {}

private:
  /// A container being parsed (file_, body, argList, a list or a
  /// parenthesised expression), the tracker of what encloses it and what was
  /// built of its items.
  struct Frame {
    antlr4::ParserRuleContext *container;
    antlr4::tree::ParseTreeTracker outer;
    std::unique_ptr<Built> built;
  };
  void pushFrame(antlr4::ParserRuleContext *container);
  void buildItem(Built &built, antlr4::ParserRuleContext &item);
  void exitItem(Frame &frame, antlr4::ParserRuleContext &item);
  void exitContainer();
  void freePending();

  antlr4::Parser &parser;
  const DiagEngine &diag;
  unsigned errorsAtStart;
  std::unique_ptr<Transformer> transformer;
  std::unique_ptr<ast::Module> module;
  std::vector<Frame> frames;
  /// The tree of the item that just ended: the parser still reads its
  /// context until it returns to the container, so it is freed at the next
  /// event.
  antlr4::tree::ParseTreeTracker pending;
  bool building = true;
};

} // namespace netc::syntax

#endif
