// Unit tests of the front end: token checks, parser and AST builder.
#include "TestUtil.h"

#include "NetLexer.h"
#include "syntax/TokenBuffer.h"
#include "syntax/TokenLocator.h"

#include <doctest/doctest.h>

using namespace netc;
using namespace netc::ast;
using netc::test::Parsed;
using llvm::cast;
using llvm::isa;

namespace {
/// Parses `network n() { x = EXPR }` and returns the dump of EXPR.
std::string exprDump(const std::string &expr) {
  Parsed p("network n() { x = " + expr + " }");
  REQUIRE_MESSAGE(p.module, p.errors());
  std::string out;
  llvm::raw_string_ostream os(out);
  printExpr(os, test::firstValue(*p.module));
  return os.str();
}
} // namespace

TEST_CASE("builder: declarations keep source order, names and locations") {
  Parsed p("import \"a.net\"\nblock b(x, k: int = 3) { return x }\n"
           "network n() { return 1 }\nhardware h { bw = 1 GB/s }\n");
  REQUIRE_MESSAGE(p.module, p.errors());
  const auto &d = p.module->decls;
  REQUIRE(d.size() == 4);
  CHECK(isa<ImportDecl>(*d[0]));
  CHECK(d[0]->name == "a.net");
  CHECK(d[0]->loc.line == 1);
  CHECK(d[0]->loc.col == 8);
  const auto &b = cast<BlockDecl>(*d[1]);
  CHECK(b.name == "b");
  CHECK(b.loc.line == 2);
  CHECK(b.loc.col == 7);
  REQUIRE(b.params.size() == 2);
  CHECK(b.params[0].name == "x");
  CHECK_FALSE(b.params[0].hasType);
  CHECK(b.params[0].defaultValue == nullptr);
  CHECK(b.params[1].type.name == "int");
  CHECK(cast<IntLit>(*b.params[1].defaultValue).value == 3);
  CHECK(isa<NetworkDecl>(*d[2]));
  const auto &h = cast<HardwareDecl>(*d[3]);
  REQUIRE(h.fields.size() == 1);
  CHECK(h.fields[0].name == "bw");
  CHECK(h.fields[0].unit == "GB/s");
  CHECK(h.fields[0].unitLoc.col == 21);
}

TEST_CASE("builder: every node carries file, line and column") {
  Parsed p("network n() {\n  y = f(a, k=2)\n}\n");
  REQUIRE(p.module);
  const auto &s = cast<AssignStmt>(test::firstStmt(*p.module));
  CHECK(s.loc.file == p.module->fileId);
  CHECK(s.loc.line == 2);
  CHECK(s.loc.col == 3);
  const auto &call = cast<CallExpr>(*s.value);
  CHECK(call.loc.col == 7);
  REQUIRE(call.args.size() == 2);
  CHECK(call.args[0].name.empty());
  CHECK(call.args[1].name == "k");
  CHECK(call.args[1].loc.col == 12);
  CHECK(call.args[1].value->loc.col == 14);
}

TEST_CASE("builder: precedence and associativity") {
  CHECK(exprDump("a - b - c") == "Binary - @1:25\n  Binary - @1:21\n    Name a @1:19\n"
                                 "    Name b @1:23\n  Name c @1:27\n");
  // ** is right-associative and binds tighter than unary minus.
  CHECK(exprDump("-2 ** 3 ** 2") == "Unary - @1:19\n  Binary ** @1:22\n    Int 2 @1:20\n"
                                    "    Binary ** @1:27\n      Int 3 @1:25\n      Int 2 @1:30\n");
  CHECK(exprDump("1 + 2 * 3") == "Binary + @1:21\n  Int 1 @1:19\n  Binary * @1:25\n"
                                 "    Int 2 @1:23\n    Int 3 @1:27\n");
  // ?: is right-associative and loosest; |> binds looser than ||.
  CHECK(exprDump("a ? b : c ? d : e") ==
        "Cond @1:21\n  Name a @1:19\n  Name b @1:23\n  Cond @1:29\n    Name c @1:27\n"
        "    Name d @1:31\n    Name e @1:35\n");
  CHECK(exprDump("x |> f |> g(1)") == "Pipe @1:26\n  Pipe @1:21\n    Name x @1:19\n"
                                      "    Name f @1:24\n  Call @1:29\n    Name g @1:29\n"
                                      "    Arg @1:31\n      Int 1 @1:31\n");
  CHECK(exprDump("a == b && c < d || !e") ==
        "Binary || @1:35\n  Binary && @1:26\n    Binary == @1:21\n      Name a @1:19\n"
        "      Name b @1:24\n    Binary < @1:31\n      Name c @1:29\n      Name d @1:33\n"
        "  Unary ! @1:38\n    Name e @1:39\n");
}

