//===- FormatPrint.cpp - the layout: the tree as lines of text ------------===//
//
// A greedy layout, top down: a list or pipe chain that fits on the rest of
// its line (with what must follow it there, its "tail") is printed flat;
// otherwise it breaks (Formatter.h states the rules) and each part tries
// again. Decisions depend only on the column, the tree, the comments and the
// source line breaks the output keeps, which makes formatting idempotent.
//
// Every token goes through emit(), which first prints the gap before it: its
// comments, then the separator the layout asked for (nothing, a space, or a
// line break and an indentation). A comment that must end its line turns any
// separator into a line break.
//
//===----------------------------------------------------------------------===//
#include "syntax/FormatTree.h"

#include "NetLexer.h"

#include <algorithm>

namespace netc::syntax::format {

namespace {

enum class Sep : uint8_t { None, Space, Newline };

/// Where an empty line of the source may stay in a gap.
constexpr unsigned kBlankOk = 1;      // between statements or declarations
constexpr unsigned kNoBlankFirst = 2; // not before the first thing (body or file start)
constexpr unsigned kNoBlankLast = 4;  // not before the token (a `}` or the end)

unsigned sum(unsigned a, unsigned b) { return std::min(kInf, a + b); }

class Printer {
public:
  Printer(const std::vector<Tok> &toks, const FormatOptions &opts)
      : toks(toks), width(opts.width), step(opts.indent) {}

