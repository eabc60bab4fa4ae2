//===- FileOutput.cpp - outputs replaced whole or not at all -----------------===//
#include "support/FileOutput.h"

#include "support/OutputMarkers.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/Path.h>
#include <llvm/Support/raw_ostream.h>

#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <dirent.h>
#include <unistd.h>

namespace netc {

namespace fs = llvm::sys::fs;

//===----------------------------------------------------------------------===//
// Temporaries removed on SIGINT, SIGTERM and SIGHUP
//===----------------------------------------------------------------------===//

namespace {

/// A few slots: a run has at most a temporary output and an old one aside.
constexpr int kSlots = 4;
constexpr size_t kPathMax = 4096;
char gTempPath[kSlots][kPathMax];
volatile std::sig_atomic_t gTempUsed[kSlots];
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
bool gHandlersInstalled = false;

/// Removes the file or directory tree `path`; only calls that are safe in a
/// signal handler in practice (opendir/readdir are not in POSIX's list, but
/// they allocate nothing on glibc once the stream is open).
void removeTree(const char *path) {
  if (::unlink(path) == 0 || ::rmdir(path) == 0)
    return;
  DIR *d = ::opendir(path);
  if (!d)
    return;
  char child[kPathMax];
  while (dirent *e = ::readdir(d)) {
    if (!std::strcmp(e->d_name, ".") || !std::strcmp(e->d_name, ".."))
      continue;
    size_t n = std::strlen(path), m = std::strlen(e->d_name);
    if (n + 1 + m + 1 > sizeof child)
      continue;
    std::memcpy(child, path, n);
    child[n] = '/';
    std::memcpy(child + n + 1, e->d_name, m + 1);
    removeTree(child);
  }
  ::closedir(d);
  ::rmdir(path);
}

/// Removes the registered temporaries, then dies of the signal as if netc
/// had not caught it (SA_RESETHAND restored the default action).
void onSignal(int sig) {
  for (int i = 0; i < kSlots; ++i)
    if (gTempUsed[i])
      removeTree(gTempPath[i]);
  ::raise(sig);
}

void installHandlers() {
  if (gHandlersInstalled)
    return;
  gHandlersInstalled = true;
  for (int sig : kSignals) {
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) != 0 || old.sa_handler == SIG_IGN)
      continue; // ignored (nohup): leave it so
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    ::sigaction(sig, &sa, nullptr);
  }
}

/// Holds SIGINT, SIGTERM and SIGHUP back while a temporary is created and
/// registered, or while outputs are swapped, so a signal finds either no
/// temporary or a registered one.
class SignalBlock {
public:
  SignalBlock() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : kSignals)
      sigaddset(&set, sig);
    ::sigprocmask(SIG_BLOCK, &set, &saved);
  }
  ~SignalBlock() { ::sigprocmask(SIG_SETMASK, &saved, nullptr); }

private:
  sigset_t saved;
};

/// Registers `path` for removal on a signal; the slot, or -1 if none is free
/// or the path too long (then the temporary is only removed on errors).
int registerTemp(llvm::StringRef path) {
  installHandlers();
  for (int i = 0; i < kSlots; ++i) {
    if (gTempUsed[i] || path.size() + 1 > kPathMax)
      continue;
    std::memcpy(gTempPath[i], path.data(), path.size());
    gTempPath[i][path.size()] = '\0';
    gTempUsed[i] = 1;
    return i;
  }
  return -1;
}

void unregisterTemp(int slot) {
  if (slot >= 0)
    gTempUsed[slot] = 0;
}

/// Test hook: NETC_TEST_OUTPUT_PAUSE_MS=N waits N ms while the temporary
/// output is complete but not yet in place, so tests can signal netc there.
void testPause() {
  if (const char *ms = std::getenv("NETC_TEST_OUTPUT_PAUSE_MS"))
    ::usleep(static_cast<useconds_t>(std::atoi(ms)) * 1000);
}

} // namespace

//===----------------------------------------------------------------------===//
// Recognising outputs and inputs
//===----------------------------------------------------------------------===//

/// Whether `head` begins with one of the markers of support/OutputMarkers.h.
bool looksLikeNetcOutput(llvm::StringRef head) {
  using namespace markers;
  const llvm::StringRef starts[] = {
      kReport, kComparison, kSweep, kGraph, kOptReport, // table formats
      kDotGraph,        // --emit=dot
      kOnnx,            // --emit=onnx
      "# netc report: ", "# netc comparison: ", "# netc sweep: ", // markdown
      "# netc import: ", // netc import's .net program
      "<!DOCTYPE html>\n<!-- netc ", // html
      "{\n  \"netc_",    // json
      "name,op,block,", // csv report
      "quantity,a,b,",  // csv comparison
      "variant,",       // csv sweep
      "Module \"",      // --emit=ast
  };
  for (llvm::StringRef s : starts)
    if (head.startswith(s))
      return true;
  return false;
}

