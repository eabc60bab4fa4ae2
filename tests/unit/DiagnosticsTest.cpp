#include "support/Diagnostics.h"
#include "support/SourceLoader.h"
#include "support/Suggest.h"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

using namespace netc;

namespace {
std::string printed(const DiagEngine &d) {
  std::string s;
  llvm::raw_string_ostream os(s);
  d.print(os);
  return os.str();
}
} // namespace

TEST_CASE("diagnostics: located error prints file:line:col, the line and a caret") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  unsigned id = loadSourceText(diag, "abc\n  x = y\n", "f.net");
  REQUIRE(id != 0);
  SourceLoc loc = diag.locate(id, 10); // the 'y' (line 2, column 7)
  CHECK(loc.line == 2);
  CHECK(loc.col == 7);
  diag.error(loc, "unknown name 'y'");
  CHECK(diag.hasErrors());
  CHECK(diag.errorCount() == 1);
  CHECK(printed(diag) == "f.net:2:7: error: unknown name 'y'\n  x = y\n      ^\n");
}

TEST_CASE("diagnostics: notes follow their error, in order") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  unsigned id = loadSourceText(diag, "a\nb\n", "f.net");
  Diagnostic &d = diag.error(diag.locate(id, 2), "bad");
  DiagEngine::addNote(d, diag.locate(id, 0), "in call from here");
  CHECK(printed(diag) == "f.net:2:1: error: bad\nb\n^\n"
                         "f.net:1:1: note: in call from here\na\n^\n");
}

TEST_CASE("diagnostics: file-level and global errors have no line") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  diag.fileError("missing.net", "cannot open 'missing.net': no such file or directory");
  diag.globalError("no input file");
  CHECK(printed(diag) == "missing.net: error: cannot open 'missing.net': no such file or "
                         "directory\nnetc: error: no input file\n");
}

TEST_CASE("diagnostics: the error limit stops collection with one message") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm, 3);
  for (int i = 0; i < 10; ++i)
    diag.globalError("e" + std::to_string(i));
  CHECK(diag.errorCount() == 3);
  CHECK(diag.limitReached());
  const auto &all = diag.diagnostics();
  REQUIRE(all.size() == 4);
  CHECK(all[2].message == "e2");
  CHECK(all[3].message == "too many errors emitted (limit 3), stopping now");
}

TEST_CASE("diagnostics: a zero limit means no limit") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm, 0);
  for (int i = 0; i < 100; ++i)
    diag.globalError("e");
  CHECK(diag.errorCount() == 100);
  CHECK_FALSE(diag.limitReached());
}

TEST_CASE("diagnostics: warnings do not count as errors") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  unsigned id = loadSourceText(diag, "x\n", "f.net");
  diag.warning(diag.locate(id, 0), "careful");
  CHECK_FALSE(diag.hasErrors());
  CHECK(printed(diag) == "f.net:1:1: warning: careful\nx\n^\n");
}

TEST_CASE("diagnostics: a note on its own is kept in order, or given to the note sink") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  unsigned id = loadSourceText(diag, "x\ny\n", "f.net");
  diag.note(diag.locate(id, 0), "print: 1", /*showSource=*/false);
  diag.warning(diag.locate(id, 2), "careful");
  diag.note(diag.locate(id, 2), "with source");
  CHECK_FALSE(diag.hasErrors());
  CHECK(printed(diag) == "f.net:1:1: note: print: 1\n"
                         "f.net:2:1: warning: careful\ny\n^\n"
                         "f.net:2:1: note: with source\ny\n^\n");
  std::vector<std::string> sunk;
  diag.setNoteSink([&](const Diagnostic &d) { sunk.push_back(diag.format(d)); });
  diag.note(diag.locate(id, 2), "print: 2", /*showSource=*/false);
  CHECK(sunk == std::vector<std::string>{"f.net:2:1: note: print: 2\n"});
  CHECK(diag.diagnostics().size() == 3); // not kept
  diag.setNoteSink(nullptr);
  diag.note(diag.locate(id, 0), "kept again");
  CHECK(diag.diagnostics().size() == 4);
}

TEST_CASE("diagnostics: tabs are expanded so the caret lines up") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  unsigned id = loadSourceText(diag, "\tab c\n", "f.net");
  diag.error(diag.locate(id, 4), "here"); // the 'c'
  CHECK(printed(diag) == "f.net:1:5: error: here\n        ab c\n           ^\n");
}

TEST_CASE("diagnostics: the caret counts display columns after UTF-8 text") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  unsigned id = loadSourceText(diag, "\"\xc3\xa9\" @\n", "f.net"); // "é" @
  diag.error(diag.locate(id, 5), "here");
  CHECK(printed(diag) == "f.net:1:6: error: here\n\"\xc3\xa9\" @\n    ^\n");
}

TEST_CASE("diagnostics: a very long line is windowed around the caret") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  std::string line(1000, 'a');
  line[600] = 'X';
  unsigned id = loadSourceText(diag, line + "\n", "f.net");
  diag.error(diag.locate(id, 600), "here");
  std::string out = printed(diag);
  CHECK(out.rfind("f.net:1:601: error: here\n...", 0) == 0);
  // The caret sits under the X, whatever the window.
  size_t nl1 = out.find('\n');
  size_t nl2 = out.find('\n', nl1 + 1);
  std::string shown = out.substr(nl1 + 1, nl2 - nl1 - 1);
  std::string caretLine = out.substr(nl2 + 1);
  size_t caret = caretLine.find('^');
  REQUIRE(caret < shown.size());
  CHECK(shown[caret] == 'X');
  CHECK(shown.size() < 120);
}

TEST_CASE("diagnostics: showSource=false prints only the located line") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  unsigned id = loadSourceText(diag, "abc\n", "f.net");
  Diagnostic &d = diag.error(diag.locate(id, 1), "no snippet");
  d.showSource = false;
  CHECK(printed(diag) == "f.net:1:2: error: no snippet\n");
}

// ---- "did you mean" (support/Suggest.h) ---------------------------------------

TEST_CASE("suggest: the nearest name, within reach, without guessing") {
  const std::vector<std::string> ops = {"elu", "gelu", "relu", "relu6", "conv2d"};
  CHECK(netc::closestName("rleu", ops) == std::optional<std::string>("relu")); // not 'elu'
  CHECK(netc::closestName("conv2", ops) == std::optional<std::string>("conv2d"));
  CHECK(!netc::closestName("softmax", ops)); // nothing near
  CHECK(!netc::closestName("-x", std::vector<std::string>{"-o"}, 2, "-")); // half the word
  CHECK(!netc::closestName("ab", std::vector<std::string>{"ac", "ad"}));   // a tie: no guess
  CHECK(netc::didYouMean("strid", std::vector<std::string>{"stride", "k"}) ==
        "; did you mean 'stride'?");
  CHECK(netc::didYouMean("zzz", std::vector<std::string>{"stride"}) == "");
}
