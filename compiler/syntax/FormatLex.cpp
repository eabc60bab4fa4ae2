//===- FormatLex.cpp - tokens and the comments between them ---------------===//
//
// The grammar's lexer gives the tokens; everything between two tokens is
// white space and comments (the only skipped rules), so the comments are
// read back from those gaps by a scan that follows the lexer's rules:
// `#` to the end of the line, `/*` to the first `*/`.
//
//===----------------------------------------------------------------------===//
#include "syntax/FormatTree.h"

#include "syntax/TokenBuffer.h"
#include "syntax/TokenLocator.h"

#include "NetLexer.h"

#include <algorithm>

namespace netc::syntax::format {

namespace {

unsigned codePoints(llvm::StringRef s) {
  unsigned n = 0;
  for (char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
      ++n;
  return n;
}

/// Reads the gap [pos, end) into `t`'s comments and flags; false if it holds
/// anything but white space and comments.
bool scanGap(llvm::StringRef text, size_t pos, size_t end, bool fileStart, Tok &t,
             std::string &why) {
  unsigned newlines = fileStart ? 1 : 0; // since the last comment or token
  Comment *last = nullptr;
  auto startItem = [&]() {
    if (last)
      last->newlineAfter = newlines > 0;
  };
  while (pos < end) {
    char c = text[pos];
    if (c == '\n') {
      ++newlines;
      t.brokenBefore = true;
      ++pos;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
      ++pos;
    } else if (text.substr(pos).startswith("\xEF\xBB\xBF")) { // U+FEFF is white space
      pos += 3;
    } else if (c == '#' || text.substr(pos).startswith("/*")) {
      startItem();
      Comment cm;
      size_t stop;
      if (c == '#') {
        stop = std::min(text.find('\n', pos), end);
        cm.isLine = true;
        cm.text = text.slice(pos, stop).rtrim(" \t\r\f").str();
      } else {
        size_t close = text.find("*/", pos + 2);
        if (close == llvm::StringRef::npos || close + 2 > end) {
          why = "unterminated block comment in a gap";
          return false;
        }
        stop = close + 2;
        // Line ends inside are written '\n' (a "\r\n" file comes out "\n").
        for (size_t k = pos; k < stop; ++k)
          if (!(text[k] == '\r' && k + 1 < stop && text[k + 1] == '\n'))
            cm.text.push_back(text[k]);
        cm.multiLine = cm.text.find('\n') != std::string::npos;
        if (cm.multiLine)
          t.brokenBefore = true;
      }
      cm.ownLine = newlines > 0;
      cm.blankBefore = newlines > 1;
      llvm::StringRef lastLine = cm.text;
      if (size_t nl = lastLine.rfind('\n'); nl != llvm::StringRef::npos)
        lastLine = lastLine.substr(nl + 1);
      cm.width = codePoints(lastLine);
      t.comments.push_back(std::move(cm));
      last = &t.comments.back();
      newlines = 0;
      pos = stop;
    } else {
      why = "unexpected text between tokens";
      return false;
    }
  }
  startItem();
  t.blankBefore = newlines > 1;
  return true;
}

} // namespace

bool lexForFormat(llvm::StringRef text, std::vector<Tok> &toks, std::string &why) {
  CompactInputStream input(text.data(), text.size());
  grammar::NetLexer lexer(&input);
  lexer.removeErrorListeners();
  TokenLocator where(0, text);
  size_t prevEnd = 0;
  for (;;) {
    std::unique_ptr<antlr4::Token> at = lexer.nextToken();
    Tok t;
    t.type = at->getType();
    bool eof = t.type == antlr4::Token::EOF;
    t.begin = eof ? static_cast<uint32_t>(text.size()) : where.byteOffset(at->getStartIndex());
    t.end = eof ? t.begin : where.byteOffset(at->getStopIndex() + 1);
    if (t.begin < prevEnd || t.end < t.begin) {
      why = "tokens out of order";
      return false;
    }
    t.text = text.slice(t.begin, t.end);
    t.width = codePoints(t.text);
    if (!scanGap(text, prevEnd, t.begin, toks.empty(), t, why))
      return false;
    prevEnd = t.end;
    toks.push_back(std::move(t));
    if (eof)
      return true;
  }
}

void mergeDropped(std::vector<Tok> &toks) {
  for (size_t i = 0; i + 1 < toks.size(); ++i) {
    Tok &d = toks[i];
    if (!d.dropped)
      continue;
    Tok &next = toks[i + 1]; // EOF is never dropped
    // An empty line before the dropped token counts before what follows it.
    if (next.comments.empty())
      next.blankBefore = next.blankBefore || d.blankBefore;
    else if (next.comments.front().ownLine)
      next.comments.front().blankBefore = next.comments.front().blankBefore || d.blankBefore;
    next.comments.insert(next.comments.begin(), std::make_move_iterator(d.comments.begin()),
                         std::make_move_iterator(d.comments.end()));
    d.comments.clear();
    next.brokenBefore = next.brokenBefore || d.brokenBefore;
  }
}

} // namespace netc::syntax::format