namespace {

/// Whether `path` (a regular file) is one of `inputs`, by identity.
const std::string *findInput(const std::string &path, const std::vector<std::string> &inputs) {
  for (const std::string &in : inputs) {
    bool same = false;
    if (!in.empty() && !fs::equivalent(path, in, same) && same)
      return &in;
  }
  return nullptr;
}

/// An input that lies inside the directory `dir`, if any.
const std::string *inputInside(const std::string &dir, const std::vector<std::string> &inputs) {
  llvm::SmallString<256> realDir;
  if (fs::real_path(dir, realDir))
    return nullptr;
  realDir += llvm::sys::path::get_separator();
  for (const std::string &in : inputs) {
    llvm::SmallString<256> realIn;
    if (!in.empty() && !fs::real_path(in, realIn) && realIn.str().startswith(realDir))
      return &in;
  }
  return nullptr;
}

/// `path` from the working directory, without trailing separators.
std::string absoluteDir(const std::string &path) {
  llvm::SmallString<256> p(path);
  while (p.size() > 1 && llvm::sys::path::is_separator(p.back()))
    p.pop_back();
  fs::make_absolute(p);
  return std::string(p);
}

/// Writes `text` into the new file `path`; false after an error (reported).
bool writeNewFile(const std::string &path, llvm::StringRef text, const char *tool,
                  const std::string &shown) {
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
    llvm::errs() << fmt::format("{}: error: cannot write '{}': {}\n", tool, shown, ec.message());
  return !ec;
}

} // namespace

bool flushStdout(const char *tool) {
  llvm::raw_fd_ostream &out = llvm::outs();
  out.flush();
  if (!out.has_error())
    return true;
  llvm::errs() << fmt::format("{}: error: cannot write to standard output: {}\n", tool,
                              out.error().message());
  out.clear_error();
  return false;
}

//===----------------------------------------------------------------------===//
// Files
//===----------------------------------------------------------------------===//

/// The checks of writeOutput before it writes: false (reported) when `path`
/// may not be written; `direct` when it is a device or pipe to write as is.
static bool checkFile(const std::string &path, const WritePolicy &policy, bool &direct) {
  const char *tool = policy.tool;
  auto fail = [&](const std::string &msg) {
    llvm::errs() << fmt::format("{}: error: cannot write '{}': {}\n", tool, path, msg);
    return false;
  };
  direct = false;
  fs::file_status st;
  if (fs::status(path, st) || !fs::exists(st))
    return true;
  if (fs::is_directory(st))
    return fail("it is a directory");
  if (!fs::is_regular_file(st)) {
    direct = true; // a device or pipe: nothing to replace
    return true;
  }
  if (const std::string *in = findInput(path, policy.inputs))
    return fail(*in == path ? std::string("it is an input of this run (netc never writes over "
                                          "its inputs, even with --force)")
                            : fmt::format("it is the input '{}' of this run (netc never writes "
                                          "over its inputs, even with --force)",
                                          *in));
  if (policy.force || st.getSize() == 0)
    return true;
  char head[4096];
  size_t got = 0;
  if (FILE *f = std::fopen(path.c_str(), "rb")) {
    got = std::fread(head, 1, sizeof head, f);
    std::fclose(f);
  }
  if (policy.isOwnOutput(llvm::StringRef(head, got)))
    return true;
  llvm::errs() << fmt::format("{}: error: '{}' exists and is not a {} output; use --force to "
                              "replace it\n",
                              tool, path, tool);
  return false;
}

bool checkOutput(const std::string &path, const WritePolicy &policy) {
  bool direct;
  return path.empty() || path == "-" || checkFile(path, policy, direct);
}