TEST_CASE("builder: literals") {
  Parsed p("network n() { x = [1_000, 2.5e-3, .5, \"a\\\"b\\n\", true, none, (1,), ()] }");
  REQUIRE_MESSAGE(p.module, p.errors());
  const auto &list = cast<ListExpr>(test::firstValue(*p.module));
  REQUIRE(list.elems.size() == 8);
  CHECK(cast<IntLit>(*list.elems[0]).value == 1000);
  CHECK(cast<FloatLit>(*list.elems[1]).value == doctest::Approx(0.0025));
  CHECK(cast<FloatLit>(*list.elems[2]).value == doctest::Approx(0.5));
  CHECK(cast<StringLit>(*list.elems[3]).value == "a\"b\n");
  CHECK(cast<BoolLit>(*list.elems[4]).value);
  CHECK(isa<NoneLit>(*list.elems[5]));
  CHECK(cast<TupleExpr>(*list.elems[6]).elems.size() == 1);
  CHECK(cast<TupleExpr>(*list.elems[7]).elems.empty());
}

TEST_CASE("builder: the largest integer is accepted, one more is an error") {
  Parsed ok("network n() { x = 9223372036854775807 }");
  REQUIRE(ok.module);
  CHECK(cast<IntLit>(test::firstValue(*ok.module)).value == INT64_MAX);
  Parsed bad("network n() { x = 9223372036854775808 }");
  CHECK_FALSE(bad.module);
  CHECK(bad.errors().find("t.net:1:19: error: integer literal 9223372036854775808 is too large") ==
        0);
}

TEST_CASE("builder: statements and patterns") {
  Parsed p("block b() {\n"
           "  a, (b, c) = f()\n"
           "  for (t, c), n in xs { g(t) }\n"
           "  if a { return 1 } else if b { return 2 } else { return 3, 4 }\n"
           "}\n");
  REQUIRE_MESSAGE(p.module, p.errors());
  const auto &body = cast<FuncDecl>(*p.module->decls[0]).body;
  REQUIRE(body.size() == 3);
  const auto &as = cast<AssignStmt>(*body[0]);
  REQUIRE(as.targets.size() == 2);
  CHECK(as.targets[0].name == "a");
  CHECK(as.targets[1].isTuple);
  CHECK(as.targets[1].elems[1].name == "c");
  const auto &f = cast<ForStmt>(*body[1]);
  REQUIRE(f.vars.size() == 2);
  CHECK(f.vars[0].isTuple);
  CHECK(isa<ExprStmt>(*f.body[0]));
  const auto &i = cast<IfStmt>(*body[2]);
  CHECK(i.hasElse);
  REQUIRE(i.elseBody.size() == 1);
  const auto &elseIf = cast<IfStmt>(*i.elseBody[0]);
  CHECK(elseIf.loc.line == 4);
  CHECK(cast<ReturnStmt>(*elseIf.elseBody[0]).values.size() == 2);
}

TEST_CASE("builder: index and slices") {
  CHECK(exprDump("s[1]") == "Index @1:20\n  Name s @1:19\n  Int 1 @1:21\n");
  CHECK(exprDump("s[1:]") == "Slice @1:20\n  Name s @1:19\n  From\n    Int 1 @1:21\n  To\n");
  CHECK(exprDump("s[:]") == "Slice @1:20\n  Name s @1:19\n  From\n  To\n");
}

