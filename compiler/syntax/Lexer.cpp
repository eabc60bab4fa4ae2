//===- Lexer.cpp - the .net tokenizer, equal to the grammar's lexer -------===//
//
// Each rule of Net.g4's lexer section, in ANTLR's terms: at every position the
// longest match of any rule wins, and between matches of equal length the
// rule written first (so `if` is IF, not IDENT; `1` is INT, not BAD_NUMBER).
// Comments and white space are skipped rules. See Lexer.h.
//
//===----------------------------------------------------------------------===//
#include "syntax/Lexer.h"

#include "NetLexer.h"

#include <cstring>

namespace netc::syntax {

using L = grammar::NetLexer;

namespace {

bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool isIdentStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool isIdentPart(unsigned char c) { return isIdentStart(c) || isDigit(c); }
/// BAD_NUMBER's tail: [0-9a-zA-Z_.]
bool isBadNumberPart(unsigned char c) { return isIdentPart(c) || c == '.'; }

/// Bytes in the UTF-8 sequence that `lead` starts (the input is valid UTF-8).
size_t sequenceLength(unsigned char lead) {
  if (lead < 0x80)
    return 1;
  if ((lead & 0xE0) == 0xC0)
    return 2;
  if ((lead & 0xF0) == 0xE0)
    return 3;
  return 4;
}

/// IMPORT .. NONE when `word` is a keyword, else IDENT (keywords are written
/// before IDENT, so they win a tie).
uint32_t keywordOrIdent(const char *word, size_t n) {
  auto is = [&](const char *kw) { return std::memcmp(word, kw, n) == 0; };
  switch (n) {
  case 2:
    if (is("in"))
      return L::IN;
    if (is("if"))
      return L::IF;
    break;
  case 3:
    if (is("for"))
      return L::FOR;
    break;
  case 4:
    if (is("else"))
      return L::ELSE;
    if (is("true"))
      return L::TRUE;
    if (is("none"))
      return L::NONE;
    break;
  case 5:
    if (is("block"))
      return L::BLOCK;
    if (is("false"))
      return L::FALSE;
    break;
  case 6:
    if (is("import"))
      return L::IMPORT;
    if (is("return"))
      return L::RETURN;
    break;
  case 7:
    if (is("network"))
      return L::NETWORK;
    break;
  case 8:
    if (is("hardware"))
      return L::HARDWARE;
    break;
  default:
    break;
  }
  return L::IDENT;
}

} // namespace

Lexer::Lexer(llvm::StringRef text) : data(text.data()), size(text.size()) {
  // ANTLRInputStream drops one leading byte-order mark: index 0 follows it.
  if (text.startswith("\xEF\xBB\xBF"))
    pos = 3;
}

void Lexer::advanceTo(size_t to) {
  for (; pos < to; ++pos) {
    unsigned char b = static_cast<unsigned char>(data[pos]);
    if (b == '\n') {
      ++line;
      column = 0;
      ++index;
    } else if ((b & 0xC0) != 0x80) { // not a continuation byte
      ++column;
      ++index;
    }
  }
}

// The longest of FLOAT, INT and BAD_NUMBER at `from` (a digit, or '.' and a
// digit), the first of them on a tie; returns its end.
//   FLOAT      : DIGITS '.' DIGITS EXPONENT? | DIGITS EXPONENT | '.' DIGITS EXPONENT?
//   INT        : DIGITS
//   BAD_NUMBER : ([0-9] | '.' [0-9]) [0-9a-zA-Z_.]*
//   DIGITS     : [0-9] ('_'? [0-9])*      EXPONENT : [eE] [+-]? [0-9]+
// DIGITS and EXPONENT are taken whole: a shorter DIGITS would end before a
// digit or '_', where neither '.' nor an exponent can follow. BAD_NUMBER is at
// least as long as the others unless an exponent has a sign ('1e+5': FLOAT).
size_t Lexer::scanNumber(size_t from, uint32_t &type) const {
  auto digits = [&](size_t i) { // end of DIGITS starting at the digit at i
    ++i;
    while (true) {
      if (isDigit(at(i)))
        ++i;
      else if (at(i) == '_' && isDigit(at(i + 1)))
        i += 2;
      else
        return i;
    }
  };
  auto exponent = [&](size_t i) -> size_t { // end of EXPONENT at i, or 0
    if (at(i) != 'e' && at(i) != 'E')
      return 0;
    ++i;
    if (at(i) == '+' || at(i) == '-')
      ++i;
    if (!isDigit(at(i)))
      return 0;
    while (isDigit(at(i)))
      ++i;
    return i;
  };

  size_t floatEnd = 0, intEnd = 0;
  if (at(from) == '.') {
    size_t d = digits(from + 1);
    size_t e = exponent(d);
    floatEnd = e ? e : d;
  } else {
    intEnd = digits(from);
    if (at(intEnd) == '.' && isDigit(at(intEnd + 1))) {
      size_t d = digits(intEnd + 1);
      size_t e = exponent(d);
      floatEnd = e ? e : d;
    } else {
      floatEnd = exponent(intEnd);
    }
  }
  size_t badEnd = from + (at(from) == '.' ? 2 : 1);
  while (isBadNumberPart(at(badEnd)))
    ++badEnd;

  size_t end = floatEnd;
  type = L::FLOAT;
  if (intEnd > end) {
    end = intEnd;
    type = L::INT;
  }
  if (badEnd > end) {
    end = badEnd;
    type = L::BAD_NUMBER;
  }
  return end;
}

// STRING : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ; UNTERMINATED_STRING is the
// same without the closing quote. The body is matched one way only, so STRING
// wins when it ends in '"', else UNTERMINATED_STRING ends where the body
// stops (at a line end, the end of input, or a '\' before either). Bytes can
// be stepped one at a time: no byte of a multi-byte UTF-8 sequence is ASCII.
size_t Lexer::scanString(size_t from, uint32_t &type) const {
  size_t i = from + 1;
  type = L::UNTERMINATED_STRING;
  while (i < size) {
    char c = data[i];
    if (c == '"') {
      type = L::STRING;
      return i + 1;
    }
    if (c == '\r' || c == '\n')
      return i;
    if (c == '\\') {
      if (i + 1 >= size || data[i + 1] == '\r' || data[i + 1] == '\n')
        return i;
      i += 2;
      continue;
    }
    ++i;
  }
  return i;
}

LexToken Lexer::next() {
  // Skipped rules: WS : [ \t\r\n\f\uFEFF]+, LINE_COMMENT : '#' ~[\r\n]*,
  // BLOCK_COMMENT : '/*' .*? '*/' (without its '*/', '/*' is the token
  // UNTERMINATED_COMMENT below).
  while (pos < size) {
    unsigned char c = static_cast<unsigned char>(data[pos]);
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
      ++pos;
      ++index;
      ++column;
    } else if (c == '\n') {
      ++pos;
      ++index;
      ++line;
      column = 0;
    } else if (c == 0xEF && at(pos + 1) == 0xBB && at(pos + 2) == 0xBF) { // U+FEFF
      pos += 3;
      ++index;
      ++column;
    } else if (c == '#') {
      size_t end = pos + 1;
      while (end < size && data[end] != '\n' && data[end] != '\r')
        ++end;
      advanceTo(end);
    } else if (c == '/' && at(pos + 1) == '*') {
      size_t close = llvm::StringRef(data, size).find("*/", pos + 2);
      if (close == llvm::StringRef::npos)
        break;
      advanceTo(close + 2);
    } else {
      break;
    }
  }

