//===- TokenBuffer.h - all tokens of a file, compactly ---------*- C++ -*-===//
//
// Private to syntax/. The parse keeps every token of a file: the SLL pass may
// fail and the LL pass with error recovery starts again from the first token,
// and the token checks and parse errors look at any token by index. ANTLR's
// CommonTokenStream holds each token as a heap-allocated CommonToken of about
// 136 bytes (with a std::string and a source pair of its own) behind a
// unique_ptr, which made tokens half of the front end's memory.
//
// TokenBuffer holds them by value, 40 bytes each, in one deque (stable
// addresses: the parser keeps Token pointers); a token reads its text from the
// input when asked, which outlives the buffer. Only tokens of the default
// channel are kept: the grammar skips whitespace and comments, so there are no
// others.
//
// The parser's buffer is filled by syntax::Lexer from the UTF-8 text (no
// ANTLR lexer, no UTF-32 copy of the input); a buffer can also be filled from
// any ANTLR TokenSource, such as the generated lexer (the tests compare them).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SYNTAX_TOKENBUFFER_H
#define NETC_SYNTAX_TOKENBUFFER_H

#include "syntax/Lexer.h"
#include "syntax/TokenLocator.h"

#include <antlr4-runtime.h>
#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <deque>
#include <memory>

namespace netc::syntax {

class TokenBuffer;

/// ANTLRInputStream decodes UTF-8 to UTF-32 with std::wstring_convert, which
/// leaves the string with about five times the capacity it needs (20 bytes
/// per input byte) for the whole parse; this one gives the excess back.
class CompactInputStream final : public antlr4::ANTLRInputStream {
public:
  CompactInputStream(const char *data, size_t size) : ANTLRInputStream(data, size) {
    _data.shrink_to_fit();
  }
};

/// A token that stores positions only. Positions are 32-bit: SourceLoader
/// refuses files of UINT32_MAX bytes or more, so UINT32_MAX is free to stand
/// for ANTLR's (size_t)-1 (EOF's type, the stop index of EOF at offset 0).
class CompactToken final : public antlr4::WritableToken {
public:
  CompactToken(const TokenBuffer &owner, const antlr4::Token &t, size_t index);
  CompactToken(const TokenBuffer &owner, const LexToken &t, size_t index)
      : owner(&owner), type(t.type), line(t.line), column(t.column), start(t.start),
        stop(t.stop), index(static_cast<uint32_t>(index)) {}

  std::string getText() const override;
  size_t getType() const override { return widen(type); }
  size_t getLine() const override { return line; }
  size_t getCharPositionInLine() const override { return widen(column); }
  size_t getChannel() const override { return antlr4::Token::DEFAULT_CHANNEL; }
  size_t getTokenIndex() const override { return index; }
  size_t getStartIndex() const override { return widen(start); }
  size_t getStopIndex() const override { return widen(stop); }
  antlr4::TokenSource *getTokenSource() const override;
  antlr4::CharStream *getInputStream() const override;
  std::string toString() const override;

  // Tokens are fixed once lexed; only the stream sets the index. Nothing in
  // the runtime changes a token it did not create, so the others throw.
  void setText(const std::string &) override { unsupported(); }
  void setType(size_t) override { unsupported(); }
  void setLine(size_t) override { unsupported(); }
  void setCharPositionInLine(size_t) override { unsupported(); }
  void setChannel(size_t) override { unsupported(); } // only the default one is kept
  void setTokenIndex(size_t i) override { index = static_cast<uint32_t>(i); }

private:
  static size_t widen(uint32_t v) { return v == UINT32_MAX ? SIZE_MAX : v; }
  static uint32_t narrow(size_t v) { return v == SIZE_MAX ? UINT32_MAX : static_cast<uint32_t>(v); }
  [[noreturn]] static void unsupported();

  const TokenBuffer *owner;
  uint32_t type;
  uint32_t line;
  uint32_t column;
  uint32_t start;
  uint32_t stop;
  uint32_t index;
};

/// The TokenSource of a buffer filled by syntax::Lexer, for what ANTLR's
/// runtime asks of a token's source (its factory when it makes up a missing
/// token during error recovery). It has no more tokens to give.
class LexedSource final : public antlr4::TokenSource {
public:
  explicit LexedSource(llvm::StringRef text) : text(text) {}
  void setEnd(const LexToken &t) { eof = t; }

  std::unique_ptr<antlr4::Token> nextToken() override; // EOF
  size_t getLine() const override { return eof.line; }
  size_t getCharPositionInLine() override { return eof.column; }
  /// The input as ANTLR's UTF-32 stream, decoded on first use (nothing on
  /// netc's path asks for it).
  antlr4::CharStream *getInputStream() override;
  std::string getSourceName() override { return antlr4::IntStream::UNKNOWN_SOURCE_NAME; }
  antlr4::TokenFactory<antlr4::CommonToken> *getTokenFactory() override {
    return antlr4::CommonTokenFactory::DEFAULT.get();
  }

private:
  llvm::StringRef text;
  LexToken eof{LexToken::kEOF, 0, LexToken::kEOF, 1, 0};
  std::unique_ptr<antlr4::CharStream> input;
};

/// A TokenStream over every token of a file, read at construction (up to
/// and including EOF), the way a filled CommonTokenStream serves them.
class TokenBuffer final : public antlr4::TokenStream {
public:
  /// Lexes `text` with syntax::Lexer; tokens read their text from it, through
  /// `where` (code-point positions to bytes). Both must outlive the buffer.
  TokenBuffer(llvm::StringRef text, const TokenLocator &where);
  /// Reads every token of `source` (its input stream must outlive the buffer).
  explicit TokenBuffer(antlr4::TokenSource &source);

  /// Token `i`, 0 <= i < size(); the last is EOF.
  const CompactToken &operator[](size_t i) const { return tokens[i]; }
  size_t size() override { return tokens.size(); }
  size_t count() const { return tokens.size(); }

  antlr4::Token *LT(ssize_t k) override;
  antlr4::Token *get(size_t i) const override;
  antlr4::TokenSource *getTokenSource() const override { return &source; }
  antlr4::CharStream *getCharStream() const { return input ? input : source.getInputStream(); }
  /// The text of the code points [from, to], both below the EOF's index.
  std::string text(size_t from, size_t to) const;
  /// Code points in the input: the EOF token's start index.
  size_t codePoints() const { return tokens.back().getStartIndex(); }

  void consume() override;
  size_t LA(ssize_t i) override { return LT(i) ? LT(i)->getType() : antlr4::Token::INVALID_TYPE; }
  ssize_t mark() override { return 0; } // everything is buffered already
  void release(ssize_t) override {}
  size_t index() override { return pos; }
  void seek(size_t i) override { pos = std::min(i, tokens.size() - 1); }
  std::string getSourceName() const override { return source.getSourceName(); }

  std::string getText(const antlr4::misc::Interval &interval) override;
  std::string getText() override;
  std::string getText(antlr4::RuleContext *ctx) override;
  std::string getText(antlr4::Token *start, antlr4::Token *stop) override;

private:
  std::unique_ptr<LexedSource> lexed; // filled by syntax::Lexer
  antlr4::TokenSource &source;
  antlr4::CharStream *input = nullptr; // filled from a TokenSource
  llvm::StringRef utf8;                // filled by syntax::Lexer
  const TokenLocator *where = nullptr;
  std::deque<CompactToken> tokens;
  size_t pos = 0;
};

} // namespace netc::syntax

#endif
