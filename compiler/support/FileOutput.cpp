//===- FileOutput.cpp - outputs replaced whole or not at all -----------------===//
#include "support/FileOutput.h"

#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <fmt/format.h>

#include <cstdio>

namespace netc {

/// Writes `text` into the new file `path`; false after an error (reported).
static bool writeNewFile(const std::string &path, llvm::StringRef text) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (!ec) {
    os << text;
    os.close();
    if (os.has_error()) {
      ec = os.error();
      os.clear_error();
    }
  }
  if (ec)
    llvm::errs() << fmt::format("netc: error: cannot write '{}': {}\n", path, ec.message());
  return !ec;
}

/// True when `head` (the start of an existing file) is how a netc output
/// starts: a report or comparison in any format, an opt report, an AST or a
/// graph. Such a file may be replaced without --force.
static bool looksLikeNetcOutput(llvm::StringRef head) {
  const char *const starts[] = {
      "network ",         // --report table, --emit=graph, --emit=opt-graph
      "a ",               // --compare table
      "{\n  \"netc_",      // json reports and comparisons
      "name,op,block,",   // csv report
      "quantity,a,b,",    // csv comparison
      "variant,",         // csv sweep
      "# netc ",          // markdown report and comparison
      "optimization report: ",
      "Module \"",        // --emit=ast
  };
  for (const char *s : starts)
    if (head.startswith(s))
      return true;
  return false;
}

/// Writes `text` to `path` through a temporary file renamed into place, so an
/// existing output is replaced whole or not at all. An existing regular file
/// that netc did not write (see looksLikeNetcOutput) is replaced only with
/// `force`; a device or pipe (`-o /dev/null`) is written directly.
bool writeOutput(const std::string &path, llvm::StringRef text, bool force) {
  if (path.empty() || path == "-") {
    llvm::outs() << text;
    llvm::outs().flush();
    return true;
  }
  namespace fs = llvm::sys::fs;
  fs::file_status st;
  if (!fs::status(path, st) && fs::exists(st)) {
    if (fs::is_directory(st)) {
      llvm::errs() << fmt::format("netc: error: cannot write '{}': it is a directory\n", path);
      return false;
    }
    if (!fs::is_regular_file(st))
      return writeNewFile(path, text); // a device or pipe: nothing to replace atomically
    if (!force && st.getSize() > 0) {
      char head[64] = {};
      size_t got = 0;
      if (FILE *f = std::fopen(path.c_str(), "rb")) {
        got = std::fread(head, 1, sizeof head, f);
        std::fclose(f);
      }
      if (!looksLikeNetcOutput(llvm::StringRef(head, got))) {
        llvm::errs() << fmt::format("netc: error: '{}' exists and is not a netc output; use "
                                    "--force to replace it\n",
                                    path);
        return false;
      }
    }
  }
  llvm::SmallString<256> tmp;
  int fd;
  llvm::SmallString<256> model(path);
  model += ".tmp-%%%%%%";
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(model, fd, tmp)) {
    llvm::errs() << fmt::format("netc: error: cannot write '{}': {}\n", path, ec.message());
    return false;
  }
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << text;
    os.close();
    if (os.has_error()) {
      llvm::errs() << fmt::format("netc: error: cannot write '{}': {}\n", path,
                                  os.error().message());
      os.clear_error();
      llvm::sys::fs::remove(tmp);
      return false;
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(tmp, path)) {
    llvm::errs() << fmt::format("netc: error: cannot write '{}': {}\n", path, ec.message());
    llvm::sys::fs::remove(tmp);
    return false;
  }
  return true;
}

/// Writes `files` as the directory `dir`. The directory is built under a
/// temporary name next to it and renamed into place when complete, so an
/// error leaves any previous output as it was and no partial directory. An
/// existing `dir` is replaced only if netc wrote it (it holds the marker
/// file) or it is empty; otherwise only with `force`, which writes the files
/// into it, each replaced whole.
bool writeOutputDir(const std::string &dir, llvm::ArrayRef<OutputFile> files,
                    llvm::StringRef markerName, bool force) {
  namespace fs = llvm::sys::fs;
  auto fail = [&](const std::string &msg) {
    llvm::errs() << fmt::format("netc: error: cannot write '{}': {}\n", dir, msg);
    return false;
  };
  bool replace = false;
  if (fs::exists(dir)) {
    if (!fs::is_directory(dir))
      return fail("it exists and is not a directory");
    llvm::SmallString<256> marker(dir);
    llvm::sys::path::append(marker, markerName);
    std::error_code ec;
    const bool empty = fs::directory_iterator(dir, ec) == fs::directory_iterator();
    if (fs::exists(marker) || (empty && !ec)) {
      replace = true;
    } else if (!force) {
      return fail(fmt::format("the directory exists and netc did not write it (it has no {}); "
                              "use --force to write into it",
                              markerName.str()));
    } else {
      for (const OutputFile &f : files) {
        llvm::SmallString<256> path(dir);
        llvm::sys::path::append(path, f.name);
        if (!writeOutput(std::string(path), f.text, /*force=*/true))
          return false;
      }
      return true;
    }
  }
  llvm::SmallString<256> tmp;
  if (std::error_code ec = fs::createUniqueDirectory(dir + ".tmp", tmp))
    return fail(ec.message());
  for (const OutputFile &f : files) {
    llvm::SmallString<256> path(tmp);
    llvm::sys::path::append(path, f.name);
    if (!writeNewFile(std::string(path), f.text)) {
      fs::remove_directories(tmp);
      return false;
    }
  }
  llvm::SmallString<256> old;
  if (replace) {
    // Move the old directory aside, the new one in, then delete the old one.
    if (std::error_code ec = fs::createUniqueDirectory(dir + ".old", old)) {
      fs::remove_directories(tmp);
      return fail(ec.message());
    }
    fs::remove(old);
    if (std::error_code ec = fs::rename(dir, old)) {
      fs::remove_directories(tmp);
      return fail(ec.message());
    }
  }
  if (std::error_code ec = fs::rename(tmp, dir)) {
    if (replace)
      fs::rename(old, dir);
    fs::remove_directories(tmp);
    return fail(ec.message());
  }
  if (replace)
    fs::remove_directories(old);
  return true;
}

} // namespace netc
