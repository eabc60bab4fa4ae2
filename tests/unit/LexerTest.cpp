// Unit tests of syntax::Lexer: it must give exactly the tokens of the lexer
// ANTLR generates from grammar/Net.g4 (see syntax/Lexer.h), on every .net
// file of the repository and on the edge cases of each lexer rule.
#include "TestUtil.h"

#include "../fuzz/LexerDiff.h"
#include "syntax/Lexer.h"

#include <doctest/doctest.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>

#include <string>
#include <vector>

using namespace netc;
using L = netc::grammar::NetLexer;

namespace {

/// Snippets at the edges of the lexer rules. Each is lexed alone, and every
/// pair of them is lexed joined directly and with a space between.
const std::vector<std::string> &snippets() {
  static const std::vector<std::string> all = {
      // INT, FLOAT, BAD_NUMBER and the DIGITS fragment's '_' separators.
      "1", "0", "00", "1_000", "1__0", "1_", "_1", "1_.5", "1._5", "1.5", "1.", ".5", ".",
      "..", ".5.5", "1.5.5", "1..2", "1.5.", "1.5_", "0x10", "128GiB", "3x", "1e5", "1E5",
      "1e+5", "1e-5", "1e", "1e+", "1e-x", "1e+5x", "1e+5e", "1e+5.3", "1e5.3", "1e5_0", "1.e5",
      "1.5e", "1.5e+", "1.5e3", "1.5e+3", "1.5e3_", ".5e-3", ".5e", ".5_1", "1_0.2_5e1_0",
      "9.9e+99.9", "2**-1", "x.5", "a1.5", "1.5e+3.2", "1_2_3.4_5e-6",
      // Keywords and names.
      "import", "block", "network", "hardware", "for", "in", "if", "else", "return", "true",
      "false", "none", "importx", "If", "in1", "_", "__x1", "x_y", "Z9",
      // Operators, longest first.
      "|>", "|", "||", "|||", "&", "&&", "&&&", "**", "***", "*", "/", "//", "///", "++", "+++",
      "+", "-", "--", "<=", "<", "<<=", ">=", ">", "==", "=", "===", "!=", "!", "!==", "?", ":",
      ";", ",", "%", "()[]{}", "@", "$", "`", "~", "^", "'", "\\",
      // Comments.
      "# c", "#", "# c\nx", "# c\r\nx", "#\rx", "/* c */x", "/**/", "/*/", "/*", "/* a",
      "/* a */ */", "/*/**/x", "/* \n\n */x", "x/*y", "#/*\nx*/", "/*#*/x", "/***/", "/* * / */",
      // Strings, escapes and unterminated ones.
      "\"\"", "\"a\"", "\"a", "\"", "\"a\nb\"", "\"a\r\nb", "\"\\\"\"", "\"\\\"", "\"\\",
      "\"\\\n\"", "\"\\\r\"", "\"\\n\\t\"", "\"\\x\"", "\"\\\\\"", "\"a\"b\"", "\"# no */\"",
      // Non-ASCII: in strings, comments, and where a token would start.
      "\xC3\xA9", "x \xC3\xA9 y", "# \xC3\xA9\nx", "/* \xE6\xBC\xA2\xE5\xAD\x97 */ x",
      "\"\xF0\x9F\x98\x80\" x", "\xF0\x9F\x98\x80", "x\xF0\x9F\x98\x80y", "\"\\\xC3\xA9\"",
      "\xC2\xA0", "\xE2\x80\xA8", "\xEF\xBF\xBF", "\xF4\x8F\xBF\xBF", "\xEF\x80\x80",
      // Byte-order marks (U+FEFF): the first one is dropped, the others are white space.
      "\xEF\xBB\xBF", "\xEF\xBB\xBFx", "\xEF\xBB\xBF\xEF\xBB\xBFx", "x\xEF\xBB\xBFy",
      "\xEF\xBB\xBF \xC3\xA9 \"\xC3\xA9\"\n x",
      // White space, line ends, control characters.
      "", " ", "\t", "\r\n", "a\r\nb", "a\rb", "\f", "a\fb", "\v", "\n\n\n x",
      std::string("x\0y", 3), std::string("\0", 1), std::string("\"\0\"", 3),
      std::string("# \0\nx", 5), "\x01", "\x7f", "\x1b[0m",
  };
  return all;
}

} // namespace

