#include "syntax/ModuleLoader.h"

#include <fmt/format.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringMap.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>

#include <cstdlib>

namespace netc {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

std::string stdlibDirectory(const LoadOptions &opts) {
  if (!opts.stdlibDir.empty())
    return opts.stdlibDir;
  if (const char *env = std::getenv("NETC_STDLIB"); env && *env)
    return env;
  // An installed netc (cmake --install) finds its stdlib relative to its
  // binary, wherever the prefix was moved: PREFIX/bin/netc and
  // PREFIX/share/netc/stdlib.
  static const std::string installed = [] {
    std::string exe = llvm::sys::fs::getMainExecutable(nullptr, nullptr);
    if (exe.empty())
      return std::string();
    llvm::SmallString<256> dir(llvm::sys::path::parent_path(llvm::sys::path::parent_path(exe)));
    llvm::sys::path::append(dir, "share", "netc", "stdlib");
    llvm::SmallString<256> marker(dir);
    llvm::sys::path::append(marker, "blocks.net");
    return llvm::sys::fs::exists(marker) ? std::string(dir) : std::string();
  }();
  if (!installed.empty())
    return installed;
  return NETC_STDLIB_DIR; // the source tree's stdlib/, for a build that is not installed
}

namespace {

struct Resolved {
  std::string real;    ///< path to open
  std::string display; ///< name diagnostics print
};

std::string joinClean(llvm::StringRef dir, llvm::StringRef rel) {
  llvm::SmallString<256> p(dir);
  path::append(p, rel);
  path::remove_dots(p, /*remove_dot_dot=*/true);
  return std::string(p.str());
}

class Loader {
public:
  Loader(DiagEngine &diag, const LoadOptions &opts)
      : diag(diag), opts(opts), stdlib(stdlibDirectory(opts)) {}

  std::optional<Program> run(unsigned mainId) {
    if (!mainId)
      return std::nullopt;
    auto mainModule = parseBuffer(diag, mainId, opts.parse);
    if (!mainModule)
      return std::nullopt;
    std::string mainReal = realPath(diag.sourceMgr().getMemoryBuffer(mainId)->getBufferIdentifier());
    visit(std::move(mainModule), mainReal);
    if (diag.hasErrors())
      return std::nullopt;
    return std::move(program);
  }

private:
  struct Frame {
    std::unique_ptr<ast::Module> module;
    std::string real;
    size_t nextDecl = 0;
  };

  static std::string realPath(llvm::StringRef p) {
    llvm::SmallString<256> out;
    if (fs::real_path(p, out))
      return p.str();
    return std::string(out.str());
  }

  /// Iterative depth-first walk: no recursion however deep the imports go.
  void visit(std::unique_ptr<ast::Module> root, const std::string &rootReal) {
    std::vector<Frame> stack;
    state[rootReal] = InProgress;
    stack.push_back({std::move(root), rootReal, 0});
    while (!stack.empty() && !diag.limitReached()) {
      Frame &top = stack.back();
      if (top.nextDecl == top.module->decls.size()) {
        state[top.real] = Done;
        program.modules.push_back(std::move(top.module));
        stack.pop_back();
        continue;
      }
      const ast::Decl &d = *top.module->decls[top.nextDecl++];
      if (d.kind != ast::DeclKind::Import)
        continue;
      std::optional<Resolved> r = resolve(d, *top.module);
      if (!r)
        continue;
      std::string real = realPath(r->real);
      auto it = state.find(real);
      if (it != state.end() && it->second == Done)
        continue;
      if (it != state.end() && it->second == InProgress) {
        reportCycle(d, stack, real);
        continue;
      }
      if (stack.size() >= opts.maxImportDepth) {
        diag.error(d.loc, fmt::format("imports nested more than {} deep", opts.maxImportDepth));
        continue;
      }
      unsigned id = loadSourceFile(diag, r->real, r->display, d.loc, opts.limits);
      if (!id)
        continue;
      auto m = parseBuffer(diag, id, opts.parse);
      state[real] = InProgress;
      if (!m) {
        state[real] = Done;
        continue;
      }
      stack.push_back({std::move(m), real, 0});
    }
  }

  void reportCycle(const ast::Decl &d, const std::vector<Frame> &stack, const std::string &real) {
    std::string chain;
    bool in = false;
    for (const Frame &f : stack) {
      in = in || f.real == real;
      if (in)
        chain += f.module->path + " -> ";
    }
    for (const Frame &f : stack)
      if (f.real == real) {
        chain += f.module->path;
        break;
      }
    diag.error(d.loc, fmt::format("import cycle: {}", chain));
  }

  /// The path names something: a file, or a link even when it leads
  /// nowhere or in a loop (then loading it says so, rather than "cannot
  /// find").
  static bool present(const llvm::Twine &p) {
    fs::file_status st;
    return !fs::status(p, st, /*follow=*/false) && fs::exists(st);
  }

  std::optional<Resolved> resolve(const ast::Decl &d, const ast::Module &from) {
    llvm::StringRef p = d.name;
    if (p.empty()) {
      diag.error(d.loc, "empty import path");
      return std::nullopt;
    }
    std::vector<std::string> tried;
    if (p.startswith("std/")) {
      std::string real = joinClean(stdlib, p.drop_front(4));
      if (present(real))
        return Resolved{real, p.str()};
      diag.error(d.loc, fmt::format("cannot find '{}': the standard library has no '{}'",
                                    p.str(), p.drop_front(4).str()));
      return std::nullopt;
    } else if (path::is_absolute(p)) {
      if (present(p))
        return Resolved{p.str(), p.str()};
    } else {
      llvm::StringRef dirDisplay = path::parent_path(from.path);
      llvm::StringRef dirReal =
          path::parent_path(diag.sourceMgr().getMemoryBuffer(from.fileId)->getBufferIdentifier());
      std::string real = joinClean(dirReal, p);
      if (present(real))
        return Resolved{real, joinClean(dirDisplay, p)};
      tried.push_back(dirDisplay.empty() ? "." : dirDisplay.str());
      for (const std::string &inc : opts.includeDirs) {
        std::string cand = joinClean(inc, p);
        if (present(cand))
          return Resolved{cand, cand};
        tried.push_back(inc);
      }
    }
    std::string where;
    for (size_t i = 0; i < tried.size(); ++i)
      where += (i ? ", " : "") + tried[i];
    diag.error(d.loc, tried.empty()
                          ? fmt::format("cannot find imported file '{}'", p.str())
                          : fmt::format("cannot find imported file '{}' (looked in {})", p.str(),
                                        where));
    return std::nullopt;
  }

  enum VisitState { InProgress, Done };
  DiagEngine &diag;
  const LoadOptions &opts;
  std::string stdlib;
  llvm::StringMap<VisitState> state;
  Program program;
};

} // namespace

std::optional<Program> loadProgram(DiagEngine &diag, llvm::StringRef file,
                                   const LoadOptions &opts) {
  unsigned id = loadSourceFile(diag, file, file, {}, opts.limits);
  return Loader(diag, opts).run(id);
}

std::optional<Program> loadProgramFromText(DiagEngine &diag, llvm::StringRef text,
                                           llvm::StringRef name, const LoadOptions &opts) {
  unsigned id = loadSourceText(diag, text, name, opts.limits);
  return Loader(diag, opts).run(id);
}

} // namespace netc
