// Small helpers shared by the unit tests.
#ifndef NETC_TESTS_TESTUTIL_H
#define NETC_TESTS_TESTUTIL_H

#include "support/Diagnostics.h"
#include "support/SourceLoader.h"
#include "syntax/AST.h"
#include "syntax/ASTPrinter.h"
#include "sema/Elaborator.h"
#include "sema/Hardware.h"
#include "syntax/ModuleLoader.h"
#include "syntax/Parser.h"

#include <doctest/doctest.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace netc::test {

#ifdef NETC_TEST_DIR
/// A path under tests/ (NETC_TEST_DIR), or the repository root with "..".
inline std::string testPath(std::initializer_list<llvm::StringRef> parts) {
  llvm::SmallString<256> p(NETC_TEST_DIR);
  for (llvm::StringRef part : parts)
    llvm::sys::path::append(p, part);
  return std::string(p.str());
}

/// Every .net file under the repository's `dirs` (e.g. "examples", "tests"),
/// sorted: the tests that run something over all of them.
inline std::vector<std::string> repoNetFiles(std::initializer_list<const char *> dirs) {
  std::vector<std::string> files;
  for (const char *dir : dirs) {
    std::error_code ec;
    for (llvm::sys::fs::recursive_directory_iterator it(testPath({"..", dir}), ec), end;
         it != end && !ec; it.increment(ec))
      if (llvm::sys::path::extension(it->path()) == ".net")
        files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}
#endif

/// Parses `text` as a file named "t.net"; keeps the SourceMgr alive.
struct Parsed {
  llvm::SourceMgr sm;
  DiagEngine diag{sm};
  std::unique_ptr<ast::Module> module;

  explicit Parsed(const std::string &text, ParseOptions opts = {}) {
    unsigned id = loadSourceText(diag, text, "t.net");
    if (id)
      module = parseBuffer(diag, id, opts);
  }
  std::string errors() const {
    std::string out;
    llvm::raw_string_ostream os(out);
    diag.print(os);
    return os.str();
  }
  std::string dump() const {
    std::string out;
    llvm::raw_string_ostream os(out);
    if (module)
      ast::printModule(os, *module);
    return os.str();
  }
};

/// Loads `text` as "t.net" (imports resolve against the current directory and
/// the stdlib) and elaborates its network; requires success unless
/// `mustSucceed` is false (tests of errors).
struct Elaborated {
  llvm::SourceMgr sm;
  DiagEngine diag{sm};
  std::optional<Program> program;
  std::optional<ir::Graph> graph;

  explicit Elaborated(const std::string &text, ElabOptions opts = {}, bool mustSucceed = true) {
    program = loadProgramFromText(diag, text, "t.net");
    if (program)
      graph = elaborate(*program, diag, opts);
    if (mustSucceed)
      REQUIRE_MESSAGE(graph, errors());
  }
  std::string errors() const {
    std::string s;
    llvm::raw_string_ostream os(s);
    diag.print(os);
    return os.str();
  }
};

/// Reads the last hardware declaration of `text` (loaded as "host.net");
/// `errors` gets the diagnostics as printed.
inline std::optional<target::HardwareProfile> readHardwareText(const std::string &text,
                                                               std::string &errors) {
  llvm::SourceMgr sm;
  DiagEngine diag{sm};
  std::optional<Program> program = loadProgramFromText(diag, text, "host.net");
  std::optional<target::HardwareProfile> hw;
  if (program)
    for (const ast::DeclPtr &d : program->main().decls)
      if (const auto *h = llvm::dyn_cast<ast::HardwareDecl>(d.get()))
        hw = sema::readHardware(*h, diag);
  llvm::raw_string_ostream os(errors);
  diag.print(os);
  return hw;
}

/// A small residual network: two conv + batchnorm + add + relu units, then
/// a classifier head (as written: 11 nodes, two batchnorms to fold).
inline const char *const kResidualNet = R"(
block unit(x) {
  y = conv2d(x, channels(x), k=3, padding=1, bias=false) |> batchnorm
  return relu(x + y)
}
network n(res: int = 8) {
  x = input([1, 4, res, res])
  x = unit(x)
  x = unit(x)
  return x |> global_avg_pool |> flatten
}
)";

/// The lines of `text`, without their '\n' (a last line without one too).
inline std::vector<std::string> lines(const std::string &text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos)
      end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

/// The language models of examples/ (bert_base, gpt2, llama2_7b, llama3_8b,
/// mixtral_8x7b) at a configuration small enough to evaluate, by file name
/// (std::nullopt for any other file): the same graph, with 2 layers of width 32
/// (4 heads; 2 KV heads, 4 experts where the model has them), a vocabulary of
/// 50, 8 new tokens and (decoders) 3 cached ones. At their published sizes they
/// cannot be evaluated in a test (Llama-2-7B's weights in doubles are 54 GB),
/// and `res` is no parameter of theirs: the tests that run every example at
/// -D res=64 use these overrides instead.
inline std::optional<std::vector<std::pair<std::string, std::string>>>
smallLanguageModel(llvm::StringRef file) {
  using Args = std::vector<std::pair<std::string, std::string>>;
  const Args common = {{"seq", "8"}, {"vocab", "50"}, {"layers", "2"}, {"d", "32"},
                       {"heads", "4"}};
  const llvm::StringRef name = llvm::sys::path::filename(file);
  auto with = [&](Args more) {
    Args a = common;
    a.insert(a.end(), more.begin(), more.end());
    return a;
  };
  if (name == "bert_base.net")
    return with({{"positions", "16"}, {"ff", "64"}});
  if (name == "gpt2.net")
    return with({{"positions", "16"}, {"past", "3"}});
  if (name == "llama2_7b.net")
    return with({{"hidden", "48"}, {"past", "3"}});
  if (name == "llama3_8b.net")
    return with({{"hidden", "48"}, {"kv_heads", "2"}, {"past", "3"}});
  if (name == "mixtral_8x7b.net")
    return with({{"hidden", "48"}, {"kv_heads", "2"}, {"experts", "4"}, {"past", "3"}});
  return std::nullopt;
}

/// The first statement of the body of the first block/network.
inline const ast::Stmt &firstStmt(const ast::Module &m) {
  return *llvm::cast<ast::FuncDecl>(*m.decls.front()).body.front();
}

/// The value assigned by the first statement (which must be `x = <expr>`).
inline const ast::Expr &firstValue(const ast::Module &m) {
  return *llvm::cast<ast::AssignStmt>(firstStmt(m)).value;
}

} // namespace netc::test

#endif
