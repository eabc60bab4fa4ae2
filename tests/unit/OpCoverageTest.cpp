// Every op of the op table is where it must be: in the every_op network (so
// in the graph and report goldens), in the fuzz dictionary, in the eval tests
// and in a network the emit tests compile and check; and the README's table
// of FLOPs per op is the op table's own. Adding an op without these fails here.
#include "TestUtil.h"

#include "ir/Graph.h"
#include "ir/OpTable.h"
#include "sema/Elaborator.h"
#include "support/Diagnostics.h"
#include "syntax/ModuleLoader.h"

#include <doctest/doctest.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace netc;

namespace {

using netc::test::testPath;

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot read " << path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The ops of the network of `path` as elaborated (operators such as `+`
/// included), before any pass.
std::set<std::string> opsOf(const std::string &path, ElabOptions opts = {}) {
  llvm::SourceMgr sm;
  DiagEngine diag(sm);
  std::optional<Program> program = loadProgram(diag, path);
  std::optional<ir::Graph> g;
  if (program)
    g = elaborate(*program, diag, opts);
  std::string errors;
  llvm::raw_string_ostream os(errors);
  diag.print(os);
  REQUIRE_MESSAGE(g, path << ": " << os.str());
  std::set<std::string> ops;
  for (const ir::Node &n : g->nodes)
    ops.insert(n.op->name);
  return ops;
}

/// The ops of the table missing from `have`, for a readable failure.
std::vector<std::string> missing(const std::set<std::string> &have, bool skipViews = false) {
  std::vector<std::string> out;
  for (const ir::OpDef *op : ir::OpTable::get().all())
    if (!have.count(op->name) && !(skipViews && op->view))
      out.push_back(op->name);
  return out;
}

std::string joined(const std::vector<std::string> &v) {
  std::string s;
  for (const std::string &x : v)
    s += (s.empty() ? "" : ", ") + x;
  return s;
}

} // namespace

// graph/every_op.net is also the input of the report goldens
// (report/every_op_*.net import it), so this covers those too.
TEST_CASE("ops: every op is in tests/golden/graph/every_op.net") {
  std::vector<std::string> m = missing(opsOf(testPath({"golden", "graph", "every_op.net"})));
  CHECK_MESSAGE(m.empty(), "not in every_op.net: " << joined(m));
  for (const char *format : {"table", "json", "csv", "md"}) {
    const std::string report = "every_op_" + std::string(format) + ".net";
    CHECK_MESSAGE(readFile(testPath({"golden", "report", report})).find(
                      "import \"../graph/every_op.net\"") != std::string::npos,
                  report << " no longer reports graph/every_op.net");
  }
}

TEST_CASE("ops: every op is in the fuzz dictionary tests/fuzz/netc.dict") {
  const std::string dict = readFile(testPath({"fuzz", "netc.dict"}));
  std::set<std::string> have;
  for (const ir::OpDef *op : ir::OpTable::get().all())
    if (dict.find("op_" + op->name + "=\"" + op->name + "(\"\n") != std::string::npos)
      have.insert(op->name);
  std::vector<std::string> m = missing(have);
  CHECK_MESSAGE(m.empty(), "no line op_NAME=\"NAME(\" in netc.dict for: " << joined(m));
}

// The rule: every op but the graph input (whose eval rule does nothing; the
// evaluator's tests feed it) is called as run("name", ...) in EvalTest.cpp,
// each such test comparing with PyTorch's numbers.
TEST_CASE("ops: every op has an eval test in tests/unit/EvalTest.cpp") {
  const std::string tests = readFile(testPath({"unit", "EvalTest.cpp"}));
  std::set<std::string> have;
  for (const ir::OpDef *op : ir::OpTable::get().all())
    if (op->isInput || tests.find("run(\"" + op->name + "\"") != std::string::npos)
      have.insert(op->name);
  std::vector<std::string> m = missing(have);
  CHECK_MESSAGE(m.empty(), "no run(\"NAME\", ...) in EvalTest.cpp for: " << joined(m));
}

// The rule: every op that is not a view is a node of the elaborated graph of
// a network the emit tests (tests/CMakeLists.txt) compile and self-check:
// tests/kernels/*.net, tests/emit/small.net, and the zoo networks of
// NETC_EMIT_ZOO at -D res=64. There its kernel (or scalar rule, fused or not;
// a batchnorm may be folded) is built and checked against the evaluator.
TEST_CASE("ops: every op that is not a view is compiled and checked by an emit test") {
  std::set<std::string> have;
  std::error_code ec;
  const std::string kernels = testPath({"kernels"});
  std::vector<std::string> files;
  for (llvm::sys::fs::directory_iterator it(kernels, ec), end; it != end && !ec;
       it.increment(ec))
    if (llvm::StringRef(it->path()).endswith(".net"))
      files.push_back(it->path());
  REQUIRE(!ec);
  REQUIRE(!files.empty());
  files.push_back(testPath({"emit", "small.net"}));
  for (const std::string &f : files)
    for (const std::string &op : opsOf(f))
      have.insert(op);
  llvm::SmallVector<llvm::StringRef, 8> zoo;
  llvm::StringRef(NETC_EMIT_ZOO).split(zoo, ' ', -1, false);
  REQUIRE(!zoo.empty());
  ElabOptions res64;
  res64.overrides = {{"res", "64"}};
  for (llvm::StringRef net : zoo)
    for (const std::string &op : opsOf(testPath({"..", "examples", net.str() + ".net"}), res64))
      have.insert(op);
  // Ops that take token ids (embedding) are the exception: their input is
  // i64 and the emitter supports f32 tensors only (a test below checks it
  // says so); their kernel rule is not compiled yet.
  for (const ir::OpDef *op : ir::OpTable::get().all())
    if (op->takesIndices)
      have.insert(op->name);
  std::vector<std::string> m = missing(have, /*skipViews=*/true);
  CHECK_MESSAGE(m.empty(), "in no network of the emit tests: " << joined(m));
}

// The README's table sits between two marker comments. To regenerate it:
// scripts/update-readme-ops.sh (runs this test with NETC_UPDATE_README=1).
TEST_CASE("ops: README.md's table of FLOPs per op is the op table's") {
  const std::string path = testPath({"..", "README.md"});
  const std::string readme = readFile(path);
  const std::string begin = "<!-- op-table begin: generated from the op table by "
                            "scripts/update-readme-ops.sh -->\n",
                    end = "<!-- op-table end -->\n";
  const size_t b = readme.find(begin), e = readme.find(end);
  REQUIRE_MESSAGE(b != std::string::npos, "README.md has no line " << begin);
  REQUIRE_MESSAGE(e != std::string::npos, "README.md has no line " << end);
  REQUIRE(b < e);
  const size_t from = b + begin.size();
  const std::string want = ir::opTableMarkdown(ir::OpTable::get());
  if (std::getenv("NETC_UPDATE_README")) {
    std::ofstream out(path, std::ios::binary);
    out << readme.substr(0, from) << want << readme.substr(e);
    REQUIRE(out);
    return;
  }
  CHECK_MESSAGE(readme.substr(from, e - from) == want,
                "README.md's op table is stale: run scripts/update-readme-ops.sh");
}
