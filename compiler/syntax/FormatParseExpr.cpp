//===- FormatParseExpr.cpp - expressions for the formatter's tree ---------===//
//
// Expressions, patterns and bracketed lists (FormatParse.cpp describes the
// reading). Binary operators of every level form one flat sequence; pipes,
// calls and indexing chains are flat too, so deep recursion comes only from
// brackets and unary operators, which the parser's nesting bound limits.
//
//===----------------------------------------------------------------------===//
#include "syntax/FormatParser.h"

namespace netc::syntax::format {

namespace {

bool isBinaryOp(size_t t) {
  switch (t) {
  case L::STAR: case L::SLASH: case L::DSLASH: case L::PERCENT: case L::PLUS: case L::MINUS:
  case L::CONCAT: case L::LT: case L::LE: case L::GT: case L::GE: case L::EQ: case L::NE:
  case L::AND: case L::OR: case L::POW:
    return true;
  default:
    return false;
  }
}

} // namespace

bool ExprParser::skipPattern(uint32_t &i) const {
  if (toks[i].type == L::IDENT)
    return ++i, true;
  if (toks[i].type != L::LPAREN)
    return false;
  ++i;
  for (;;) {
    if (!skipPattern(i))
      return false;
    if (toks[i].type == L::COMMA && toks[i + 1].type == L::RPAREN)
      return i += 2, true;
    if (toks[i].type == L::RPAREN)
      return ++i, true;
    if (toks[i].type != L::COMMA)
      return false;
    ++i;
  }
}
bool ExprParser::isAssign() const {
  uint32_t i = pos;
  if (!skipPattern(i))
    return false;
  while (toks[i].type == L::COMMA) {
    ++i;
    if (!skipPattern(i))
      return false;
  }
  return toks[i].type == L::ASSIGN;
}

void ExprParser::patterns(Node &seq) {
  add(seq, pattern(), true);
  while (at(L::COMMA)) {
    add(seq, tokNode(pos++), false);
    add(seq, pattern(), true);
  }
}
Node ExprParser::pattern() {
  if (at(L::IDENT))
    return tokNode(pos++);
  return list(L::LPAREN, L::RPAREN, ItemKind::Pattern);
}

Node ExprParser::expr() {
  Node p = pipe();
  if (!at(L::QUESTION))
    return p;
  Node s = seqNode();
  add(s, std::move(p), false);
  add(s, tokNode(pos++), true);
  add(s, expr(), true);
  add(s, tokNode(expect(L::COLON)), true);
  add(s, expr(), true);
  return s;
}

Node ExprParser::pipe() {
  Node first = binary();
  if (!at(L::PIPE))
    return first;
  Node p;
  p.kind = NodeKind::Pipe;
  p.kids.push_back(std::move(first));
  while (at(L::PIPE)) {
    p.seps.push_back(pos++);
    p.kids.push_back(binary());
  }
  return p;
}

Node ExprParser::binary() {
  Node first = unary();
  if (!isBinaryOp(la()))
    return first;
  Node s = seqNode();
  add(s, std::move(first), false);
  while (isBinaryOp(la())) {
    add(s, tokNode(pos++), true);
    add(s, unary(), true);
  }
  return s;
}

Node ExprParser::unary() {
  if (!at(L::MINUS) && !at(L::PLUS) && !at(L::NOT))
    return postfix();
  uint32_t op = pos++;
  Node operand = unary();
  // `+ +x` must not become `++x` (concatenation).
  bool space = toks[op].type == L::PLUS && toks[firstTok(operand)].type == L::PLUS;
  Node s = seqNode();
  add(s, tokNode(op), false);
  add(s, std::move(operand), space);
  return s;
}

bool ExprParser::callOrIndexFollows() const {
  if (at(L::LBRACK))
    return la(1) != L::RBRACK;
  return at(L::LPAREN) && (depth > 0 || !isAssign());
}

Node ExprParser::postfix() {
  Node base = primary();
  if (!callOrIndexFollows())
    return base;
  Node s = seqNode(); // `f(a)[i](b)`: flat, however long the chain
  add(s, std::move(base), false);
  while (callOrIndexFollows())
    add(s, at(L::LPAREN) ? list(L::LPAREN, L::RPAREN, ItemKind::Arg)
                         : list(L::LBRACK, L::RBRACK, ItemKind::Slice),
        false);
  return s;
}

Node ExprParser::primary() {
  switch (la()) {
  case L::INT: case L::FLOAT: case L::STRING: case L::TRUE: case L::FALSE: case L::NONE:
  case L::IDENT:
    return tokNode(pos++);
  case L::LBRACK:
    return list(L::LBRACK, L::RBRACK, ItemKind::Expr);
  case L::LPAREN:
    return list(L::LPAREN, L::RPAREN, ItemKind::Paren);
  default:
    fail("expected an expression");
  }
}

Node ExprParser::item(ItemKind kind) {
  switch (kind) {
  case ItemKind::Expr:
  case ItemKind::Paren:
    return expr();
  case ItemKind::Pattern:
    return pattern();
  case ItemKind::Arg: {
    if (!at(L::IDENT) || la(1) != L::ASSIGN)
      return expr();
    Node s = seqNode(); // k=3
    add(s, tokNode(pos++), false);
    add(s, tokNode(pos++), false);
    add(s, expr(), false);
    return s;
  }
  case ItemKind::Param: {
    Node s = seqNode(); // x: int = 3
    add(s, tokNode(expect(L::IDENT)), false);
    if (at(L::COLON)) {
      add(s, tokNode(pos++), false);
      add(s, tokNode(expect(L::IDENT)), true);
    }
    if (at(L::ASSIGN)) {
      add(s, tokNode(pos++), true);
      add(s, expr(), true);
    }
    return s.kids.size() == 1 ? std::move(s.kids.front()) : std::move(s);
  }
  case ItemKind::Slice: {
    Node s = seqNode(); // i, lo:hi, lo:hi:step, each part optional
    auto ends = [&] { return at(L::COLON) || at(L::COMMA) || at(L::RBRACK); };
    if (!at(L::COLON))
      add(s, expr(), false);
    for (int colons = 0; colons < 2 && at(L::COLON); ++colons) {
      add(s, tokNode(pos++), false);
      if (!ends())
        add(s, expr(), false);
    }
    return s.kids.size() == 1 ? std::move(s.kids.front()) : std::move(s);
  }
  }
  fail("unknown list");
}

Node ExprParser::list(size_t open, size_t close, ItemKind kind) {
  Node n;
  n.kind = NodeKind::List;
  n.open = expect(open);
  ++depth;
  n.brokenAfterOpen = toks[pos].brokenBefore;
  while (!at(close)) {
    if (at(antlr4::Token::EOF))
      fail("unclosed bracket");
    n.rowBreak.push_back(!n.kids.empty() &&
                         (toks[n.seps.back()].brokenBefore || toks[pos].brokenBefore));
    n.kids.push_back(item(kind));
    if (at(L::COMMA)) {
      uint32_t comma = pos++;
      if (!at(close)) {
        n.seps.push_back(comma);
        continue;
      }
      // `(e,)` is a one-element tuple; every other trailing ',' goes.
      bool tuple = kind == ItemKind::Paren || kind == ItemKind::Pattern;
      if (tuple && n.kids.size() == 1)
        n.trailingComma = static_cast<int32_t>(comma);
      else
        toks[comma].dropped = true;
      break;
    }
    if (!at(close))
      fail("expected ',' or a closing bracket");
  }
  n.close = pos++;
  --depth;
  return n;
}

} // namespace netc::syntax::format
