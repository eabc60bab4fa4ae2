//===- FormatTree.h - the formatter's view of a file ------------*- C++ -*-===//
//
// Private to syntax/Format*.cpp. The formatter works on tokens, not on the
// AST: the AST drops what a formatter must keep (the spelling of literals,
// parentheses, comments). A file is lexed with the grammar's own lexer; the
// comments the lexer skips are recovered from the gaps between tokens and
// attached to the token after them. A small recursive-descent pass over the
// tokens (the input has already parsed, so it only mirrors the grammar)
// builds a layout tree: statements with bodies, and expressions as token
// sequences, bracketed lists and pipe chains, which are the places where a
// line may break.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SYNTAX_FORMATTREE_H
#define NETC_SYNTAX_FORMATTREE_H

#include "syntax/Formatter.h"

#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace netc::syntax::format {

/// A comment in the gap before a token.
struct Comment {
  std::string text;          ///< as written; a line comment without its line end
  bool isLine = false;       ///< `# ...` (else `/* ... */`)
  bool ownLine = false;      ///< only white space before it on its line
  bool blankBefore = false;  ///< an empty line before it
  bool newlineAfter = false; ///< a line ends between it and what follows
  bool multiLine = false;    ///< a block comment spanning lines
  unsigned width = 0;        ///< in code points (of its last line if multiLine)
  /// Nothing may follow it on its line.
  bool endsLine() const { return isLine || newlineAfter; }
};

/// One token of the grammar's lexer, with the comments before it.
struct Tok {
  size_t type = 0;
  llvm::StringRef text;
  uint32_t begin = 0, end = 0; ///< byte offsets
  unsigned width = 0;          ///< in code points
  bool blankBefore = false;    ///< an empty line right before it (after any comment)
  bool brokenBefore = false;   ///< a line break anywhere in the gap before it
  bool dropped = false;        ///< not printed (a ';' or trailing ',')
  std::vector<Comment> comments;
};

constexpr unsigned kInf = 1u << 28; ///< the width of what cannot be on one line

/// Lexes `text` into tokens (the last is EOF) with their comments; false
/// (and `why`) when the gaps hold something unexpected.
bool lexForFormat(llvm::StringRef text, std::vector<Tok> &toks, std::string &why);

/// Moves the comments and line-break flags of dropped tokens to the next
/// printed token.
void mergeDropped(std::vector<Tok> &toks);

enum class NodeKind : uint8_t { Tok, Seq, List, Pipe };

/// A piece of an expression (or of a declaration's head).
///  - Tok: one token.
///  - Seq: parts printed in a row, each with or without a space before it.
///  - List: `open items,... close`, the place where long lines wrap.
///  - Pipe: `a |> b |> c`, broken one stage a line when too long.
struct Node {
  NodeKind kind = NodeKind::Tok;
  uint32_t tok = 0;              ///< Tok: its index
  std::vector<Node> kids;        ///< Seq: parts; List: items; Pipe: operands
  std::vector<uint8_t> space;    ///< Seq: a space before kid i
  std::vector<uint32_t> seps;    ///< List: the ',' after item i; Pipe: the '|>' before kid i+1
  uint32_t open = 0, close = 0;  ///< List: its brackets
  int32_t trailingComma = -1;    ///< List: a kept trailing ',' (`(e,)`)
  std::vector<uint8_t> rowBreak; ///< List: the source broke the line before item i
  bool brokenAfterOpen = false;  ///< List: the source broke the line after `open`

  // Computed once by the printer.
  mutable unsigned cachedWidth = ~0u;
};

/// The first token of `n`.
inline uint32_t firstTok(const Node &n) {
  switch (n.kind) {
  case NodeKind::Tok: return n.tok;
  case NodeKind::List: return n.open;
  default: return firstTok(n.kids.front());
  }
}

struct Stmt;

/// `{ stmts }`; a hardware definition's fields are its statements.
struct Body {
  uint32_t open = 0, close = 0;
  std::vector<Stmt> stmts;
  bool oneLine = false; ///< the source wrote it on one line
};

/// One head and its body: `for ... {}`, `if c {}`, `else if c {}`,
/// `else {}`, `block f(...) {}`, `hardware h {}`; a simple statement is a
/// head without a body.
struct Part {
  Node head;
  std::unique_ptr<Body> body;
};

struct Stmt {
  std::vector<Part> parts; ///< more than one only for if / else chains
  bool isHardware = false; ///< its body holds fields, always one a line
};

/// The whole file: its declarations, and the EOF token whose gap holds the
/// comments at the end.
struct File {
  std::vector<Stmt> decls;
  uint32_t eof = 0;
};

/// Builds the layout tree; false (and `why`) if the tokens do not follow the
/// grammar as expected. Marks dropped tokens in `toks`.
bool buildTree(std::vector<Tok> &toks, File &file, std::string &why);

/// Lays the tree out as text; false (and `why`) if a token was missed or
/// printed out of order.
bool printFile(const std::vector<Tok> &toks, const File &file, const FormatOptions &opts,
               std::string &out, std::string &why);

} // namespace netc::syntax::format

#endif