bool writeOutput(const std::string &path, llvm::StringRef text, const WritePolicy &policy) {
  const char *tool = policy.tool;
  if (path.empty() || path == "-") {
    llvm::outs() << text;
    return flushStdout(tool);
  }
  auto fail = [&](const std::string &msg) {
    llvm::errs() << fmt::format("{}: error: cannot write '{}': {}\n", tool, path, msg);
    return false;
  };
  bool direct;
  if (!checkFile(path, policy, direct))
    return false;
  if (direct)
    return writeNewFile(path, text, tool, path);
  llvm::SmallString<256> tmp;
  int slot = -1;
  {
    SignalBlock hold;
    int fd;
    // Beside the target (createUniqueFile keeps a relative model relative).
    if (std::error_code ec = fs::createUniqueFile(path + ".tmp-%%%%%%", fd, tmp))
      return fail(ec.message());
    ::close(fd);
    slot = registerTemp(tmp);
  }
  auto drop = [&] {
    SignalBlock hold;
    fs::remove(tmp);
    unregisterTemp(slot);
  };
  if (!writeNewFile(std::string(tmp), text, tool, path)) {
    drop();
    return false;
  }
  testPause();
  SignalBlock hold;
  if (std::error_code ec = fs::rename(tmp, path)) {
    fs::remove(tmp);
    unregisterTemp(slot);
    return fail(ec.message());
  }
  unregisterTemp(slot);
  return true;
}

//===----------------------------------------------------------------------===//
// Directories
//===----------------------------------------------------------------------===//

bool writeOutputDir(const std::string &dirArg, llvm::ArrayRef<OutputFile> files,
                    llvm::StringRef markerName, const WritePolicy &policy) {
  const char *tool = policy.tool;
  auto fail = [&](const std::string &msg) {
    llvm::errs() << fmt::format("{}: error: cannot write '{}': {}\n", tool, dirArg, msg);
    return false;
  };
  // Absolute, so that the temporaries are made beside it: createUniqueDirectory
  // would put a relative model under $TMPDIR, maybe on another file system.
  const std::string dir = absoluteDir(dirArg);
  bool replace = false;
  if (fs::exists(dir)) {
    if (!fs::is_directory(dir))
      return fail("it exists and is not a directory");
    llvm::SmallString<256> marker(dir);
    llvm::sys::path::append(marker, markerName);
    std::error_code ec;
    const bool empty = fs::directory_iterator(dir, ec) == fs::directory_iterator();
    if (fs::exists(marker) || (empty && !ec)) {
      if (const std::string *in = inputInside(dir, policy.inputs))
        return fail(fmt::format("it holds '{}', an input of this run", *in));
      replace = true;
    } else if (!policy.force) {
      return fail(fmt::format("the directory exists and netc did not write it (it has no {}); "
                              "use --force to write into it",
                              markerName.str()));
    } else {
      WritePolicy each = policy;
      each.force = true;
      for (const OutputFile &f : files) {
        llvm::SmallString<256> path(dirArg);
        llvm::sys::path::append(path, f.name);
        if (!writeOutput(std::string(path), f.text, each))
          return false;
      }
      return true;
    }
  }
  llvm::SmallString<256> tmp;
  int slot = -1;
  {
    SignalBlock hold;
    if (std::error_code ec = fs::createUniqueDirectory(dir + ".tmp", tmp))
      return fail(ec.message());
    slot = registerTemp(tmp);
  }
  auto dropTmp = [&] {
    SignalBlock hold;
    fs::remove_directories(tmp);
    unregisterTemp(slot);
  };
  for (const OutputFile &f : files) {
    llvm::SmallString<256> path(tmp);
    llvm::sys::path::append(path, f.name);
    if (!writeNewFile(std::string(path), f.text, tool,
                      (llvm::Twine(dirArg) + "/" + f.name).str())) {
      dropTmp();
      return false;
    }
  }
  testPause();
  llvm::SmallString<256> old;
  int oldSlot = -1;
  {
    SignalBlock hold; // the swap: no signal between the two renames
    if (replace) {
      // Move the old directory aside, the new one in, then delete the old one.
      if (std::error_code ec = fs::createUniqueDirectory(dir + ".old", old)) {
        fs::remove_directories(tmp);
        unregisterTemp(slot);
        return fail(ec.message());
      }
      fs::remove(old);
      if (std::error_code ec = fs::rename(dir, old)) {
        fs::remove_directories(tmp);
        unregisterTemp(slot);
        return fail(ec.message());
      }
    }
    if (std::error_code ec = fs::rename(tmp, dir)) {
      if (replace)
        fs::rename(old, dir);
      fs::remove_directories(tmp);
      unregisterTemp(slot);
      return fail(ec.message());
    }
    unregisterTemp(slot);
    if (replace)
      oldSlot = registerTemp(old);
  }
  if (replace) {
    fs::remove_directories(old);
    unregisterTemp(oldSlot);
  }
  return true;
}

} // namespace netc
