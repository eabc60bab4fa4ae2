//===- SourceLoc.h - a position in a source file ----------------*- C++ -*-===//
//
// Every AST node, graph node and diagnostic carries one. `file` is the buffer
// id of llvm::SourceMgr (1-based; 0 means "no location"), `line` and `col` are
// 1-based, and `col` counts bytes like clang does, so carets line up with the
// bytes SourceMgr prints.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SUPPORT_SOURCELOC_H
#define NETC_SUPPORT_SOURCELOC_H

#include <cstdint>

namespace netc {

struct SourceLoc {
  uint32_t file = 0;
  uint32_t line = 0;
  uint32_t col = 0;
  uint32_t offset = 0; ///< byte offset from the start of the buffer

  bool valid() const { return file != 0 && line != 0; }
  friend bool operator==(const SourceLoc &a, const SourceLoc &b) {
    return a.file == b.file && a.offset == b.offset;
  }
  friend bool operator!=(const SourceLoc &a, const SourceLoc &b) { return !(a == b); }
};

} // namespace netc

#endif