  bool file(const File &f, std::string &text, std::string &why) {
    for (size_t k = 0; k < f.decls.size(); ++k) {
      flush(firstTok(f.decls[k].parts.front().head), Sep::Newline, 0, 0,
            kBlankOk | (k == 0 ? kNoBlankFirst : 0));
      stmt(f.decls[k], 0);
    }
    flush(f.eof, Sep::Newline, 0, 0,
          kBlankOk | kNoBlankLast | (f.decls.empty() ? kNoBlankFirst : 0));
    if (!ok || next != f.eof) {
      why = ok ? "a token was not printed" : "a token was printed out of order";
      return false;
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
      out.pop_back();
    out += '\n';
    alignTrailingComments();
    text = std::move(out);
    return true;
  }

private:
  // ------------------------------------------------------------ measures

  /// The width of the comments before token `i` printed inline, or kInf if
  /// one must be on a line of its own or end its line.
  unsigned gapWidth(uint32_t i) const {
    unsigned w = 0;
    for (const Comment &c : toks[i].comments) {
      if (c.ownLine || c.endsLine() || c.multiLine)
        return kInf;
      w = sum(w, c.width + 1);
    }
    return w;
  }

  /// The width of `n` on one line (kInf if it cannot be).
  unsigned flatWidth(const Node &n) const {
    if (n.cachedWidth != ~0u)
      return n.cachedWidth;
    unsigned w = 0;
    switch (n.kind) {
    case NodeKind::Tok:
      w = toks[n.tok].width;
      break;
    case NodeKind::Seq:
      for (size_t k = 0; k < n.kids.size(); ++k) {
        w = sum(w, flatWidth(n.kids[k]));
        if (k)
          w = sum(w, n.space[k] + gapWidth(firstTok(n.kids[k])));
      }
      break;
    case NodeKind::List:
      w = toks[n.open].width + toks[n.close].width + gapWidth(n.close);
      for (size_t k = 0; k < n.kids.size(); ++k) {
        w = sum(w, flatWidth(n.kids[k]) + gapWidth(firstTok(n.kids[k])));
        if (k)
          w = sum(w, 2 + gapWidth(n.seps[k - 1]));
      }
      if (n.trailingComma >= 0)
        w = sum(w, 1 + gapWidth(static_cast<uint32_t>(n.trailingComma)));
      break;
    case NodeKind::Pipe:
      w = flatWidth(n.kids.front());
      for (size_t k = 1; k < n.kids.size(); ++k)
        w = sum(w, 4 + gapWidth(n.seps[k - 1]) + gapWidth(firstTok(n.kids[k])) +
                       flatWidth(n.kids[k]));
      break;
    }
    n.cachedWidth = w;
    return w;
  }

  /// The width of `n` up to the first place a line may break in it, and
  /// whether there is such a place.
  std::pair<unsigned, bool> lead(const Node &n) const {
    switch (n.kind) {
    case NodeKind::Tok: return {toks[n.tok].width, false};
    case NodeKind::List: return {toks[n.open].width, true};
    case NodeKind::Pipe: return {lead(n.kids.front()).first, true};
    case NodeKind::Seq: return leadFrom(n, 0);
    }
    return {0, false};
  }
  std::pair<unsigned, bool> leadFrom(const Node &n, size_t from) const {
    unsigned w = 0;
    for (size_t k = from; k < n.kids.size(); ++k) {
      if (k > 0)
        w = sum(w, n.space[k] + gapWidth(firstTok(n.kids[k])));
      auto [kw, stops] = lead(n.kids[k]);
      w = sum(w, kw);
      if (stops)
        return {w, true};
    }
    return {w, false};
  }

  // ------------------------------------------------------------ output

  bool atLineStart() const {
    size_t nl = out.rfind('\n');
    size_t start = nl == std::string::npos ? 0 : nl + 1;
    return out.find_first_not_of(' ', start) == std::string::npos;
  }
  unsigned lineIndent() const {
    size_t nl = out.rfind('\n');
    size_t start = nl == std::string::npos ? 0 : nl + 1;
    size_t first = out.find_first_not_of(' ', start);
    return static_cast<unsigned>((first == std::string::npos ? out.size() : first) - start);
  }
  void trimSpaces() {
    while (!out.empty() && out.back() == ' ')
      out.pop_back();
  }
  void newline(bool blank) {
    trimSpaces();
    if (out.empty())
      return;
    out += '\n';
    if (blank && out.size() >= 2 && out[out.size() - 2] != '\n')
      out += '\n';
    col = 0;
  }
  void indentTo(unsigned n) {
    out.append(n, ' ');
    col = n;
  }
  void put(llvm::StringRef s, unsigned w) {
    out += s.str();
    col += w;
  }

  /// Prints the gap before token `i`: its comments, then `want` (a line
  /// break indents comments by `commentIndent`, the token by `tokIndent`).
  void flush(uint32_t i, Sep want, unsigned commentIndent, unsigned tokIndent, unsigned blanks) {
    if (flushed == static_cast<int64_t>(i))
      return;
    while (next < i && toks[next].dropped)
      ++next;
    if (next != i)
      ok = false;
    flushed = i;
    const Tok &t = toks[i];
    bool first = true, mustBreak = false;
    for (size_t k = 0; k < t.comments.size(); ++k) {
      const Comment &c = t.comments[k];
      bool last = k + 1 == t.comments.size();
      if (!c.ownLine && !atLineStart()) {
        if (c.endsLine() || (last && want == Sep::Newline)) {
          trimSpaces(); // a trailing comment: `#` ones are aligned later
          if (c.isLine)
            trailMarks.push_back(out.size());
          put("  ", 2);
        } else if (out.back() != ' ' && out.back() != '(' && out.back() != '[') {
          put(" ", 1);
        }
      } else {
        newline((blanks & kBlankOk) && c.blankBefore && !(first && (blanks & kNoBlankFirst)));
        indentTo(commentIndent);
      }
      out += c.text;
      col = c.multiLine ? c.width : col + c.width;
      mustBreak = c.endsLine();
      first = false;
    }
    if (mustBreak || want == Sep::Newline) {
      newline((blanks & kBlankOk) && t.blankBefore && !(blanks & kNoBlankLast) &&
              !(first && (blanks & kNoBlankFirst)));
      indentTo(tokIndent);
    } else if (want == Sep::Space) {
      put(" ", 1);
    } else if (!first && !closesTight(t.type) && out.back() != ' ') {
      put(" ", 1); // after an inline comment
    }
  }
  static bool closesTight(size_t type) {
    using L = grammar::NetLexer;
    return type == L::RPAREN || type == L::RBRACK || type == L::COMMA;
  }

  void emit(uint32_t i) {
    unsigned ind = cont.back();
    flush(i, pend, ind, ind, 0);
    pend = Sep::None;
    put(toks[i].text, toks[i].width);
    next = i + 1;
  }
  /// Prints the gap before `n` first, to measure from where it starts.
  void flushBefore(const Node &n) {
    unsigned ind = cont.back();
    flush(firstTok(n), pend, ind, ind, 0);
    pend = Sep::None;
  }

  // ------------------------------------------------------------ layout

  void node(const Node &n, unsigned tail) {
    switch (n.kind) {
    case NodeKind::Tok: emit(n.tok); return;
    case NodeKind::Seq: return seq(n, tail);
    case NodeKind::List: return list(n, tail);
    case NodeKind::Pipe: return pipe(n, tail);
    }
  }

  void seq(const Node &n, unsigned tail) {
    for (size_t k = 0; k < n.kids.size(); ++k) {
      if (k)
        pend = n.space[k] ? Sep::Space : Sep::None;
      unsigned t = tail;
      if (k + 1 < n.kids.size()) {
        auto [w, stops] = leadFrom(n, k + 1);
        t = stops ? w : sum(w, tail);
      }
      node(n.kids[k], t);
    }
  }

  void list(const Node &n, unsigned tail) {
    flushBefore(n);
    unsigned ind = lineIndent();
    bool flat = col + flatWidth(n) + tail <= width;
    emit(n.open);
    size_t m = n.kids.size();
    unsigned closeW = toks[n.close].width + (n.trailingComma >= 0 ? 1 : 0);
    auto itemTail = [&](size_t k) { return k + 1 == m ? sum(closeW, tail) : 1u; };
    unsigned aligned = col, indented = ind + 2 * step;
    bool block = !flat && n.brokenAfterOpen;
    if (!flat && !block && indented < aligned)
      for (size_t k = 0; k < m && !block; ++k) {
        unsigned w = sum(flatWidth(n.kids[k]), itemTail(k));
        block = aligned + w > width && indented + w <= width;
      }
    cont.push_back(block ? indented : aligned);
    for (size_t k = 0; k < m; ++k) {
      if (k == 0) {
        pend = block ? Sep::Newline : Sep::None;
      } else if (flat) {
        pend = Sep::Space;
      } else {
        unsigned gap = gapWidth(firstTok(n.kids[k]));
        bool fits = col + 1 + sum(gap, sum(flatWidth(n.kids[k]), itemTail(k))) <= width;
        pend = n.rowBreak[k] || !fits ? Sep::Newline : Sep::Space;
      }
      node(n.kids[k], itemTail(k));
      if (k + 1 < m)
        emit(n.seps[k]);
    }
    if (n.trailingComma >= 0)
      emit(static_cast<uint32_t>(n.trailingComma));
    cont.back() = ind; // a comment before the closing bracket breaks the line
    emit(n.close);
    cont.pop_back();
  }

  void pipe(const Node &n, unsigned tail) {
    flushBefore(n);
    bool flat = col + flatWidth(n) + tail <= width;
    cont.push_back(col);
    for (size_t k = 0; k < n.kids.size(); ++k) {
      if (k) {
        pend = flat ? Sep::Space : Sep::Newline;
        emit(n.seps[k - 1]);
        pend = Sep::Space;
      }
      unsigned t = k + 1 == n.kids.size() ? tail : 0;
      if (flat && k + 1 < n.kids.size())
        t = 4 + lead(n.kids[k + 1]).first;
      node(n.kids[k], t);
    }
    cont.pop_back();
  }

  // ------------------------------------------------------------ statements

  /// Whether `s` may be printed on one line: each body written on one line
  /// in the source, with at most one simple statement and no comments.
  bool oneLineCandidate(const Stmt &s) const {
    if (s.isHardware)
      return false;
    for (const Part &p : s.parts) {
      const Body &b = *p.body;
      if (!b.oneLine || b.stmts.size() > 1 || !toks[b.close].comments.empty())
        return false;
      if (!b.stmts.empty() && (b.stmts[0].parts.front().body ||
                               !toks[firstTok(b.stmts[0].parts.front().head)].comments.empty()))
        return false;
    }
    return true;
  }
  unsigned oneLineWidth(const Stmt &s) const {
    unsigned w = 0;
    for (size_t k = 0; k < s.parts.size(); ++k) {
      const Part &p = s.parts[k];
      if (k)
        w = sum(w, 1 + gapWidth(firstTok(p.head)));
      w = sum(w, flatWidth(p.head) + 2 + gapWidth(p.body->open));
      w = sum(w, p.body->stmts.empty() ? 1 : 3 + flatWidth(p.body->stmts[0].parts.front().head));
    }
    return w;
  }

  void stmt(const Stmt &s, unsigned ind) {
    cont.push_back(ind + 2 * step);
    if (!s.parts.front().body) {
      node(s.parts.front().head, 0);
      cont.pop_back();
      return;
    }
    bool oneLine = oneLineCandidate(s) && col + oneLineWidth(s) <= width;
    for (size_t k = 0; k < s.parts.size(); ++k) {
      const Part &p = s.parts[k];
      const Body &b = *p.body;
      if (k) { // `else`, on the line of the `}` unless a comment ends that line
        pend = Sep::Space;
        cont.back() = ind;
        flushBefore(p.head);
        cont.back() = ind + 2 * step;
      }
      node(p.head, oneLine ? 0 : 2);
      pend = Sep::Space;
      cont.back() = ind; // a comment before the `{` puts it on the next line
      emit(b.open);
      cont.back() = ind + 2 * step;
      if (b.stmts.empty() && toks[b.close].comments.empty()) {
        emit(b.close); // {}
        continue;
      }
      if (oneLine) {
        pend = Sep::Space;
        node(b.stmts[0].parts.front().head, 2);
        pend = Sep::Space;
        emit(b.close);
        continue;
      }
      for (size_t i = 0; i < b.stmts.size(); ++i) {
        flush(firstTok(b.stmts[i].parts.front().head), Sep::Newline, ind + step, ind + step,
              kBlankOk | (i == 0 ? kNoBlankFirst : 0));
        stmt(b.stmts[i], ind + step);
      }
      flush(b.close, Sep::Newline, ind + step, ind,
            kBlankOk | kNoBlankLast | (b.stmts.empty() ? kNoBlankFirst : 0));
      emit(b.close);
    }
    cont.pop_back();
  }

  // ------------------------------------------------------------ comments

  /// Aligns the trailing `#` comments of consecutive lines of the same
  /// indentation in one column.
  void alignTrailingComments() {
    struct Mark {
      size_t offset, line;
      unsigned codeWidth, indent;
    };
    std::vector<Mark> marks;
    size_t line = 0, scanned = 0;
    for (size_t m : trailMarks) {
      line += static_cast<size_t>(std::count(out.begin() + scanned, out.begin() + m, '\n'));
      scanned = m;
      size_t start = out.rfind('\n', m ? m - 1 : 0);
      start = start == std::string::npos || m == 0 ? 0 : start + 1;
      unsigned w = 0;
      for (size_t i = start; i < m; ++i)
        w += (static_cast<unsigned char>(out[i]) & 0xC0) != 0x80;
      size_t code = out.find_first_not_of(' ', start);
      marks.push_back({m, line, w, static_cast<unsigned>(code - start)});
    }
    std::vector<unsigned> pad(marks.size(), 0);
    for (size_t i = 0; i < marks.size();) {
      size_t j = i + 1;
      while (j < marks.size() && marks[j].line == marks[j - 1].line + 1 &&
             marks[j].indent == marks[i].indent)
        ++j;
      unsigned target = 0;
      for (size_t k = i; k < j; ++k)
        target = std::max(target, marks[k].codeWidth);
      for (size_t k = i; k < j; ++k)
        pad[k] = target - marks[k].codeWidth;
      i = j;
    }
    for (size_t k = marks.size(); k-- > 0;)
      out.insert(marks[k].offset, pad[k], ' ');
  }

  const std::vector<Tok> &toks;
  unsigned width, step;
  std::string out;
  unsigned col = 0;
  uint32_t next = 0;     ///< the next token to print
  int64_t flushed = -1;  ///< the token whose gap was printed last
  bool ok = true;
  Sep pend = Sep::None;  ///< the separator before the next token
  std::vector<unsigned> cont{0}; ///< where a line inside an expression starts
  std::vector<size_t> trailMarks; ///< offsets of trailing comments' two spaces
};

} // namespace


bool printFile(const std::vector<Tok> &toks, const File &file, const FormatOptions &opts,
               std::string &out, std::string &why) {
  Printer p(toks, opts);
  return p.file(file, out, why);
}

} // namespace netc::syntax::format
