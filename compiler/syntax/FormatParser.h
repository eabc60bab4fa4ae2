//===- FormatParser.h - reading expressions for the formatter --*- C++ -*-===//
//
// Private to syntax/FormatParse*.cpp: the recursive-descent reader of
// expressions, patterns and bracketed lists (FormatParseExpr.cpp) that the
// statement reader (FormatParse.cpp) builds on. See FormatParse.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SYNTAX_FORMATPARSER_H
#define NETC_SYNTAX_FORMATPARSER_H

#include "syntax/FormatTree.h"

#include "NetLexer.h"

#include <fmt/format.h>

namespace netc::syntax::format {

using L = grammar::NetLexer;

/// Thrown when the tokens do not read as the grammar says.
struct BuildError {
  std::string why;
};

/// What a bracketed list holds.
enum class ItemKind { Expr, Paren, Arg, Param, Slice, Pattern };

inline Node tokNode(uint32_t i) {
  Node n;
  n.tok = i;
  return n;
}

inline Node seqNode() {
  Node n;
  n.kind = NodeKind::Seq;
  return n;
}

inline void add(Node &seq, Node kid, bool space) {
  seq.kids.push_back(std::move(kid));
  seq.space.push_back(space);
}

class ExprParser {
public:
  explicit ExprParser(std::vector<Tok> &toks) : toks(toks) {}

protected:
  size_t la(unsigned k = 0) const { return toks[std::min<size_t>(pos + k, toks.size() - 1)].type; }
  bool at(size_t type) const { return la() == type; }
  [[noreturn]] void fail(const char *what) const {
    throw BuildError{fmt::format("{} at byte {}", what, toks[pos].begin)};
  }
  uint32_t expect(size_t type) {
    if (!at(type))
      fail("unexpected token");
    return pos++;
  }

  /// Skips a pattern from token `i`; false if there is none.
  bool skipPattern(uint32_t &i) const;
  /// Whether the statement at `pos` is an assignment `p, (q, r) = e`.
  bool isAssign() const;
  /// `p, (q, r)` appended to `seq`, a space before each pattern.
  void patterns(Node &seq);
  Node pattern();
  Node expr();
  Node list(size_t open, size_t close, ItemKind kind);

  std::vector<Tok> &toks;
  uint32_t pos = 0;
  unsigned depth = 0; ///< brackets open around the current token

private:
  Node pipe();
  Node binary();
  Node unary();
  /// A '(' or '[' after an operand is a call or an index, as the grammar
  /// reads it: unless that cannot parse and a new statement can, which is
  /// a tuple-pattern assignment `(a, b) = e` (outside brackets), or `[]`.
  bool callOrIndexFollows() const;
  Node postfix();
  Node primary();
  Node item(ItemKind kind);
};

} // namespace netc::syntax::format

#endif
