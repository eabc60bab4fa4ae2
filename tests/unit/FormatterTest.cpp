// Unit tests of netc fmt's formatter (syntax/Formatter.h) and of the unified
// diff that --check prints (support/LineDiff.h).
#include "TestUtil.h"

#include "support/LineDiff.h"
#include "syntax/Formatter.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>

#include <doctest/doctest.h>

#include <algorithm>

using namespace netc;
using netc::test::Parsed;

namespace {

std::string format(const std::string &text, unsigned width = 100) {
  std::string errors;
  syntax::FormatOptions opts;
  opts.width = width;
  std::optional<std::string> out = syntax::formatText(text, "t.net", errors, opts);
  REQUIRE_MESSAGE(out, errors);
  return *out;
}

/// The AST dump of `text` without locations.
std::string dumpWithoutLocations(const std::string &text) {
  Parsed p(text);
  REQUIRE_MESSAGE(p.module, p.errors());
  std::string out;
  llvm::raw_string_ostream os(out);
  ast::printModule(os, *p.module, /*locations=*/false);
  return os.str();
}

/// Formatting `in` gives `expected`, which is a fixed point.
void checkFormat(const std::string &in, const std::string &expected, unsigned width = 100) {
  std::string out = format(in, width);
  CHECK(out == expected);
  CHECK(format(out, width) == out);
}

} // namespace

TEST_CASE("fmt: spacing, one statement a line, dropped separators, literals as written") {
  checkFormat("import \"a.net\";import \"b.net\"\nblock   f( x : tensor ,k:int=3, ) {\n"
              "    y=conv2d(x,16,k=k,stride=2,);z = - y ; w = + +y\n  return y|>relu\n}\n",
              "import \"a.net\"\nimport \"b.net\"\nblock f(x: tensor, k: int = 3) {\n"
              "  y = conv2d(x, 16, k=k, stride=2)\n  z = -y\n  w = + +y\n  return y |> relu\n}\n");
  checkFormat("network n(a: int = 1_000, e: float = 1e-5) { x = [.5, 1.0E3, \"a\\\"b\"]"
              "[0:-1:2, :] ** -2 // 3 % 4 ++ !true ? none : a<=b&&c!=d||e\n}",
              "network n(a: int = 1_000, e: float = 1e-5) {\n"
              "  x = [.5, 1.0E3, \"a\\\"b\"][0:-1:2, :] ** -2 // 3 % 4 ++ !true ? none : "
              "a <= b && c != d || e\n}\n");
  // A one-element tuple keeps its comma; destructuring patterns are spaced.
  checkFormat("block f() { t = (x,)\n(a,),b=(1,2)\nfor(i,j)in[(1,2)]{}\nreturn t,a }",
              "block f() {\n  t = (x,)\n  (a,), b = (1, 2)\n  for (i, j) in [(1, 2)] {}\n"
              "  return t, a\n}\n");
  // hardware: one field a line, units kept.
  checkFormat("hardware h { bw = 1 GB/s; memory=8 GiB peak_fp32 = 1e12 }",
              "hardware h {\n  bw = 1 GB/s\n  memory = 8 GiB\n  peak_fp32 = 1e12\n}\n");
}

TEST_CASE("fmt: a semicolon stays only where the next statement would continue an expression") {
  checkFormat("block f() { x = a; -b\n y = c; [1] |> g\n z = d; (p, q) = e\n w = 1;; return w }",
              "block f() {\n  x = a;\n  -b\n  y = c;\n  [1] |> g\n  z = d\n  (p, q) = e\n"
              "  w = 1\n  return w\n}\n");
}

TEST_CASE("fmt: a file of only separators keeps one (fuzz_fmt found it)") {
  checkFormat("; ;\n", ";\n");
  checkFormat("# c\n;", "# c\n;\n");
}

