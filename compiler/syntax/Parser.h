//===- Parser.h - the front door: text to AST -------------------*- C++ -*-===//
//
// parseBuffer() turns one SourceMgr buffer into an ast::Module. It lexes,
// runs the token checks (lexical errors, bracket balance, nesting limit),
// parses with ANTLR (fast SLL first, full LL only when SLL fails) and builds
// the AST. All errors go to the DiagEngine; nothing is thrown.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SYNTAX_PARSER_H
#define NETC_SYNTAX_PARSER_H

#include "support/Diagnostics.h"
#include "syntax/AST.h"

#include <memory>

namespace netc {

struct ParseOptions {
  /// Bound on the nesting of brackets, chained operators and else-ifs.
  unsigned maxNesting = 200;
};

/// Returns the module, or null if any error was reported for this buffer.
std::unique_ptr<ast::Module> parseBuffer(DiagEngine &diag, unsigned fileId,
                                         const ParseOptions &opts = {});

} // namespace netc

#endif
