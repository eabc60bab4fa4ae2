//===- ModuleLoader.h - a file and everything it imports -------*- C++ -*-===//
//
// Loads the main file and, depth first, every file it imports, parsing each
// once. Import paths resolve as follows:
//   "std/NAME.net"  -> NAME.net in the standard library directory (--stdlib,
//                      else $NETC_STDLIB, else the build's stdlib/);
//   an absolute path -> itself;
//   anything else   -> relative to the importing file, then to each -I dir.
// A cycle of imports is an error located at the import that closes it.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SYNTAX_MODULELOADER_H
#define NETC_SYNTAX_MODULELOADER_H

#include "support/Diagnostics.h"
#include "support/SourceLoader.h"
#include "syntax/AST.h"
#include "syntax/Parser.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace netc {

struct LoadOptions {
  std::vector<std::string> includeDirs;
  std::string stdlibDir; ///< empty: $NETC_STDLIB, else the configured default
  ParseOptions parse;
  SourceLimits limits;
  unsigned maxImportDepth = 64;
};

/// Every module of a program, dependencies before their importers; the main
/// file's module is last.
struct Program {
  std::vector<std::unique_ptr<ast::Module>> modules;
  const ast::Module &main() const { return *modules.back(); }
};

/// Loads `path` and its imports. Returns nothing if any error was reported.
std::optional<Program> loadProgram(DiagEngine &diag, llvm::StringRef path,
                                   const LoadOptions &opts = {});
/// The same for in-memory main text named `name` (tests and fuzzers); its
/// relative imports resolve against the current directory.
std::optional<Program> loadProgramFromText(DiagEngine &diag, llvm::StringRef text,
                                           llvm::StringRef name, const LoadOptions &opts = {});

/// The standard library directory `opts` selects.
std::string stdlibDirectory(const LoadOptions &opts);

} // namespace netc

#endif
