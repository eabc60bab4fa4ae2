// libFuzzer target: netc fmt (syntax/Formatter.h) on any bytes as a .net
// file. For an input that parses, at the default width and at a narrow one
// chosen by the input: formatting must succeed (no internal error), its
// output must parse to the same syntax tree up to locations, and formatting
// the output again must give it back unchanged. Anything else aborts.
#include "support/Diagnostics.h"
#include "support/SourceLoader.h"
#include "syntax/ASTPrinter.h"
#include "syntax/Formatter.h"
#include "syntax/Parser.h"

#include <llvm/Support/raw_ostream.h>

#include <cstdlib>
#include <string>

using namespace netc;

namespace {

[[noreturn]] void fail(const char *what, const std::string &detail) {
  llvm::errs() << "fuzz_fmt: " << what << "\n" << detail << "\n";
  llvm::errs().flush();
  std::abort();
}

/// The AST dump of `text` without locations; false if it does not parse.
bool treeOf(llvm::StringRef text, std::string &tree) {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  unsigned id = loadSourceText(diag, text, "fuzz.net");
  std::unique_ptr<ast::Module> m = id ? parseBuffer(diag, id) : nullptr;
  if (!m)
    return false;
  llvm::raw_string_ostream os(tree);
  ast::printModule(os, *m, /*locations=*/false);
  os.flush();
  return true;
}

std::string formatOrAbort(llvm::StringRef text, unsigned width) {
  std::string errors;
  syntax::FormatOptions opts;
  opts.width = width;
  std::optional<std::string> out = syntax::formatText(text, "fuzz.net", errors, opts);
  if (!out)
    fail("a file that parses was not formatted", errors);
  return *out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  std::string tree;
  if (!treeOf(text, tree))
    return 0;
  for (unsigned width : {100u, 20u + (size ? data[0] % 64u : 0u)}) {
    std::string once = formatOrAbort(text, width);
    std::string again;
    if (!treeOf(once, again))
      fail("the formatted text does not parse", once);
    if (again != tree)
      fail("the formatted text has another syntax tree", once);
    if (formatOrAbort(once, width) != once)
      fail("formatting is not idempotent", once);
  }
  return 0;
}
