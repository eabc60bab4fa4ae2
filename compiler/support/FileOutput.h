//===- FileOutput.h - outputs replaced whole or not at all ------*- C++ -*-===//
//
// How netc writes its outputs (-o): through a temporary file or directory
// next to the target, renamed into place when complete, so that an error
// leaves any previous output as it was and never a half-written one; and
// never over a file or directory netc did not write, unless forced.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SUPPORT_FILEOUTPUT_H
#define NETC_SUPPORT_FILEOUTPUT_H

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>

#include <string>

namespace netc {

/// One file of an output directory.
struct OutputFile {
  std::string name; ///< relative to the output directory
  std::string text;
};

/// Writes `text` to `path` (standard output for "" or "-") through a
/// temporary file renamed into place, so an existing output is replaced whole
/// or not at all. An existing regular file that netc did not write (by how it
/// starts) is replaced only with `force`; a device or pipe (`-o /dev/null`)
/// is written directly. Errors are reported on stderr; returns false then.
bool writeOutput(const std::string &path, llvm::StringRef text, bool force = false);

/// Writes `files` as the directory `dir`. The directory is built under a
/// temporary name next to it and renamed into place when complete. An
/// existing `dir` is replaced only if netc wrote it (it holds the file
/// `markerName`) or it is empty; otherwise only with `force`, which writes
/// the files into it, each replaced whole.
bool writeOutputDir(const std::string &dir, llvm::ArrayRef<OutputFile> files,
                    llvm::StringRef markerName, bool force);

} // namespace netc

#endif
