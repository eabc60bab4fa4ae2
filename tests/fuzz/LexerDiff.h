//===- LexerDiff.h - syntax::Lexer against the generated lexer -*- C++ -*-===//
//
// Shared by tests/unit/LexerTest.cpp and fuzz_lexer.cpp: lexes a text with
// ANTLR's lexer generated from grammar/Net.g4 and with syntax::Lexer (through
// the TokenBuffer the parser reads) and compares the two token streams field
// by field: type, start, stop, line, column and text.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_TESTS_LEXERDIFF_H
#define NETC_TESTS_LEXERDIFF_H

#include "syntax/TokenBuffer.h"
#include "syntax/TokenLocator.h"

#include "NetLexer.h"

#include <fmt/format.h>

#include <memory>
#include <string>
#include <vector>

namespace netc::test {

inline std::string describeLexToken(const antlr4::Token &t) {
  return fmt::format("type {} [{}..{}] {}:{} '{}'", static_cast<long long>(t.getType()),
                     static_cast<long long>(t.getStartIndex()),
                     static_cast<long long>(t.getStopIndex()), t.getLine(),
                     t.getCharPositionInLine(), t.getText());
}

/// "" when both lexers give the same tokens for `text` (valid UTF-8), else
/// the first difference.
inline std::string lexerDifference(const std::string &text) {
  antlr4::ANTLRInputStream input(text);
  grammar::NetLexer generated(&input);
  generated.removeErrorListeners();
  std::vector<std::unique_ptr<antlr4::Token>> want;
  while (true) {
    std::unique_ptr<antlr4::Token> t = generated.nextToken();
    bool eof = t->getType() == antlr4::Token::EOF;
    if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL || eof)
      want.push_back(std::move(t));
    if (eof)
      break;
  }

  syntax::TokenLocator where(0, text);
  syntax::TokenBuffer got(text, where);
  for (size_t i = 0; i < want.size() || i < got.count(); ++i) {
    std::string w = i < want.size() ? describeLexToken(*want[i]) : "nothing";
    std::string g = i < got.count() ? describeLexToken(got[i]) : "nothing";
    if (w != g)
      return fmt::format("token {}: the grammar's lexer gives {}, syntax::Lexer {}", i, w, g);
  }
  return "";
}

} // namespace netc::test

#endif
