//===- Protocol.h - LSP positions, ranges and URIs --------------*- C++ -*-===//
//
// LSP positions are a 0-based line and a column in UTF-16 code units; netc's
// SourceLoc has a 1-based line, a 1-based byte column and a byte offset. The
// conversions here work on the document's text, so a line with non-ASCII
// characters (in a comment, a string) still maps exactly. Files are named by
// `file://` URIs, percent-encoded.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_LSP_PROTOCOL_H
#define NETC_LSP_PROTOCOL_H

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/JSON.h>

#include <cstdint>
#include <optional>
#include <string>

namespace netc::lsp {

struct Position {
  int64_t line = 0;      ///< 0-based
  int64_t character = 0; ///< UTF-16 code units
  friend bool operator==(const Position &a, const Position &b) {
    return a.line == b.line && a.character == b.character;
  }
};

struct Range {
  Position start, end;
};

llvm::json::Value toJSON(const Position &p);
llvm::json::Value toJSON(const Range &r);
/// Reads a Position; nothing when `v` is not one.
std::optional<Position> positionFrom(const llvm::json::Value *v);

/// The position of byte `offset` of `text` (clamped to its end).
Position positionAt(llvm::StringRef text, size_t offset);
/// The byte offset of `p` in `text`: a line past the end gives the end, a
/// character past the line's end gives the line's end.
size_t offsetAt(llvm::StringRef text, const Position &p);
/// The range of the token that starts at `offset`: a name or number, a
/// string literal, else one character (an empty range at a line's end).
Range tokenRange(llvm::StringRef text, size_t offset);
/// The [begin, end) bytes of the name (or number) around `offset`, or an
/// empty range at `offset` when it is not in one.
std::pair<size_t, size_t> wordAt(llvm::StringRef text, size_t offset);

/// "file:///a/b%20c.net" -> "/a/b c.net"; nothing for another scheme.
std::optional<std::string> pathFromUri(llvm::StringRef uri);
/// The file URI of an absolute path.
std::string uriFromPath(llvm::StringRef path);

} // namespace netc::lsp

#endif