  LexToken t;
  t.start = index;
  t.line = line;
  t.column = column;
  if (pos >= size) {
    t.type = LexToken::kEOF;
    t.stop = index - 1; // wraps to UINT32_MAX at 0, as (size_t)-1 narrowed
    return t;
  }

  unsigned char c = static_cast<unsigned char>(data[pos]);
  unsigned char c1 = at(pos + 1);
  size_t end = pos + 1;
  uint32_t type = L::BAD_CHAR;
  // Two-character operators win over their one-character prefixes.
  auto pick = [&](unsigned char second, uint32_t two, uint32_t one) {
    if (c1 == second) {
      end = pos + 2;
      type = two;
    } else {
      type = one;
    }
  };
  switch (c) {
  case '(': type = L::LPAREN; break;
  case ')': type = L::RPAREN; break;
  case '[': type = L::LBRACK; break;
  case ']': type = L::RBRACK; break;
  case '{': type = L::LBRACE; break;
  case '}': type = L::RBRACE; break;
  case ',': type = L::COMMA; break;
  case ';': type = L::SEMI; break;
  case ':': type = L::COLON; break;
  case '?': type = L::QUESTION; break;
  case '%': type = L::PERCENT; break;
  case '-': type = L::MINUS; break;
  case '*': pick('*', L::POW, L::STAR); break;
  case '+': pick('+', L::CONCAT, L::PLUS); break;
  case '<': pick('=', L::LE, L::LT); break;
  case '>': pick('=', L::GE, L::GT); break;
  case '=': pick('=', L::EQ, L::ASSIGN); break;
  case '!': pick('=', L::NE, L::NOT); break;
  case '&': pick('&', L::AND, L::BAD_CHAR); break;
  case '|':
    if (c1 == '>' || c1 == '|') {
      end = pos + 2;
      type = c1 == '>' ? L::PIPE : L::OR;
    }
    break;
  case '/':
    if (c1 == '*') { // no '*/' follows: the skip loop took a closed comment
      end = pos + 2;
      type = L::UNTERMINATED_COMMENT;
    } else {
      pick('/', L::DSLASH, L::SLASH);
    }
    break;
  case '"':
    end = scanString(pos, type);
    advanceTo(end); // may hold any character, but no line end
    t.type = type;
    t.stop = index - 1;
    return t;
  case '.':
    if (isDigit(c1))
      end = scanNumber(pos, type);
    break;
  default:
    if (isDigit(c)) {
      end = scanNumber(pos, type);
    } else if (isIdentStart(c)) {
      while (isIdentPart(at(end)))
        ++end;
      type = keywordOrIdent(data + pos, end - pos);
    } else if (c >= 0x80) { // BAD_CHAR : . ; one code point
      end = pos + sequenceLength(c);
      pos = end;
      ++index;
      ++column;
      t.type = type;
      t.stop = index - 1;
      return t;
    }
    break;
  }
  // Everything else is ASCII without line ends: one code point per byte.
  uint32_t n = static_cast<uint32_t>(end - pos);
  pos = end;
  index += n;
  column += n;
  t.type = type;
  t.stop = index - 1;
  return t;
}

} // namespace netc::syntax
