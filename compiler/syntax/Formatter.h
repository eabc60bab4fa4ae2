//===- Formatter.h - netc fmt: one canonical layout for .net ----*- C++ -*-===//
//
// formatBuffer() returns the canonical text of a .net file. It refuses a file
// that does not parse, and it never returns text that loses anything: after
// laying a file out it checks that the new text has the same tokens in the
// same order (less dropped `;` and trailing `,`), the same comments with the
// same texts in the same order, and parses to the same AST up to locations;
// any difference is reported as an internal error instead.
//
// The style (what examples/ and stdlib/ were written in):
//  - Two spaces of indentation a body level; one statement, field or
//    declaration a line; optional `;` are dropped (a `;` is kept only where
//    the next statement would otherwise continue the previous expression,
//    and in a file of nothing but `;`).
//  - A space around binary operators, `=`, `|>`, `?` and `:` of a condition,
//    after `,` and after the `:` of a parameter's type; none inside brackets,
//    after a unary operator, around `=` of a keyword argument (`k=3`), or
//    around `:` of a slice (`x[1:-1]`).
//  - Literals are kept exactly as written (`1_000`, `1e-5`, string escapes).
//  - `{` ends the line of its head; `}` is on its own line, `} else {` on one.
//    A body written on one line with one simple statement (`{ return x }`)
//    stays on one line if the whole statement fits; an empty body is `{}`.
//  - A line is at most `width` columns where the layout can make it so:
//    a bracketed list that does not fit is filled (as many items a line as
//    fit), its lines aligned after the open bracket; when an item would not
//    fit there, or the source broke the line right after the open bracket,
//    the items start on the next line, indented two levels (four spaces)
//    from the line of the bracket. Where the source starts an item on a new
//    line, it stays on a new line (tables of tuples keep their rows). The
//    closing bracket follows the last item; a trailing `,` is dropped (not
//    in a one-element tuple `(e,)`).
//  - A pipe chain `x |> f |> g` that does not fit is broken before every
//    `|>`, the stages aligned under its first operand.
//  - At most one empty line between statements or declarations, where the
//    source had one or more; none at the start or end of a body or file.
//  - Comments stay where they are: one on its own line stays on its own
//    line, before what it preceded, at that thing's indentation; a trailing
//    comment stays at the end of its line, two spaces after the code, and
//    the trailing `#` comments of consecutive lines of one indentation are
//    aligned in one column;
//    a comment between items of a wrapped list stays with its item; a block
//    comment between tokens stays between them. Comment texts are kept
//    byte for byte (a line comment less its trailing white space).
//
// Formatting is idempotent: the layout depends on the tokens and comments,
// and on the source's line breaks only where the output keeps them (list
// rows, a break after an open bracket, one-line bodies, empty lines).
//
// The namespace is netc::syntax, not netc::fmt, which would hide the {fmt}
// library's `fmt::` inside namespace netc.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SYNTAX_FORMATTER_H
#define NETC_SYNTAX_FORMATTER_H

#include "support/Diagnostics.h"

#include <optional>
#include <string>

namespace netc::syntax {

struct FormatOptions {
  unsigned width = 100; ///< the column limit lines are wrapped at
  unsigned indent = 2;  ///< spaces a body level
};

/// The canonical text of buffer `fileId` (already in diag's SourceMgr), or
/// std::nullopt after reporting its parse errors (or an internal error of the
/// formatter) to diag.
std::optional<std::string> formatBuffer(DiagEngine &diag, unsigned fileId,
                                        const FormatOptions &opts = {});

/// `text` formatted, for tests and tools without a SourceMgr of their own:
/// std::nullopt and the diagnostics printed to `errors` when it cannot be
/// formatted. `name` is the file name the diagnostics show.
std::optional<std::string> formatText(llvm::StringRef text, llvm::StringRef name,
                                      std::string &errors, const FormatOptions &opts = {});

} // namespace netc::syntax

#endif
