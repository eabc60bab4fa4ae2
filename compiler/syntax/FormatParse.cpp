//===- FormatParse.cpp - tokens to the formatter's layout tree ------------===//
//
// A recursive-descent reading of Net.g4 over tokens that already parsed. It
// only needs the grammar's shape: where statements begin and end (an
// expression continues whenever it can, as in the grammar), and where the
// brackets, keyword arguments, slices and pipes are. Precedence does not
// matter to the layout, so binary operators of every level form one flat
// sequence. Anything unexpected throws, and formatBuffer reports it as an
// internal error.
//
//===----------------------------------------------------------------------===//
#include "syntax/FormatParser.h"

namespace netc::syntax::format {

namespace {

class Builder : ExprParser {
public:
  explicit Builder(std::vector<Tok> &toks) : ExprParser(toks) {}

  File file() {
    File f;
    int64_t firstSemi = -1;
    while (!at(antlr4::Token::EOF)) {
      if (at(L::SEMI)) {
        firstSemi = firstSemi < 0 ? pos : firstSemi;
        toks[pos++].dropped = true;
      } else {
        f.decls.push_back(decl());
      }
    }
    if (f.decls.empty() && firstSemi >= 0) { // `;` alone is a file; nothing is not
      toks[static_cast<size_t>(firstSemi)].dropped = false;
      Stmt s;
      s.parts.push_back({tokNode(static_cast<uint32_t>(firstSemi)), nullptr});
      f.decls.push_back(std::move(s));
    }
    f.eof = pos;
    return f;
  }

private:
  void dropSemi() {
    while (at(L::SEMI))
      toks[pos++].dropped = true;
  }

  Stmt decl() {
    Stmt s;
    Part p;
    p.head = seqNode();
    switch (la()) {
    case L::IMPORT:
      add(p.head, tokNode(pos++), false);
      add(p.head, tokNode(expect(L::STRING)), true);
      dropSemi();
      break;
    case L::BLOCK:
    case L::NETWORK:
      add(p.head, tokNode(pos++), false);
      add(p.head, tokNode(expect(L::IDENT)), true);
      add(p.head, list(L::LPAREN, L::RPAREN, ItemKind::Param), false);
      p.body = body();
      break;
    case L::HARDWARE:
      add(p.head, tokNode(pos++), false);
      add(p.head, tokNode(expect(L::IDENT)), true);
      p.body = hardwareBody();
      s.isHardware = true;
      break;
    default:
      fail("expected a definition");
    }
    s.parts.push_back(std::move(p));
    return s;
  }

  std::unique_ptr<Body> newBody() {
    auto b = std::make_unique<Body>();
    b->open = expect(L::LBRACE);
    return b;
  }
  void closeBody(Body &b) {
    if (at(antlr4::Token::EOF))
      fail("unclosed body");
    b.close = pos++;
    b.oneLine = true;
    for (uint32_t i = b.open + 1; i <= b.close && b.oneLine; ++i)
      b.oneLine = !toks[i].brokenBefore;
  }

  std::unique_ptr<Body> hardwareBody() {
    auto b = newBody();
    while (!at(L::RBRACE) && !at(antlr4::Token::EOF)) {
      Part p;
      p.head = seqNode();
      add(p.head, tokNode(expect(L::IDENT)), false);
      add(p.head, tokNode(expect(L::ASSIGN)), true);
      add(p.head, expr(), true);
      if (at(L::IDENT) && la(1) != L::ASSIGN) { // a unit: GB/s
        Node unit = seqNode();
        add(unit, tokNode(pos++), false);
        if (at(L::SLASH)) {
          add(unit, tokNode(pos++), false);
          add(unit, tokNode(expect(L::IDENT)), false);
        }
        add(p.head, std::move(unit), true);
      }
      dropSemi();
      Stmt s;
      s.parts.push_back(std::move(p));
      b->stmts.push_back(std::move(s));
    }
    closeBody(*b);
    return b;
  }

  std::unique_ptr<Body> body() {
    auto b = newBody();
    bool endsInExpr = false; // the last statement ends in an expression
    while (!at(L::RBRACE) && !at(antlr4::Token::EOF)) {
      if (at(L::SEMI)) {
        // Kept only where the next statement would continue the expression.
        uint32_t i = pos++;
        size_t next = la();
        bool continues = next == L::LBRACK || next == L::PLUS || next == L::MINUS ||
                         (next == L::LPAREN && !isAssign());
        if (endsInExpr && continues) {
          Node &head = b->stmts.back().parts.front().head;
          if (head.kind != NodeKind::Seq) {
            Node s = seqNode();
            add(s, std::move(head), false);
            head = std::move(s);
          }
          add(head, tokNode(i), false);
          endsInExpr = false;
        } else {
          toks[i].dropped = true;
        }
        continue;
      }
      b->stmts.push_back(stmt());
      endsInExpr = !b->stmts.back().parts.front().body;
    }
    closeBody(*b);
    return b;
  }

  Stmt stmt() {
    Stmt s;
    Part p;
    switch (la()) {
    case L::FOR:
      p.head = seqNode();
      add(p.head, tokNode(pos++), false);
      patterns(p.head);
      add(p.head, tokNode(expect(L::IN)), true);
      add(p.head, expr(), true);
      p.body = body();
      break;
    case L::IF:
      p.head = seqNode();
      add(p.head, tokNode(pos++), false);
      add(p.head, expr(), true);
      p.body = body();
      s.parts.push_back(std::move(p));
      while (at(L::ELSE)) {
        Part q;
        uint32_t e = pos++;
        if (at(L::IF)) {
          q.head = seqNode();
          add(q.head, tokNode(e), false);
          add(q.head, tokNode(pos++), true);
          add(q.head, expr(), true);
          q.body = body();
          s.parts.push_back(std::move(q));
          continue;
        }
        q.head = tokNode(e);
        q.body = body();
        s.parts.push_back(std::move(q));
        break;
      }
      return s;
    case L::RETURN:
      p.head = seqNode();
      add(p.head, tokNode(pos++), false);
      add(p.head, expr(), true);
      while (at(L::COMMA)) {
        add(p.head, tokNode(pos++), false);
        add(p.head, expr(), true);
      }
      break;
    default:
      if (isAssign()) {
        p.head = seqNode();
        patterns(p.head);
        add(p.head, tokNode(expect(L::ASSIGN)), true);
        add(p.head, expr(), true);
      } else {
        p.head = expr();
      }
    }
    s.parts.push_back(std::move(p));
    return s;
  }
};

} // namespace

bool buildTree(std::vector<Tok> &toks, File &file, std::string &why) {
  try {
    file = Builder(toks).file();
  } catch (BuildError &e) {
    why = std::move(e.why);
    return false;
  }
  mergeDropped(toks);
  return true;
}

} // namespace netc::syntax::format
