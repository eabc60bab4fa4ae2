//===- Lexer.h - the .net tokenizer, equal to the grammar's lexer -*- C++ -*-===//
//
// Private to syntax/. The tokens of a .net file, exactly as the lexer ANTLR
// generates from grammar/Net.g4 gives them, so that ANTLR's parser runs on
// them unchanged: the same token types (grammar::NetLexer's constants), the
// same positions, and only the tokens of the default channel (the grammar
// skips white space and comments; there are no other channels).
//
// Why it exists: the generated lexer is a DFA that ANTLR builds anew in every
// process, from an ATN it deserializes first. That was about a third of the
// instructions of `netc --report` on a ResNet-50 (LexerATNSimulator::closure
// filling the DFA) and 2.7M instructions at every start; a hand-written scan
// of the UTF-8 bytes does the same in a few instructions per byte, without
// decoding the file to UTF-32 first.
//
// How it stays equal to the grammar: Net.g4 remains the one definition of the
// language and of the token types; tests/unit/LexerTest.cpp lexes every .net
// file of the repository and a table of edge cases with both lexers, and
// tests/fuzz/fuzz_lexer.cpp does the same on arbitrary UTF-8, requiring
// identical streams (type, start, stop, line, column, text). A change to the
// lexer rules of Net.g4 must be made here too; those tests say where.
//
// Positions are ANTLR's: indices count code points of the input (not bytes),
// a leading byte-order mark is dropped before index 0 (ANTLRInputStream does
// so), lines are 1-based and counted at '\n' only, and columns are code points
// since the last '\n', 0-based. TokenLocator maps them to byte offsets.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SYNTAX_LEXER_H
#define NETC_SYNTAX_LEXER_H

#include <llvm/ADT/StringRef.h>

#include <cstdint>

namespace netc::syntax {

/// One token. Positions as ANTLR's tokens have them, narrowed to 32 bits
/// (SourceLoader refuses files of UINT32_MAX bytes or more).
struct LexToken {
  /// A grammar::NetLexer token type, or kEOF.
  uint32_t type;
  /// Code-point index of the first character, and of the last (inclusive).
  /// EOF: start is the number of code points and stop is start - 1
  /// (UINT32_MAX in an empty file), as ANTLR's EOF token.
  uint32_t start;
  uint32_t stop;
  uint32_t line;   ///< 1-based
  uint32_t column; ///< code points since the start of the line, 0-based

  /// antlr4::Token::EOF ((size_t)-1) narrowed.
  static constexpr uint32_t kEOF = UINT32_MAX;
};

/// Reads `text` (valid UTF-8, as SourceLoader guarantees) token by token.
/// The text must outlive the lexer.
class Lexer {
public:
  explicit Lexer(llvm::StringRef text);

  /// The next token of the default channel; EOF at the end, and again after.
  LexToken next();

private:
  /// Moves to byte `to`, counting code points, lines and columns on the way.
  void advanceTo(size_t to);
  /// The byte at `i`, or 0 past the end (0 is never a byte a rule looks for
  /// past a token's first character, except inside strings and comments,
  /// which check the end themselves).
  unsigned char at(size_t i) const {
    return i < size ? static_cast<unsigned char>(data[i]) : 0;
  }
  size_t scanNumber(size_t from, uint32_t &type) const;
  size_t scanString(size_t from, uint32_t &type) const;

  const char *data;
  size_t size;
  size_t pos = 0;       ///< byte offset of the next character
  uint32_t index = 0;   ///< its code-point index
  uint32_t line = 1;
  uint32_t column = 0;
};

} // namespace netc::syntax

#endif
