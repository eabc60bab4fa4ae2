#include "support/SourceLoader.h"

#include <doctest/doctest.h>

#include <llvm/Support/FileSystem.h>

using namespace netc;

namespace {
std::string printed(const DiagEngine &d) {
  std::string s;
  llvm::raw_string_ostream os(s);
  d.print(os);
  return os.str();
}
} // namespace

TEST_CASE("source: UTF-8 validation finds the first bad byte") {
  CHECK_FALSE(findInvalidUTF8("plain ascii").has_value());
  CHECK_FALSE(findInvalidUTF8("caf\xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80").has_value());
  CHECK(findInvalidUTF8("ab\xff").value() == 2);
  CHECK(findInvalidUTF8("a\xc3").value() == 1);            // truncated sequence
  CHECK(findInvalidUTF8("\xc0\xaf").value() == 0);         // overlong '/'
  CHECK(findInvalidUTF8("x\xed\xa0\x80").value() == 1);    // a surrogate
  CHECK(findInvalidUTF8("\xf4\x90\x80\x80").value() == 0); // past U+10FFFF
}

TEST_CASE("source: binary text is refused with a located error") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  CHECK(loadSourceText(diag, llvm::StringRef("ab\ncd\0ef", 8), "b.net") == 0);
  CHECK(printed(diag) == "b.net:2:3: error: this is a binary file, not .net source (NUL byte)\n");
}

TEST_CASE("source: invalid UTF-8 is refused with a located error") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  CHECK(loadSourceText(diag, "ok\n  \xfe", "u.net") == 0);
  CHECK(printed(diag) ==
        "u.net:2:3: error: invalid UTF-8 (byte 0xfe); .net source must be UTF-8 text\n");
}

TEST_CASE("source: missing files, directories and size limits") {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  CHECK(loadSourceFile(diag, "/nonexistent/x.net", "x.net") == 0);
  CHECK(loadSourceFile(diag, NETC_TEST_DIR, "tests") == 0);
  SourceLimits tiny;
  tiny.maxFileBytes = 4;
  CHECK(loadSourceText(diag, "12345", "big.net", tiny) == 0);
  CHECK(printed(diag) == "x.net: error: cannot open 'x.net': no such file or directory\n"
                         "tests: error: 'tests' is a directory, not a .net file\n"
                         "big.net: error: input is too large (5 bytes; the limit is 4, raise it with "
                         "--max-file-size)\n");
}

TEST_CASE("source: a readable file loads under its display name") {
  llvm::SmallString<128> path;
  int fd;
  REQUIRE_FALSE(static_cast<bool>(llvm::sys::fs::createTemporaryFile("netc", "net", fd, path)));
  {
    llvm::raw_fd_ostream os(fd, true);
    os << "network n() { return 1 }\n";
  }
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  unsigned id = loadSourceFile(diag, path, "shown.net");
  llvm::sys::fs::remove(path);
  REQUIRE(id != 0);
  CHECK(sm.getMemoryBuffer(id)->getBufferIdentifier() == "shown.net");
  CHECK_FALSE(diag.hasErrors());
}
