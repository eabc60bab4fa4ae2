#include "syntax/TokenBuffer.h"

namespace netc::syntax {

// The point of the class: vptr, owner and six 32-bit fields.
static_assert(sizeof(CompactToken) == 40, "CompactToken grew");

CompactToken::CompactToken(const TokenBuffer &owner, const antlr4::Token &t, size_t index)
    : owner(&owner), type(narrow(t.getType())), line(static_cast<uint32_t>(t.getLine())),
      column(narrow(t.getCharPositionInLine())), start(narrow(t.getStartIndex())),
      stop(narrow(t.getStopIndex())), index(static_cast<uint32_t>(index)) {}

antlr4::TokenSource *CompactToken::getTokenSource() const { return owner->getTokenSource(); }

antlr4::CharStream *CompactToken::getInputStream() const { return owner->getCharStream(); }

// As CommonToken::getText for a token whose text was never set: the input's
// text from start to stop, or "<EOF>" past the end.
std::string CompactToken::getText() const {
  size_t n = owner->codePoints();
  size_t from = getStartIndex(), to = getStopIndex();
  if (from >= n || to >= n)
    return "<EOF>";
  return owner->text(from, to);
}

// For debugging output only, in CommonToken's format.
std::string CompactToken::toString() const {
  return "[@" + std::to_string(index) + "," + std::to_string(start) + ":" +
         std::to_string(stop) + "='" + getText() + "',<" + std::to_string(type) + ">," +
         std::to_string(line) + ":" + std::to_string(column) + "]";
}

void CompactToken::unsupported() {
  throw antlr4::UnsupportedOperationException("netc's tokens are not modified after lexing");
}

std::unique_ptr<antlr4::Token> LexedSource::nextToken() {
  return std::make_unique<antlr4::CommonToken>(
      std::make_pair(this, getInputStream()), antlr4::Token::EOF, antlr4::Token::DEFAULT_CHANNEL,
      eof.start, eof.stop == LexToken::kEOF ? SIZE_MAX : eof.stop);
}

antlr4::CharStream *LexedSource::getInputStream() {
  if (!input)
    input = std::make_unique<CompactInputStream>(text.data(), text.size());
  return input.get();
}

TokenBuffer::TokenBuffer(llvm::StringRef text, const TokenLocator &where)
    : lexed(std::make_unique<LexedSource>(text)), source(*lexed), utf8(text), where(&where) {
  Lexer lexer(text);
  while (true) {
    LexToken t = lexer.next();
    tokens.emplace_back(*this, t, tokens.size());
    if (t.type == LexToken::kEOF) {
      lexed->setEnd(t);
      break;
    }
  }
}

TokenBuffer::TokenBuffer(antlr4::TokenSource &source)
    : source(source), input(source.getInputStream()) {
  while (true) {
    // The lexer's token is short-lived: only its positions are kept.
    std::unique_ptr<antlr4::Token> t = source.nextToken();
    bool eof = t->getType() == antlr4::Token::EOF;
    if (eof || t->getChannel() == antlr4::Token::DEFAULT_CHANNEL)
      tokens.emplace_back(*this, *t, tokens.size());
    if (eof)
      break;
  }
}

std::string TokenBuffer::text(size_t from, size_t to) const {
  if (!input) // UTF-8: the bytes of those code points
    return utf8.slice(where->byteOffset(from), where->byteOffset(to + 1)).str();
  std::string s = input->getText(antlr4::misc::Interval(from, to));
  // Converted with std::wstring_convert, it has room to spare; names and
  // literals are kept in the AST, so keep only what they need.
  s.shrink_to_fit();
  return s;
}

antlr4::Token *TokenBuffer::LT(ssize_t k) {
  if (k == 0)
    return nullptr;
  if (k < 0)
    return static_cast<size_t>(-k) > pos ? nullptr : &tokens[pos - static_cast<size_t>(-k)];
  size_t i = pos + static_cast<size_t>(k) - 1;
  return &tokens[std::min(i, tokens.size() - 1)]; // EOF repeats past the end
}

antlr4::Token *TokenBuffer::get(size_t i) const {
  if (i >= tokens.size())
    throw antlr4::IndexOutOfBoundsException("token index " + std::to_string(i) +
                                            " out of range 0.." +
                                            std::to_string(tokens.size() - 1));
  return const_cast<CompactToken *>(&tokens[i]);
}

void TokenBuffer::consume() {
  if (LA(1) == antlr4::Token::EOF)
    throw antlr4::IllegalStateException("cannot consume EOF");
  ++pos;
}

std::string TokenBuffer::getText(const antlr4::misc::Interval &interval) {
  if (interval.a < 0 || interval.b < 0)
    return "";
  size_t last = std::min(static_cast<size_t>(interval.b), tokens.size() - 1);
  std::string out;
  for (size_t i = static_cast<size_t>(interval.a); i <= last; ++i) {
    if (tokens[i].getType() == antlr4::Token::EOF)
      break;
    out += tokens[i].getText();
  }
  return out;
}

std::string TokenBuffer::getText() {
  return getText(antlr4::misc::Interval(size_t(0), tokens.size() - 1));
}

std::string TokenBuffer::getText(antlr4::RuleContext *ctx) {
  return getText(ctx->getSourceInterval());
}

std::string TokenBuffer::getText(antlr4::Token *start, antlr4::Token *stop) {
  if (!start || !stop)
    return "";
  return getText(antlr4::misc::Interval(start->getTokenIndex(), stop->getTokenIndex()));
}

} // namespace netc::syntax