TEST_CASE("fmt: bodies, else chains and empty lines") {
  // One-line bodies stay when written so and they fit; else chains share a line.
  checkFormat("block f(x) { return x }\nblock g(x) {\n  return x\n}\n"
              "block h(c) { if c { x = 1 } else { x = 2 }\n  if c { y = 1 }\n  else { y = 2 }\n"
              "  for i in r {}\n  return x }\n",
              "block f(x) { return x }\nblock g(x) {\n  return x\n}\n"
              "block h(c) {\n  if c { x = 1 } else { x = 2 }\n  if c { y = 1 } else { y = 2 }\n"
              "  for i in r {}\n  return x\n}\n");
  checkFormat("block f(c) { if c { return 1 } else if d { return 2 }\nelse { x = 1\n return 3 } }",
              "block f(c) {\n  if c {\n    return 1\n  } else if d {\n    return 2\n  } else {\n"
              "    x = 1\n    return 3\n  }\n}\n");
  // At most one empty line, none at the start or end of a body or the file.
  checkFormat("\n\nblock f() {\n\n  x = 1\n\n\n  y = 2\n\n}\n\n\n\nblock g() {}\n\n",
              "block f() {\n  x = 1\n\n  y = 2\n}\n\nblock g() {}\n");
  // A one-line body that no longer fits is broken.
  checkFormat("block f(x) { return conv2d(x, 16, k=3) }",
              "block f(x) {\n  return conv2d(x, 16, k=3)\n}\n", 30);
}

TEST_CASE("fmt: long lists are filled and aligned, or indented") {
  checkFormat("block f(x) { y = conv2d(x, 16, k=3, stride=2, padding=1, groups=4, bias=false) }",
              "block f(x) {\n  y = conv2d(x, 16, k=3, stride=2,\n"
              "             padding=1, groups=4,\n"
              "             bias=false)\n}\n",
              36);
  // Items that the source started on a new line keep their rows.
  checkFormat("block f() { for (a, b) in [(1, 2),\n (3, 4), (5, 6)] { use(a) } }",
              "block f() {\n  for (a, b) in [(1, 2),\n                 (3, 4), (5, 6)] {\n"
              "    use(a)\n  }\n}\n",
              36);
  // A line break after the open bracket: the items go on the next line,
  // two levels in; so do items that would not fit after the bracket.
  checkFormat("block f() { for (a, b) in [\n (1, 2), (3, 4)] { use(a) } }",
              "block f() {\n  for (a, b) in [\n      (1, 2), (3, 4)] {\n    use(a)\n  }\n}\n", 30);
  checkFormat("block f() { a_long_name = another_long_function_name(first_argument, second) }",
              "block f() {\n  a_long_name = another_long_function_name(\n"
              "      first_argument, second)\n}\n",
              50);
  // A list that fits again is joined, whatever the source's rows.
  checkFormat("block f() { x = g(1,\n 2,\n 3) }", "block f() {\n  x = g(1, 2, 3)\n}\n");
}

TEST_CASE("fmt: pipes on one line when they fit, else broken before every |>") {
  checkFormat("block f(x) {\n  return x |> a |> b(1) |> c\n}\n",
              "block f(x) {\n  return x |> a |> b(1) |> c\n}\n");
  checkFormat("block f(x) { y = x |> conv(16, k=3) |> batchnorm |> relu }",
              "block f(x) {\n  y = x\n      |> conv(16, k=3)\n      |> batchnorm\n"
              "      |> relu\n}\n",
              40);
}

