#include "syntax/ModuleLoader.h"

#include <doctest/doctest.h>

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

using namespace netc;

namespace {

/// A scratch directory of .net files, removed afterwards.
struct TempTree {
  llvm::SmallString<128> dir;
  TempTree() { REQUIRE_FALSE(static_cast<bool>(llvm::sys::fs::createUniqueDirectory("netc-imports", dir))); }
  ~TempTree() { llvm::sys::fs::remove_directories(dir); }
  std::string write(const std::string &name, const std::string &text) {
    llvm::SmallString<128> p(dir);
    llvm::sys::path::append(p, name);
    llvm::sys::fs::create_directories(llvm::sys::path::parent_path(p));
    std::error_code ec;
    llvm::raw_fd_ostream os(p, ec);
    os << text;
    return std::string(p.str());
  }
};

std::string printed(const DiagEngine &d) {
  std::string s;
  llvm::raw_string_ostream os(s);
  d.print(os);
  return os.str();
}

} // namespace

TEST_CASE("imports: dependencies come before their importers, each once") {
  TempTree t;
  t.write("lib/a.net", "block a(x) { return x }\n");
  t.write("lib/b.net", "import \"a.net\"\nblock b(x) { return a(x) }\n");
  std::string main = t.write("main.net", "import \"lib/b.net\"\nimport \"lib/a.net\"\n"
                                         "network n() { return b(1) }\n");
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  auto prog = loadProgram(diag, main);
  REQUIRE_MESSAGE(prog, printed(diag));
  REQUIRE(prog->modules.size() == 3);
  CHECK(llvm::StringRef(prog->modules[0]->path).endswith("lib/a.net"));
  CHECK(llvm::StringRef(prog->modules[1]->path).endswith("lib/b.net"));
  CHECK(prog->main().path == main);
}

TEST_CASE("imports: a cycle is an error at the import that closes it") {
  TempTree t;
  t.write("a.net", "import \"b.net\"\n");
  t.write("b.net", "import \"c.net\"\n");
  t.write("c.net", "import \"a.net\"\n");
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  CHECK_FALSE(loadProgram(diag, std::string(t.dir) + "/a.net"));
  std::string e = printed(diag);
  CHECK(e.find("c.net:1:8: error: import cycle: ") != std::string::npos);
  CHECK(e.find("a.net -> ") != std::string::npos);
}

TEST_CASE("imports: a file importing itself is a cycle") {
  TempTree t;
  std::string self = t.write("self.net", "import \"self.net\"\n");
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  CHECK_FALSE(loadProgram(diag, self));
  CHECK(printed(diag).find("error: import cycle") != std::string::npos);
}

TEST_CASE("imports: unknown files, -I directories and the stdlib") {
  TempTree t;
  t.write("inc/x.net", "block x(v) { return v }\n");
  t.write("std/s.net", "block s(v) { return v }\n");
  std::string main = t.write("m.net", "import \"x.net\"\nimport \"std/s.net\"\n");
  {
    llvm::SourceMgr sm;
    DiagEngine diag(sm);
    LoadOptions opts;
    opts.stdlibDir = std::string(t.dir) + "/nowhere";
    CHECK_FALSE(loadProgram(diag, main, opts));
    std::string e = printed(diag);
    CHECK(e.find("m.net:1:8: error: cannot find imported file 'x.net'") != std::string::npos);
    CHECK(e.find("m.net:2:8: error: cannot find 'std/s.net': the standard library has no "
                 "'s.net'") != std::string::npos);
  }
  {
    llvm::SourceMgr sm;
    DiagEngine diag(sm);
    LoadOptions opts;
    opts.includeDirs.push_back(std::string(t.dir) + "/inc");
    opts.stdlibDir = std::string(t.dir) + "/std";
    auto prog = loadProgram(diag, main, opts);
    REQUIRE_MESSAGE(prog, printed(diag));
    CHECK(prog->modules.size() == 3);
    CHECK(prog->modules[1]->path == "std/s.net"); // stdlib files keep their import name
  }
}

TEST_CASE("imports: errors inside an imported file are reported in that file") {
  TempTree t;
  t.write("bad.net", "block b( { }\n");
  std::string main = t.write("m.net", "import \"bad.net\"\n");
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  CHECK_FALSE(loadProgram(diag, main));
  CHECK(printed(diag).find("bad.net:2:1: error: expected ')' to close '(' at 1:8") != std::string::npos);
}

TEST_CASE("imports: importing a directory is a located error") {
  TempTree t;
  t.write("d/x.net", "block x(v) { return v }\n");
  std::string main = t.write("m.net", "import \"d\"\n");
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  CHECK_FALSE(loadProgram(diag, main));
  CHECK(printed(diag).find("m.net:1:8: error: ") != std::string::npos);
  CHECK(printed(diag).find("is a directory") != std::string::npos);
}
