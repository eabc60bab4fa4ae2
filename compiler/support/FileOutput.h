//===- FileOutput.h - outputs replaced whole or not at all ------*- C++ -*-===//
//
// How netc writes its outputs (-o), so that nothing is lost and nothing is
// left half-written:
//
//  - Through a temporary file or directory in the target's own directory
//    (never $TMPDIR: a rename must not cross file systems), renamed into
//    place when complete. An error leaves any previous output as it was; a
//    SIGINT, SIGTERM or SIGHUP removes the temporary before netc dies.
//  - Relative paths are taken from the working directory; a directory
//    target may end in '/'.
//  - Never over an input of the run (the program file, every file it
//    imports, the --hw file, the --compare file), whatever --force says:
//    compared by file identity, so another name for the same file counts.
//  - An existing file is replaced without --force only if it is empty or
//    netc wrote it, which is told by the marker every output of netc begins
//    with (`isOwnOutput`; the markers are listed in support/OutputMarkers.h),
//    and which no .net source can begin with.
//  - A device or pipe (`-o /dev/null`) is written directly.
//  - Every write to standard output or a file is checked, close included.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SUPPORT_FILEOUTPUT_H
#define NETC_SUPPORT_FILEOUTPUT_H

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

#include <string>
#include <vector>

namespace netc {

/// One file of an output directory.
struct OutputFile {
  std::string name; ///< relative to the output directory
  std::string text;
};

/// True when `head` (the first bytes of an existing file) is how an output
/// of netc's main command starts (a report, comparison, sweep, opt report,
/// AST or graph, in any format).
bool looksLikeNetcOutput(llvm::StringRef head);

/// How a write may treat what is already there.
struct WritePolicy {
  bool force = false; ///< replace a file or directory netc did not write
  /// Files the run read: never written over, whatever `force` says.
  std::vector<std::string> inputs;
  /// Whether an existing file's start shows netc wrote it.
  bool (*isOwnOutput)(llvm::StringRef head) = looksLikeNetcOutput;
  /// The message prefix: "netc" or "netc calibrate".
  const char *tool = "netc";
};

/// Writes `text` to `path` (standard output for "" or "-") through a
/// temporary file beside it renamed into place, so an existing output is
/// replaced whole or not at all. Errors are reported on stderr; returns
/// false then.
bool writeOutput(const std::string &path, llvm::StringRef text, const WritePolicy &policy);
inline bool writeOutput(const std::string &path, llvm::StringRef text, bool force = false) {
  WritePolicy p;
  p.force = force;
  return writeOutput(path, text, p);
}

/// The checks writeOutput makes before writing (a directory in the way, an
/// input, a file netc did not write), to fail before a long computation;
/// false after reporting why `path` may not be written.
bool checkOutput(const std::string &path, const WritePolicy &policy);

/// Writes `files` as the directory `dir`. The directory is built under a
/// temporary name beside it and renamed into place when complete. An
/// existing `dir` is replaced only if netc wrote it (it holds the file
/// `markerName`) or it is empty; otherwise only with `force`, which writes
/// the files into it, each replaced whole. A directory that is an input's
/// is never replaced, and no input is written over.
bool writeOutputDir(const std::string &dir, llvm::ArrayRef<OutputFile> files,
                    llvm::StringRef markerName, const WritePolicy &policy);
inline bool writeOutputDir(const std::string &dir, llvm::ArrayRef<OutputFile> files,
                           llvm::StringRef markerName, bool force) {
  WritePolicy p;
  p.force = force;
  return writeOutputDir(dir, files, markerName, p);
}

/// Flushes standard output; after a write error (a full disk, a closed
/// pipe) reports "TOOL: error: cannot write to standard output: REASON",
/// clears the error (else LLVM aborts at exit) and returns false.
bool flushStdout(const char *tool = "netc");

} // namespace netc

#endif
