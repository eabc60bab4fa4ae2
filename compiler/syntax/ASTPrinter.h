//===- ASTPrinter.h - stable, readable AST dump (--emit=ast) ----*- C++ -*-===//
//
// One node a line, children indented by two spaces, every line ending with
// the node's @line:col. Leaf values (names, literals, patterns, types, units)
// are shown inline. The form is stable: goldens compare it byte for byte.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SYNTAX_ASTPRINTER_H
#define NETC_SYNTAX_ASTPRINTER_H

#include "syntax/AST.h"

#include <llvm/Support/raw_ostream.h>

namespace netc::ast {

/// `locations` false: without the @line:col (two modules with the same
/// meaning print the same: netc fmt's check of its output).
void printModule(llvm::raw_ostream &os, const Module &m, bool locations = true);
void printExpr(llvm::raw_ostream &os, const Expr &e, unsigned indent = 0);
/// A string literal as written in source: quoted, with escapes.
std::string quote(llvm::StringRef s);

} // namespace netc::ast

#endif
