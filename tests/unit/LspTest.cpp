// netc lsp: positions and URIs, the message framing, and what an analysis
// answers (lsp/). The protocol as a whole is tested by the transcripts in
// tests/lsp/ and once with Neovim (tests/cli/nvim-lsp.sh).
#include "lsp/Features.h"
#include "lsp/Transport.h"

#include <doctest/doctest.h>

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <unistd.h>

using namespace netc::lsp;

namespace {

std::string stdlibDir() { return std::string(NETC_TEST_DIR) + "/../stdlib"; }

Analysis analyzeText(const std::string &text) {
  Settings s;
  s.stdlibDir = stdlibDir();
  return analyze(text, std::string(NETC_TEST_DIR) + "/lsp/inputs/unit.net", s);
}

/// The byte offset of the `nth` occurrence of `needle` in `text`.
size_t at(const std::string &text, const std::string &needle, int nth = 0) {
  size_t p = text.find(needle);
  while (nth-- > 0)
    p = text.find(needle, p + 1);
  REQUIRE(p != std::string::npos);
  return p;
}

std::string hoverText(const Analysis &a, size_t offset) {
  llvm::json::Value v = hover(a, offset);
  const llvm::json::Object *o = v.getAsObject();
  if (!o)
    return "";
  return o->getObject("contents")->getString("value")->str();
}

const char *kNet = "import \"std/blocks.net\"\n"
                   "# one conv\n"
                   "block one(x: tensor, c: int = 8) { return conv_bn_act(x, c) }\n"
                   "network n() {\n"
                   "  x = input([1, 3, 16, 16])\n"
                   "  x = one(x)\n"
                   "  y = x |> relu |> global_avg_pool\n"
                   "  return y\n"
                   "}\n";

} // namespace

TEST_CASE("lsp positions: UTF-16 columns, clamping, words") {
  std::string t = "ab\n# \xC3\xA9\xF0\x9F\x98\x80 x\nlast";
  // "# " is two UTF-16 units, é one, the emoji two.
  CHECK(positionAt(t, t.find(" x")) == Position{1, 5});
  CHECK(offsetAt(t, Position{1, 5}) == t.find(" x"));
  CHECK(offsetAt(t, Position{1, 3}) == t.find("\xF0")); // the emoji's start
  CHECK(offsetAt(t, Position{1, 4}) == t.find("\xF0")); // inside its surrogate pair: not mid-sequence
  CHECK(offsetAt(t, Position{0, 99}) == 2);           // past the line's end: its end
  CHECK(offsetAt(t, Position{9, 0}) == t.size());     // past the last line: the end
  CHECK(positionAt(t, 1000) == Position{2, 4});
  auto [b, e] = wordAt("  conv2d(x)", 5);
  CHECK(b == 2);
  CHECK(e == 8);
  Range r = tokenRange("x = \"a\\\"b\" + 1.5e3", 4);
  CHECK(r.end.character == 10);
  CHECK(tokenRange("x = 1.5e3", 4).end.character == 9);
}

TEST_CASE("lsp URIs: percent-encoding both ways, other schemes refused") {
  CHECK(uriFromPath("/a b/c#.net") == "file:///a%20b/c%23.net");
  CHECK(*pathFromUri("file:///a%20b/c%23.net") == "/a b/c#.net");
  CHECK(*pathFromUri("file://localhost/x.net") == "/x.net");
  CHECK_FALSE(pathFromUri("untitled:Untitled-1").has_value());
  CHECK_FALSE(pathFromUri("file://otherhost/x.net").has_value());
}

TEST_CASE("lsp transport: framing, several messages in one read, broken headers") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::string in = "Content-Length: 2\r\n\r\n{}"
                   "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
                   "content-length: 7\r\n\r\n[1,2,3]"
                   "Content-Length: x\r\n\r\n";
  REQUIRE(write(fds[1], in.data(), in.size()) == static_cast<ssize_t>(in.size()));
  close(fds[1]);
  std::string out, body, why;
  llvm::raw_string_ostream os(out);
  Transport t(fds[0], os);
  REQUIRE(t.next(body, why) == Transport::Read::Message);
  CHECK(body == "{}");
  CHECK(t.pending());
  REQUIRE(t.next(body, why) == Transport::Read::Message);
  CHECK(body == "[1,2,3]");
  CHECK(t.next(body, why) == Transport::Read::Broken);
  CHECK(why == "a Content-Length that is not a number: 'x'");
  close(fds[0]);

  t.notify("m", llvm::json::Object{{"a", 1}});
  os.flush();
  CHECK(out == "Content-Length: 47\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"a\":1}}");
}

TEST_CASE("lsp transport: the end of the input between and inside messages") {
  for (auto [text, want] : {std::pair<std::string, Transport::Read>{"", Transport::Read::End},
                            {"Content-Length: 10\r\n\r\n{}", Transport::Read::Broken},
                            {"Content-Len", Transport::Read::Broken},
                            {"X: 1\r\n\r\n", Transport::Read::Broken}}) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    REQUIRE(write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    close(fds[1]);
    std::string body, why;
    Transport t(fds[0], llvm::nulls());
    CHECK(t.next(body, why) == want);
    close(fds[0]);
  }
}

