//===- ASTBuilder.h - ANTLR parse tree to netc AST -------------*- C++ -*-===//
//
// Private to syntax/: the one place generated ANTLR types are used. A typed
// transformer in the manner of Kuzu's: one transformX(XContext&) per rule,
// each returning netc's own nodes (no std::any). It checks what only the
// token text can tell: integer and float ranges and string escapes.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SYNTAX_ASTBUILDER_H
#define NETC_SYNTAX_ASTBUILDER_H

#include "support/Diagnostics.h"
#include "syntax/AST.h"
#include "syntax/TokenLocator.h"

#include "NetParser.h"

namespace netc::syntax {

std::unique_ptr<ast::Module> buildModule(grammar::NetParser::File_Context &file,
                                         const TokenLocator &where, DiagEngine &diag);

} // namespace netc::syntax

#endif