TEST_CASE("lexer: every .net file of the repository lexes as the grammar's lexer does") {
  size_t files = 0;
  for (const std::string &path : netc::test::repoNetFiles({"examples", "stdlib", "tests"})) {
    auto buf = llvm::MemoryBuffer::getFile(path);
    REQUIRE(buf);
    llvm::StringRef text = (*buf)->getBuffer();
    if (findInvalidUTF8(text)) // a test of the UTF-8 check: never lexed
      continue;
    CAPTURE(path);
    CHECK(test::lexerDifference(text.str()) == "");
    ++files;
  }
  CHECK(files > 100);
}

TEST_CASE("lexer: the edge cases of every rule lex as the grammar's lexer does") {
  const std::vector<std::string> &all = snippets();
  for (const std::string &s : all) {
    CAPTURE(s);
    CHECK(test::lexerDifference(s) == "");
  }
  // Every pair, joined and apart: a rule's match running into the next one.
  size_t differences = 0;
  for (const std::string &a : all)
    for (const std::string &b : all)
      for (const char *sep : {"", " ", "\n"}) {
        std::string s = a + sep + b;
        std::string diff = test::lexerDifference(s);
        if (!diff.empty() && ++differences <= 10) {
          CAPTURE(s);
          CHECK(diff == "");
        }
      }
  CHECK(differences == 0);
}

TEST_CASE("lexer: numbers take the longest match, valid numbers winning a tie") {
  auto types = [](const std::string &text) {
    syntax::Lexer lexer(text);
    std::vector<uint32_t> out;
    for (syntax::LexToken t = lexer.next(); t.type != syntax::LexToken::kEOF; t = lexer.next())
      out.push_back(t.type);
    return out;
  };
  using V = std::vector<uint32_t>;
  CHECK(types("1") == V{L::INT});
  CHECK(types("1_000") == V{L::INT});
  CHECK(types("1e5") == V{L::FLOAT});
  CHECK(types(".5") == V{L::FLOAT});
  CHECK(types("1e+5") == V{L::FLOAT});
  CHECK(types("1e+5x") == V{L::FLOAT, L::IDENT});
  CHECK(types("1.5e+3.2") == V{L::FLOAT, L::FLOAT});
  for (const char *bad : {"1.5.5", "0x10", "128GiB", "1_", "1.", "1e", "1..2", "1e5.3", ".5_"})
    CHECK_MESSAGE(types(bad) == V{L::BAD_NUMBER}, std::string(bad));
  CHECK(types("1e+") == V{L::BAD_NUMBER, L::PLUS});
  CHECK(types(".") == V{L::BAD_CHAR});
  CHECK(types("/* a") == V{L::UNTERMINATED_COMMENT, L::IDENT});
  CHECK(types("\"a\\\nb") == V{L::UNTERMINATED_STRING, L::BAD_CHAR, L::IDENT});
}

TEST_CASE("lexer: positions count code points after a dropped byte-order mark") {
  // 'é' is two bytes, '→' three, U+1F600 four: one code point each.
  std::string text = "\xEF\xBB\xBF\"\xC3\xA9\xE2\x86\x92\xF0\x9F\x98\x80\" x\n  \xC3\xA9";
  syntax::Lexer lexer(text);
  syntax::LexToken s = lexer.next(), x = lexer.next(), bad = lexer.next(), eof = lexer.next();
  CHECK(s.type == L::STRING);
  CHECK((s.start == 0 && s.stop == 4 && s.line == 1 && s.column == 0));
  CHECK((x.type == L::IDENT && x.start == 6 && x.column == 6));
  CHECK((bad.type == L::BAD_CHAR && bad.start == 10 && bad.stop == 10 && bad.line == 2 &&
         bad.column == 2));
  CHECK((eof.type == syntax::LexToken::kEOF && eof.start == 11 && eof.stop == 10 &&
         eof.column == 3));
  syntax::LexToken empty = syntax::Lexer("").next();
  CHECK((empty.type == syntax::LexToken::kEOF && empty.start == 0 && empty.stop == UINT32_MAX));
}
