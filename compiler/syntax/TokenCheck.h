//===- TokenCheck.h - checks on the token stream before parsing -*- C++ -*-===//
//
// Private to syntax/. Runs over all tokens once, before the parser:
//  * reports lexical errors (unterminated strings and comments, characters
//    outside the language) with readable messages;
//  * checks that brackets balance, naming the opener a closer fails to match;
//  * bounds nesting, so that neither ANTLR's recursive-descent parser nor any
//    later recursive walk of the tree can overflow the stack. The measure is
//    the number of open brackets plus, for each, the operators chained inside
//    it since the last ',', '=', ';' or statement start (each operator, call,
//    index and `else` adds a level to the parse tree).
// It records, for every token, the innermost bracket open before it, which
// parse errors use to say "expected ')' to close '(' at 3:14".
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SYNTAX_TOKENCHECK_H
#define NETC_SYNTAX_TOKENCHECK_H

#include "support/Diagnostics.h"
#include "syntax/TokenBuffer.h"
#include "syntax/TokenLocator.h"

#include <vector>

namespace netc::syntax {

/// Longest name and string literal (in characters, quotes included) the
/// lexical check accepts.
inline constexpr size_t kMaxNameLength = 256;
inline constexpr size_t kMaxStringLength = 65536;

struct TokenCheckResult {
  bool ok = true;
  /// For token i, the index of the innermost unclosed opener before it, or -1.
  std::vector<int32_t> openerOf;
};

TokenCheckResult checkTokens(const TokenBuffer &tokens,
                             const TokenLocator &where, DiagEngine &diag, unsigned maxNesting);

/// How a token is named in messages: "')'", "identifier", "end of file".
std::string describeTokenType(size_t type);
/// How a particular token is shown: "'foo'", "end of file".
std::string describeToken(const antlr4::Token *t);
/// Tokens after which an operand has ended: a following '(' or '[' is a
/// call or index, and a following name starts a new statement.
bool endsOperand(size_t type);
/// Tokens that can begin an operand.
bool startsOperand(size_t type);
/// The closer matching an opener token type, or 0.
size_t closerFor(size_t openerType);

} // namespace netc::syntax

#endif
