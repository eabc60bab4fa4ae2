//===- Fmt.cpp - netc fmt: format .net files in place ---------------------===//
//
// Each FILE is parsed and formatted (syntax/Formatter.h); a file that does
// not parse is reported and left alone, and the others are still done. A
// file whose text changes is replaced whole through a temporary file beside
// it (support/FileOutput.h), keeping its permissions; a file already
// formatted is not written. `-` reads standard input and writes the result
// to standard output; --stdout does that for files; --check writes nothing
// but a diff of each file that is not formatted.
//
//===----------------------------------------------------------------------===//
#include "tools/Fmt.h"

#include "support/Diagnostics.h"
#include "support/FileOutput.h"
#include "support/LineDiff.h"
#include "support/SourceLoader.h"
#include "syntax/Formatter.h"

#include <fmt/format.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace netc {

namespace {

constexpr const char *kUsage = "usage: netc fmt [--check] [--stdout] [--width N] FILE.net...|-\n";
constexpr const char *kHelp =
    "\nRewrites each FILE in netc's one canonical style: two-space indentation, one\n"
    "statement a line, spaces around binary operators, long lists wrapped at the width,\n"
    "long pipe chains broken before each |>, comments kept where they are.\n"
    "A file that does not parse is reported and left as it was.\n\n"
    "options:\n"
    "  --check      write nothing; print a diff for each file that is not formatted and\n"
    "               exit 1 if there is one\n"
    "  --stdout     print the formatted text instead of rewriting the files\n"
    "  --width N    wrap lines at N columns (default 100)\n"
    "  -            format standard input to standard output\n"
    "  -h, --help   show this help\n\n"
    "exit status: 0 done, 1 a file did not parse or could not be written, or (--check)\n"
    "is not formatted, 2 a usage error\n";

struct FmtOptions {
  bool check = false;
  bool toStdout = false;
  syntax::FormatOptions format;
  std::vector<std::string> files;
};

std::optional<int> parseArgs(int argc, char **argv, FmtOptions &o, std::string &message) {
  auto usageError = [&](const std::string &m) {
    message = "netc fmt: error: " + m + "\n" + kUsage;
    return 2;
  };
  bool onlyFiles = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (onlyFiles || a == "-" || a.empty() || a[0] != '-') {
      o.files.push_back(a);
    } else if (a == "--") {
      onlyFiles = true;
    } else if (a == "-h" || a == "--help") {
      message = std::string(kUsage) + kHelp;
      return 0;
    } else if (a == "--check") {
      o.check = true;
    } else if (a == "--stdout") {
      o.toStdout = true;
    } else if (a == "--width" || a.rfind("--width=", 0) == 0) {
      std::string v;
      if (a != "--width")
        v = a.substr(8);
      else if (i + 1 < argc)
        v = argv[++i];
      unsigned long long w = 0;
      if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos ||
          (w = std::stoull(v)) < 20 || w > 10000)
        return usageError("--width needs a number of columns from 20 to 10000");
      o.format.width = static_cast<unsigned>(w);
    } else {
      return usageError(fmt::format("unknown argument '{}'", a));
    }
  }
  if (o.files.empty())
    return usageError("no input files (use - for standard input)");
  if (std::count(o.files.begin(), o.files.end(), "-") > 1)
    return usageError("standard input (-) can be read only once");
  if (o.check && o.toStdout)
    return usageError("--check and --stdout exclude each other");
  return std::nullopt;
}

/// Loads `path` (standard input for "-") into `diag`'s SourceMgr; 0 after an
/// error.
unsigned load(DiagEngine &diag, const std::string &path) {
  if (path != "-")
    return loadSourceFile(diag, path, path);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> in = llvm::MemoryBuffer::getSTDIN();
  if (!in) {
    diag.fileError("<stdin>", "cannot read standard input: " + in.getError().message());
    return 0;
  }
  return loadSourceText(diag, (*in)->getBuffer(), "<stdin>");
}

/// Replaces `file` with `text`, keeping its permissions (through a symbolic
/// link: the file it names).
bool rewrite(const std::string &file, llvm::StringRef text) {
  llvm::SmallString<256> real;
  std::string path = llvm::sys::fs::real_path(file, real) ? file : std::string(real.str());
  llvm::ErrorOr<llvm::sys::fs::perms> perms = llvm::sys::fs::getPermissions(path);
  WritePolicy policy;
  policy.force = true; // the file is a .net source, not an output of netc
  policy.tool = "netc fmt";
  if (!writeOutput(path, text, policy))
    return false;
  if (perms)
    (void)llvm::sys::fs::setPermissions(path, *perms);
  return true;
}

} // namespace

int fmtMain(int argc, char **argv) {
  FmtOptions opts;
  std::string message;
  if (std::optional<int> rc = parseArgs(argc, argv, opts, message)) {
    (*rc ? llvm::errs() : llvm::outs()) << message;
    return flushStdout("netc fmt") ? *rc : 1;
  }
  int rc = 0;
  for (const std::string &file : opts.files) {
    llvm::SourceMgr sm;
    DiagEngine diag(sm);
    unsigned id = load(diag, file);
    std::optional<std::string> out;
    if (id)
      out = syntax::formatBuffer(diag, id, opts.format);
    diag.print(llvm::errs());
    if (!out) {
      rc = 1;
      continue;
    }
    llvm::StringRef original = sm.getMemoryBuffer(id)->getBuffer();
    std::string name = file == "-" ? "<stdin>" : file;
    if (opts.check) {
      if (*out != original) {
        llvm::outs() << unifiedDiff(original, *out, "a/" + name, "b/" + name);
        rc = 1;
      }
    } else if (file == "-" || opts.toStdout) {
      llvm::outs() << *out;
    } else if (*out != original && !rewrite(file, *out)) {
      rc = 1;
    }
  }
  return flushStdout("netc fmt") ? rc : 1;
}

} // namespace netc
