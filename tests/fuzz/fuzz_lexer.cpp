// libFuzzer target: syntax::Lexer (syntax/Lexer.h) against the lexer ANTLR
// generates from grammar/Net.g4, on any bytes that are valid UTF-8. The two
// token streams must be identical: type, start, stop, line, column and text
// of every token (LexerDiff.h). Anything else aborts, printing the first
// difference.
//
// The real path (SourceLoader) also refuses NUL bytes and turns a lone CR
// into LF before lexing; those inputs are kept here, as a superset: both
// lexers must agree on every valid UTF-8 text. Invalid UTF-8 never reaches a
// lexer (ANTLR's input stream cannot even decode it).
#include "LexerDiff.h"

#include "support/SourceLoader.h"

#include <llvm/Support/raw_ostream.h>

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  if (netc::findInvalidUTF8(text))
    return 0;
  std::string diff = netc::test::lexerDifference(text);
  if (!diff.empty()) {
    llvm::errs() << "fuzz_lexer: the lexers differ\n" << diff << "\n";
    llvm::errs().flush();
    std::abort();
  }
  return 0;
}
