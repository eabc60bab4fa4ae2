//===- Diagnostics.h - collected, located diagnostics -----------*- C++ -*-===//
//
// Diagnostics are collected, never thrown. Each has a severity, a location, a
// message (lower-case, no trailing period, as in LLVM) and attached notes, for
// example the chain of block calls that led to an error. print() renders them
// as llvm::SourceMgr does (and windows very long lines, which it cannot):
//
//     file:line:col: error: message
//     <the source line>
//         ^
//
// After `errorLimit` errors, further ones are dropped and a single
// "too many errors" error is recorded; stages poll limitReached() to stop.
//
// A note may also stand alone (print() in .net writes one): it is kept like
// the others, or handed at once to the note sink when one is set (the driver
// prints it then, so notes show as they come and are not kept in memory).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SUPPORT_DIAGNOSTICS_H
#define NETC_SUPPORT_DIAGNOSTICS_H

#include "support/SourceLoc.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

#include <functional>
#include <string>
#include <vector>

namespace netc {

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLoc loc;        ///< may be invalid: then `file` names the file
  std::string file;     ///< used only when loc is invalid (file-level errors)
  std::string message;
  bool showSource = true; ///< false for lines that cannot be printed (binary)
  std::vector<Diagnostic> notes;
};

class DiagEngine {
public:
  explicit DiagEngine(llvm::SourceMgr &sm, unsigned errorLimit = 20)
      : sm(sm), errorLimit(errorLimit) {}

  /// Records an error at `loc`; returns it so notes can be attached. After the
  /// error limit the returned diagnostic is a scratch one that is not kept.
  Diagnostic &error(SourceLoc loc, std::string message);
  Diagnostic &warning(SourceLoc loc, std::string message);
  /// An error about a whole file (missing, unreadable, a directory, ...).
  Diagnostic &fileError(llvm::StringRef file, std::string message);
  /// An error with no file at all (e.g. a bad command-line value).
  Diagnostic &globalError(std::string message);
  static void addNote(Diagnostic &d, SourceLoc loc, std::string message);
  /// A note on its own (not about an error): kept, or given to the note sink.
  void note(SourceLoc loc, std::string message, bool showSource = true);
  /// Where note() sends its notes from now on; an empty function: they are
  /// kept with the other diagnostics.
  void setNoteSink(std::function<void(const Diagnostic &)> sink) { noteSink = std::move(sink); }

  bool hasErrors() const { return numErrors != 0; }
  unsigned errorCount() const { return numErrors; }
  /// True once an error beyond the limit was dropped (and the "too many
  /// errors" notice recorded): stages stop then.
  bool limitReached() const { return overflowed; }
  const std::vector<Diagnostic> &diagnostics() const { return diags; }

  /// Prints every collected diagnostic in the order reported, in colour
  /// when useColor(os).
  void print(llvm::raw_ostream &os) const;
  /// Formats one diagnostic (and its notes) as print() would; `color` adds
  /// the terminal's escape sequences.
  std::string format(const Diagnostic &d, bool color = false) const;
  /// Colour as clang and rustc do: when `os` is a terminal that has colours
  /// and the NO_COLOR environment variable is unset or empty.
  static bool useColor(llvm::raw_ostream &os);

  llvm::SourceMgr &sourceMgr() { return sm; }
  /// Converts a buffer offset into a full location (line and byte column).
  SourceLoc locate(unsigned file, uint32_t offset) const;

private:
  Diagnostic &add(Diagnostic d);
  void printOne(llvm::raw_ostream &os, const Diagnostic &d, bool color) const;

  llvm::SourceMgr &sm;
  unsigned errorLimit;
  unsigned numErrors = 0;
  bool overflowed = false;
  std::vector<Diagnostic> diags;
  Diagnostic scratch;
  std::function<void(const Diagnostic &)> noteSink;
};

} // namespace netc

#endif
