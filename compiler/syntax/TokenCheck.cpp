#include "syntax/TokenCheck.h"

#include "NetLexer.h"

#include <fmt/format.h>

namespace netc::syntax {

using L = grammar::NetLexer;

size_t closerFor(size_t openerType) {
  switch (openerType) {
  case L::LPAREN: return L::RPAREN;
  case L::LBRACK: return L::RBRACK;
  case L::LBRACE: return L::RBRACE;
  default: return 0;
  }
}

static bool isCloser(size_t t) { return t == L::RPAREN || t == L::RBRACK || t == L::RBRACE; }

/// The generated vocabulary is only reachable through a lexer instance.
static const antlr4::dfa::Vocabulary &vocabulary() {
  static antlr4::ANTLRInputStream empty("");
  static L lexer(&empty);
  return lexer.getVocabulary();
}

std::string describeTokenType(size_t type) {
  switch (type) {
  case antlr4::Token::EOF: return "end of file";
  case L::IDENT: return "a name";
  case L::INT: return "an integer";
  case L::FLOAT: return "a number";
  case L::STRING: return "a string";
  default: break;
  }
  std::string lit = vocabulary().getLiteralName(type);
  if (!lit.empty())
    return lit; // already quoted: '('
  return vocabulary().getDisplayName(type);
}

std::string describeToken(const antlr4::Token *t) {
  if (t->getType() == antlr4::Token::EOF)
    return "end of file";
  std::string text = t->getText();
  if (text.size() > 24)
    text = text.substr(0, 21) + "...";
  return "'" + text + "'";
}

bool startsOperand(size_t t) {
  switch (t) {
  case L::IDENT: case L::INT: case L::FLOAT: case L::STRING: case L::TRUE:
  case L::FALSE: case L::NONE: case L::LPAREN: case L::LBRACK:
    return true;
  default:
    return false;
  }
}

bool endsOperand(size_t t) {
  switch (t) {
  case L::IDENT: case L::INT: case L::FLOAT: case L::STRING: case L::TRUE:
  case L::FALSE: case L::NONE: case L::RPAREN: case L::RBRACK:
    return true;
  default:
    return false;
  }
}

/// Tokens that add a level to the parse tree when chained.
static bool isOperator(size_t t) {
  switch (t) {
  case L::QUESTION: case L::PIPE: case L::POW: case L::STAR: case L::SLASH:
  case L::DSLASH: case L::PERCENT: case L::PLUS: case L::MINUS: case L::CONCAT:
  case L::LT: case L::LE: case L::GT: case L::GE: case L::EQ: case L::NE:
  case L::AND: case L::OR: case L::NOT: case L::ELSE:
    return true;
  default:
    return false;
  }
}

/// Tokens that end whatever chain was being built at their bracket level.
static bool resetsChain(size_t t, size_t prev) {
  switch (t) {
  case L::COMMA: case L::ASSIGN: case L::SEMI: case L::RETURN: case L::FOR:
  case L::IMPORT: case L::BLOCK: case L::NETWORK: case L::HARDWARE:
    return true;
  case L::IF:
    return prev != L::ELSE;
  case L::IDENT:
    return endsOperand(prev); // two operands in a row: a new statement
  default:
    return false;
  }
}

static std::string printable(const std::string &ch) {
  if (ch.size() == 1) {
    unsigned char c = static_cast<unsigned char>(ch[0]);
    if (c < 0x20 || c == 0x7f)
      return fmt::format("'\\x{:02x}'", c);
  }
  return "'" + ch + "'";
}

TokenCheckResult checkTokens(const TokenBuffer &tokens,
                             const TokenLocator &where, DiagEngine &diag, unsigned maxNesting) {
  TokenCheckResult r;
  r.openerOf.assign(tokens.count(), -1);

  // Lexical errors first: all of them are reported.
  for (size_t i = 0; i < tokens.count(); ++i) {
    const antlr4::Token *t = &tokens[i];
    switch (t->getType()) {
    case L::UNTERMINATED_STRING:
      diag.error(where.at(t), "unterminated string: missing closing '\"' on this line");
      r.ok = false;
      break;
    case L::UNTERMINATED_COMMENT:
      diag.error(where.at(t), "unterminated comment: '/*' has no matching '*/'");
      r.ok = false;
      return r; // everything after it is inside the comment
    case L::BAD_NUMBER:
      diag.error(where.at(t),
                 fmt::format("invalid number '{}' (numbers are like 42, 1_000, 0.5, 1e-5; put a "
                             "space between a number and a unit)",
                             t->getText()));
      r.ok = false;
      break;
    case L::BAD_CHAR:
      diag.error(where.at(t),
                 fmt::format("unexpected character {} in .net source", printable(t->getText())));
      r.ok = false;
      break;
    case L::IDENT:
    case L::STRING: {
      // Length limits (in characters) keep names printable in messages and
      // reports, and bound what one token can cost later stages.
      const size_t length = t->getStopIndex() + 1 - t->getStartIndex();
      const bool name = t->getType() == L::IDENT;
      const size_t limit = name ? kMaxNameLength : kMaxStringLength;
      if (length > limit) {
        diag.error(where.at(t), fmt::format("{} is {} characters long; the limit is {}",
                                            name ? "name" : "string literal", length, limit));
        r.ok = false;
      }
      break;
    }
    default:
      break;
    }
    if (diag.limitReached())
      return r;
  }
  if (!r.ok)
    return r;

  struct Level {
    int32_t opener;   // token index of the bracket, -1 for the file
    unsigned chain;   // operators chained at this level
  };
  std::vector<Level> stack{{-1, 0}};
  size_t depth = 1; // stack.size() + sum of chains
  size_t prev = antlr4::Token::INVALID_TYPE;
  for (size_t i = 0; i < tokens.count(); ++i) {
    const antlr4::Token *t = &tokens[i];
    size_t type = t->getType();
    r.openerOf[i] = stack.back().opener;
    Level &cur = stack.back();
    if (resetsChain(type, prev)) {
      depth -= cur.chain;
      cur.chain = 0;
    }
    bool chains = isOperator(type) ||
                  ((type == L::LPAREN || type == L::LBRACK) && endsOperand(prev));
    if (chains) {
      ++cur.chain;
      ++depth;
    }
    if (closerFor(type)) {
      stack.push_back({static_cast<int32_t>(i), 0});
      ++depth;
    } else if (isCloser(type) || type == antlr4::Token::EOF) {
      const Level &top = stack.back();
      if (top.opener < 0 && type != antlr4::Token::EOF) {
        diag.error(where.at(t), fmt::format("unexpected {} with no matching opening bracket",
                                            describeToken(t)));
        r.ok = false;
        return r;
      }
      if (top.opener >= 0) {
        const antlr4::Token *open = &tokens[static_cast<size_t>(top.opener)];
        if (closerFor(open->getType()) != type) {
          SourceLoc o = where.at(open);
          diag.error(where.at(t), fmt::format("expected {} to close {} at {}:{}, found {}",
                                              describeTokenType(closerFor(open->getType())),
                                              describeToken(open), o.line, o.col,
                                              describeToken(t)));
          r.ok = false;
          return r;
        }
        depth -= 1 + top.chain;
        stack.pop_back();
      }
    }
    if (depth > maxNesting) {
      diag.error(where.at(t),
                 closerFor(type)
                     ? fmt::format("nesting too deep: more than {} levels of brackets (use "
                                   "--max-nesting to raise the limit)",
                                   maxNesting)
                     : fmt::format("expression too long or too deeply nested: more than {} "
                                   "brackets, chained operators and 'else if's (split it, or "
                                   "use --max-nesting to raise the limit)",
                                   maxNesting));
      r.ok = false;
      return r;
    }
    prev = type;
  }
  return r;
}

} // namespace netc::syntax