TEST_CASE("lsp analysis: hover on op calls, block calls, names and declarations") {
  std::string text = kNet;
  Analysis a = analyzeText(text);
  REQUIRE(a.diagnostics.empty());
  REQUIRE(a.report);
  // A block call: the layers under it (a conv with its BN folded and relu fused).
  std::string h = hoverText(a, at(text, "one(x)"));
  CHECK(h.find("**one** (block) → `f32[1,8,16,16]`") != std::string::npos);
  CHECK(h.find("1 layer in 1 call") != std::string::npos);
  CHECK(h.find("| params | 224 |") != std::string::npos); // 8*3*9 conv + 8 bias after folding
  // An op fused into the layer before it.
  h = hoverText(a, at(text, "relu |>"));
  CHECK(h.find("**relu** → `f32[1,8,16,16]`") != std::string::npos);
  CHECK(h.find("fused into `one.conv_bn_act.conv2d`") != std::string::npos);
  // A name read and a name bound twice.
  CHECK(hoverText(a, at(text, "y\n}")) == "**y**: `f32[1,8,1,1]`");
  CHECK(hoverText(a, at(text, "x = one")) == "**x**: `f32[1,8,16,16]`");
  // A declaration: its signature and the comment above it.
  h = hoverText(a, at(text, "one(x: tensor"));
  CHECK(h.find("block one(x: tensor, c: int = 8)") != std::string::npos);
  CHECK(h.find("one conv") != std::string::npos);
  // A block call inside a block of the document: the layers of each time it ran.
  h = hoverText(a, at(text, "conv_bn_act(x, c)"));
  CHECK(h.find("**conv_bn_act** (block) → `f32[1,8,16,16]`") != std::string::npos);
  CHECK(h.find("1 layer in 1 call (`one.conv_bn_act`)") != std::string::npos);
  CHECK(hoverText(a, at(text, "return y")).empty());
}

TEST_CASE("lsp analysis: an error in an imported block is shown at the document's call") {
  std::string text = kNet;
  text.replace(text.find("one(x)"), 6, "one(x, 0)");
  Analysis a = analyzeText(text);
  REQUIRE(a.diagnostics.size() == 1);
  const DiagnosticInfo &d = a.diagnostics[0];
  CHECK(d.severity == 1);
  CHECK(d.range.start == positionAt(text, at(text, "one(x, 0)")));
  CHECK(d.message.find("blocks.net:") != std::string::npos);
  CHECK(d.message.find("output channels must be positive, got 0") != std::string::npos);
  REQUIRE(d.related.size() >= 3); // the error, then each call from the innermost out
  CHECK(llvm::StringRef(d.related[0].first.path).endswith("stdlib/blocks.net"));
  CHECK(d.related.back().second == "in block 'one' called here");
}

TEST_CASE("lsp completion: keyword arguments of the open call first, then blocks and ops") {
  std::string text = kNet;
  Analysis a = analyzeText(text);
  std::string typing = text;
  typing.insert(at(typing, "(x)\n  y") + 1, "x, ");
  llvm::json::Value v = completion(a, typing, at(typing, "one(x, ") + 7);
  const llvm::json::Array &items = *v.getAsObject()->getArray("items");
  std::vector<std::string> labels;
  for (const llvm::json::Value &i : items)
    labels.push_back(i.getAsObject()->getString("label")->str());
  REQUIRE(labels.size() > 50);
  CHECK(labels[0] == "x=");
  CHECK(labels[1] == "c=");
  auto has = [&](const std::string &l) {
    return std::find(labels.begin(), labels.end(), l) != labels.end();
  };
  CHECK(has("conv_bn_act")); // a block of an import
  CHECK(has("one"));
  CHECK(has("conv2d"));
  CHECK(has("make_divisible")); // a builtin
  for (const llvm::json::Value &i : items)
    if (i.getAsObject()->getString("label") == llvm::StringRef("conv2d")) {
      std::string doc = i.getAsObject()->getObject("documentation")->getString("value")->str();
      CHECK(doc.find("```netc\nconv2d(x, ") != std::string::npos);
      CHECK(doc.find("cost: ") != std::string::npos);
    }
  // In a pipe, after `|> conv2d(`: conv2d's own keyword arguments.
  std::string piped = "network n() { x = input([1, 3, 8, 8]) |> conv2d(";
  v = completion(a, piped, piped.size());
  CHECK(v.getAsObject()->getArray("items")->front().getAsObject()->getString("label") ==
        llvm::StringRef("x="));
}

TEST_CASE("lsp definition and symbols") {
  std::string text = kNet;
  Analysis a = analyzeText(text);
  // A block of an import: its file and name.
  llvm::json::Value v = definition(a, at(text, "conv_bn_act(x, c)"));
  REQUIRE(v.getAsObject());
  CHECK(v.getAsObject()->getString("uri")->endswith("stdlib/blocks.net"));
  // A name read after `x = one(x)`: that assignment, not the one on its own line.
  v = definition(a, at(text, "x |>"));
  CHECK(*v.getAsObject()->getObject("range")->getObject("start")->getInteger("line") == 5);
  v = definition(a, at(text, "(x)\n  y") + 1);
  CHECK(*v.getAsObject()->getObject("range")->getObject("start")->getInteger("line") == 4);
  // The import's string: the file.
  v = definition(a, at(text, "std/blocks"));
  CHECK(v.getAsObject()->getString("uri")->endswith("stdlib/blocks.net"));
  llvm::json::Value symbols = documentSymbols(a);
  const llvm::json::Array &syms = *symbols.getAsArray();
  REQUIRE(syms.size() == 2);
  CHECK(syms[0].getAsObject()->getString("name") == llvm::StringRef("one"));
  CHECK(*syms[0].getAsObject()->getInteger("kind") == 12);
  CHECK(syms[1].getAsObject()->getString("name") == llvm::StringRef("n"));
  CHECK(*syms[1].getAsObject()->getObject("range")->getObject("end")->getInteger("line") == 8);
}