TEST_CASE("tokens: text, line and column are read from the input on demand") {
  // CRLF line ends, a BOM and multi-byte UTF-8 ('é' two bytes, '→' three):
  // ANTLR counts columns in code points, the TokenLocator in bytes.
  std::string text = "\xEF\xBB\xBFnetwork n() {\r\n  s = \"h\xC3\xA9llo\xE2\x86\x92\" + t\r\n}\r\n";
  antlr4::ANTLRInputStream input(text);
  netc::grammar::NetLexer lexer(&input);
  syntax::TokenBuffer tokens(lexer);
  syntax::TokenLocator where(1, text);
  struct Want {
    std::string text;
    size_t line, antlrColumn;
    uint32_t byteColumn;
  };
  std::vector<Want> want = {
      {"network", 1, 0, 4}, {"n", 1, 8, 12},      {"(", 1, 9, 13},   {")", 1, 10, 14},
      {"{", 1, 12, 16},     {"s", 2, 2, 3},       {"=", 2, 4, 5},
      {"\"h\xC3\xA9llo\xE2\x86\x92\"", 2, 6, 7}, {"+", 2, 15, 19},  {"t", 2, 17, 21},
      {"}", 3, 0, 1}};
  REQUIRE(tokens.count() == want.size() + 1);
  for (size_t i = 0; i < want.size(); ++i) {
    const antlr4::Token &t = tokens[i];
    CAPTURE(i);
    CHECK(t.getText() == want[i].text);
    CHECK(t.getLine() == want[i].line);
    CHECK(t.getCharPositionInLine() == want[i].antlrColumn);
    CHECK(t.getTokenIndex() == i);
    CHECK(where.at(&t).line == want[i].line);
    CHECK(where.at(&t).col == want[i].byteColumn);
  }
  const antlr4::Token &eof = tokens[want.size()];
  CHECK(eof.getType() == antlr4::Token::EOF);
  CHECK(eof.getText() == "<EOF>");
  CHECK(where.at(&eof).line == 4);
  CHECK(eof.getTokenSource() == &lexer);
  CHECK(eof.getInputStream() == &input);
  // The stream serves them as ANTLR's would: EOF repeats, LT(-1) looks back.
  tokens.seek(want.size());
  CHECK(tokens.LT(1) == &eof);
  CHECK(tokens.LT(5) == &eof);
  CHECK(tokens.LT(-1)->getText() == "}");
  CHECK(tokens.getText() == "networkn(){s=\"h\xC3\xA9llo\xE2\x86\x92\"+t}");
}

TEST_CASE("parser: syntax errors are readable and located") {
  SUBCASE("unclosed call") {
    Parsed p("network n() {\n  x = f(a, b\n}\n");
    CHECK(p.errors() == "t.net:3:1: error: expected ')' to close '(' at 2:8, found '}'\n}\n^\n");
  }
  SUBCASE("missing comma") {
    Parsed p("network n() { x = f(a b) }");
    CHECK(p.errors() ==
          "t.net:1:23: error: expected ',' or ')' to close '(' at 1:20, found 'b'\n"
          "network n() { x = f(a b) }\n                      ^\n");
  }
  SUBCASE("several errors are all reported") {
    Parsed p("network n() {\n  for i range(3) { }\n}\nnetwork m() {\n  x = f(a b)\n}\n");
    std::string e = p.errors();
    CHECK(e.find("t.net:2:9: error: expected 'in' or ',', found 'range'") != std::string::npos);
    CHECK(e.find("t.net:5:11: error: expected ',' or ')'") != std::string::npos);
  }
  SUBCASE("unterminated string") {
    Parsed p("network n() { x = \"abc }\n");
    CHECK(p.errors().find("t.net:1:19: error: unterminated string") == 0);
  }
  SUBCASE("unterminated comment") {
    Parsed p("/* never closed\nnetwork n() {}");
    CHECK(p.errors().find("t.net:1:1: error: unterminated comment") == 0);
  }
  SUBCASE("empty file") {
    CHECK(Parsed(" \n\t\n").errors().find("t.net:1:1: error: empty file") == 0);
    CHECK(Parsed("  # only a comment\n").errors().find("t.net:1:1: error: no definitions") == 0);
  }
  SUBCASE("bad character") {
    Parsed p("network n() { x = $ }");
    CHECK(p.errors().find("t.net:1:19: error: unexpected character '$'") == 0);
  }
  CHECK_FALSE(Parsed("network n() { x = f(a b) }").module);
}

