//===- LineDiff.h - a unified diff of two texts -----------------*- C++ -*-===//
//
// The difference of two texts line by line, written as `diff -u` writes it
// (`--- a/FILE`, `+++ b/FILE`, `@@ -l,n +l,n @@` hunks with three lines of
// context, "\ No newline at end of file"), for `netc fmt --check`. The edit
// script is a longest common subsequence of the lines that differ after the
// common first and last lines; when that middle is too large to compare
// line against line (over 4 million pairs), it is one replacement instead:
// still a correct diff, only not the smallest.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SUPPORT_LINEDIFF_H
#define NETC_SUPPORT_LINEDIFF_H

#include <llvm/ADT/StringRef.h>

#include <string>

namespace netc {

/// "" when `before` equals `after`; else the unified diff from one to the
/// other, headed `--- oldName` and `+++ newName`.
std::string unifiedDiff(llvm::StringRef before, llvm::StringRef after, llvm::StringRef oldName,
                        llvm::StringRef newName, unsigned context = 3);

} // namespace netc

#endif