TEST_CASE("fmt: comments stay where they are") {
  // Leading, trailing, aligned trailing comments, block comments between
  // tokens, comments in empty bodies and at the end of the file.
  checkFormat("# file\n\n# about f\nblock f(x) { # after the brace\n"
              "  # before y\n  y = x # y\n  zz = y    # zz\n\n  # last\n}\n"
              "block g() {\n  # only a comment\n}\nblock h(/* none */) { return 1 /* one */ }\n"
              "# the end",
              "# file\n\n# about f\nblock f(x) {  # after the brace\n"
              "  # before y\n  y = x   # y\n  zz = y  # zz\n\n  # last\n}\n"
              "block g() {\n  # only a comment\n}\n"
              "block h(/* none */) {\n  return 1  /* one */\n}\n"
              "# the end\n");
  // Comments inside a wrapped list stay with their items.
  checkFormat("block f() {\n  l = [1, 2,  # one, two\n       # three next\n       3]\n}\n",
              "block f() {\n  l = [1, 2,  # one, two\n       # three next\n       3]\n}\n");
  checkFormat("block f() {\n  l = [\n    1,  # one\n    2,  # two\n  ]\n}\n",
              "block f() {\n  l = [\n      1,  # one\n      2   # two\n  ]\n}\n");
  // A multi-line block comment is kept byte for byte.
  checkFormat("/*\n * a\n *   b\n */\nblock f() { x = 1 }\n",
              "/*\n * a\n *   b\n */\nblock f() { x = 1 }\n");
  // A comment inside an expression keeps it broken where it was.
  checkFormat("block f() { x = a + # why\n b }", "block f() {\n  x = a +  # why\n      b\n}\n");
  // A comment ending the line before `else` or `{` keeps them at the
  // statement's indentation on the next line.
  checkFormat("block f(c) {\n  if c { x = 1 } # then\n  else { x = 2 }\n"
              "  for i in r # loop\n  { y = i }\n}\n",
              "block f(c) {\n  if c {\n    x = 1\n  }  # then\n  else {\n    x = 2\n  }\n"
              "  for i in r  # loop\n  {\n    y = i\n  }\n}\n");
  // Comments of dropped separators move to the next token.
  checkFormat("block f() { x = 1; # one\n y = g(1, /* last */) }",
              "block f() {\n  x = 1  # one\n  y = g(1 /* last */)\n}\n");
}

TEST_CASE("fmt: a file that does not parse is refused") {
  std::string errors;
  CHECK_FALSE(syntax::formatText("block f( { }", "bad.net", errors));
  CHECK(errors.find("bad.net:1:") != std::string::npos);
  CHECK(errors.find("error:") != std::string::npos);
  errors.clear();
  CHECK_FALSE(syntax::formatText("# only a comment\n", "c.net", errors));
  CHECK(errors.find("no definitions") != std::string::npos);
}

TEST_CASE("fmt: every .net file of the repository: idempotent, same tree") {
  std::vector<std::string> files = test::repoNetFiles({"examples", "stdlib", "tests", "bench"});
  CHECK(files.size() > 300);
  size_t formatted = 0;
  for (const std::string &path : files) {
    auto buf = llvm::MemoryBuffer::getFile(path);
    REQUIRE(buf);
    std::string text = (*buf)->getBuffer().str();
    if (!Parsed(text).module)
      continue; // an error test
    INFO(path);
    for (unsigned width : {100u, 40u}) {
      std::string once = format(text, width);
      CHECK(format(once, width) == once);
      CHECK(dumpWithoutLocations(once) == dumpWithoutLocations(text));
    }
    ++formatted;
  }
  CHECK(formatted > 250);
}

TEST_CASE("line diff: unified hunks with context") {
  CHECK(unifiedDiff("a\nb\n", "a\nb\n", "a/x", "b/x").empty());
  CHECK(unifiedDiff("a\nb\nc\n", "a\nB\nc\n", "a/x", "b/x") ==
        "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  // Far-apart changes make two hunks; an added last line; no newline at end.
  std::string before, after;
  for (int i = 1; i <= 12; ++i) {
    before += std::to_string(i) + "\n";
    after += (i == 2 ? "two" : std::to_string(i)) + "\n";
  }
  after += "13\n";
  CHECK(unifiedDiff(before, after, "a", "b") ==
        "--- a\n+++ b\n@@ -1,5 +1,5 @@\n 1\n-2\n+two\n 3\n 4\n 5\n"
        "@@ -10,3 +10,4 @@\n 10\n 11\n 12\n+13\n");
  CHECK(unifiedDiff("x", "x\n", "a", "b") ==
        "--- a\n+++ b\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n");
  CHECK(unifiedDiff("", "x\n", "a", "b") == "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n");
}