TEST_CASE("parser: nesting is bounded, so deep input cannot overflow the stack") {
  std::string deep = "network n() { x = " + std::string(100000, '(') + "1" +
                     std::string(100000, ')') + " }";
  Parsed p(deep);
  CHECK_FALSE(p.module);
  CHECK(p.errors().find("t.net:1:216: error: nesting too deep") == 0);

  std::string chain = "network n() { x = 1";
  for (int i = 0; i < 100000; ++i)
    chain += "+1";
  CHECK(Parsed(chain + " }").errors().find("expression too long or too deeply nested") !=
        std::string::npos);

  std::string minus = "network n() { x = " + std::string(100000, '-') + "1 }";
  CHECK(Parsed(minus).errors().find("expression too long or too deeply nested") !=
        std::string::npos);

  // Within the limit, deep nesting parses; the limit is configurable.
  std::string ok = "network n() { x = " + std::string(150, '(') + "1" + std::string(150, ')') + " }";
  CHECK(Parsed(ok).module);
  ParseOptions tight;
  tight.maxNesting = 10;
  CHECK_FALSE(Parsed(ok, tight).module);
}

TEST_CASE("parser: long flat input is not nesting") {
  // Many statements, list elements and separate expressions never add up.
  std::string body;
  for (int i = 0; i < 5000; ++i)
    body += "x" + std::to_string(i) + " = a + b * c ? d : e\n";
  std::string list = "[";
  for (int i = 0; i < 5000; ++i)
    list += "1 + 2, ";
  Parsed p("network n() {\n" + body + "y = " + list + "]\n}\n");
  CHECK_MESSAGE(p.module, p.errors());
}

TEST_CASE("parser: the AST dump is stable across parses") {
  const char *src = "block b(x) { return x |> relu }\nnetwork n() { return b(1) }\n";
  CHECK(Parsed(src).dump() == Parsed(src).dump());
  CHECK(Parsed(src).dump().rfind("Module \"t.net\"\n  Block b @1:7\n", 0) == 0);
}

TEST_CASE("parser: more precedence, as the grammar's levels give it") {
  // ** takes a unary right operand: a ** (-(b ** c)).
  CHECK(exprDump("a ** -b ** c") == "Binary ** @1:21\n  Name a @1:19\n  Unary - @1:24\n"
                                    "    Binary ** @1:27\n      Name b @1:25\n      Name c @1:30\n");
  // Calls bind tighter than unary minus; comparisons chain to the left.
  CHECK(exprDump("-f(x)") == "Unary - @1:19\n  Call @1:20\n    Name f @1:20\n    Arg @1:22\n"
                             "      Name x @1:22\n");
  CHECK(exprDump("a < b < c") == "Binary < @1:25\n  Binary < @1:21\n    Name a @1:19\n"
                                 "    Name b @1:23\n  Name c @1:27\n");
  // A call of a parenthesized callee is located at its '('.
  CHECK(exprDump("(f)(x)[0]") == "Index @1:25\n  Call @1:19\n    Name f @1:20\n    Arg @1:23\n"
                                 "      Name x @1:23\n  Int 0 @1:26\n");
  // The else branch of ?: takes a whole expression, pipes included.
  CHECK(exprDump("c ? a : b |> f") == "Cond @1:21\n  Name c @1:19\n  Name a @1:23\n"
                                      "  Pipe @1:29\n    Name b @1:27\n    Name f @1:32\n");
}

TEST_CASE("parser: where one statement ends without a terminator") {
  auto body = [](const std::string &src) {
    Parsed p("network n() {\n" + src + "\n}\n");
    REQUIRE_MESSAGE(p.module, p.errors());
    std::string out;
    llvm::raw_string_ostream os(out);
    for (const auto &s : cast<FuncDecl>(*p.module->decls[0]).body)
      os << (isa<AssignStmt>(*s) ? "assign " : isa<ExprStmt>(*s) ? "expr " : "other ");
    return os.str();
  };
  // '(', '[', '+' and '-' continue the expression whenever they can...
  CHECK(body("x = f\n(a)") == "assign ");
  CHECK(body("x = a\n[1]") == "assign ");
  CHECK(body("x = a\n[1, 2]") == "assign "); // a[1, 2]: a tensor's subscript
  CHECK(body("x = a\n- b") == "assign ");
  CHECK(body("x = a\n+ b\ny = 1") == "assign assign ");
  // ...and start a statement when they cannot.
  CHECK(body("x = f\n(a, b) = g()") == "assign assign ");
  CHECK(body("x = a\n[]") == "assign expr ");
  // First in a body, after ';' or after a block, they always start one.
  CHECK(body("(a)\n-b") == "expr ");
  CHECK(body("x = a;\n(b)") == "assign expr ");
  CHECK(body("for i in r { }\n-b") == "other expr ");
  CHECK(body("if c { }\n(a, b) = g()") == "other assign ");
}
