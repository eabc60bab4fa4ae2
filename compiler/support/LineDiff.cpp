//===- LineDiff.cpp - a unified diff of two texts -------------------------===//

#include "support/LineDiff.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace netc {

namespace {

struct Line {
  llvm::StringRef text;
  bool newline = true; ///< false for a last line without '\n'
  bool operator==(const Line &o) const { return text == o.text && newline == o.newline; }
};

std::vector<Line> splitLines(llvm::StringRef s) {
  std::vector<Line> lines;
  while (!s.empty()) {
    size_t nl = s.find('\n');
    if (nl == llvm::StringRef::npos) {
      lines.push_back({s, false});
      break;
    }
    lines.push_back({s.substr(0, nl), true});
    s = s.substr(nl + 1);
  }
  return lines;
}

struct Op {
  char tag;          ///< ' ', '-' or '+'
  const Line *line;
  size_t a, b;       ///< lines of each side before this one
};

constexpr size_t kMaxPairs = 4u << 20;

/// The edit script turning a[lo, ahi) into b[lo, bhi).
void middle(const std::vector<Line> &a, const std::vector<Line> &b, size_t lo, size_t ahi,
            size_t bhi, std::vector<Op> &ops) {
  size_t n = ahi - lo, m = bhi - lo;
  auto push = [&](char tag, const Line &l, size_t i, size_t j) { ops.push_back({tag, &l, i, j}); };
  if (n * m > kMaxPairs || n == 0 || m == 0) {
    for (size_t i = 0; i < n; ++i)
      push('-', a[lo + i], lo + i, lo);
    for (size_t j = 0; j < m; ++j)
      push('+', b[lo + j], ahi, lo + j);
    return;
  }
  // len[i][j]: the LCS of a[lo+i..] and b[lo+j..].
  std::vector<uint32_t> len((n + 1) * (m + 1), 0);
  auto at = [&](size_t i, size_t j) -> uint32_t & { return len[i * (m + 1) + j]; };
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      at(i, j) = a[lo + i] == b[lo + j] ? at(i + 1, j + 1) + 1
                                         : std::max(at(i + 1, j), at(i, j + 1));
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[lo + i] == b[lo + j]) {
      push(' ', a[lo + i], lo + i, lo + j);
      ++i, ++j;
    } else if (j == m || (i < n && at(i + 1, j) >= at(i, j + 1))) {
      push('-', a[lo + i], lo + i, lo + j);
      ++i;
    } else {
      push('+', b[lo + j], lo + i, lo + j);
      ++j;
    }
  }
}

} // namespace

std::string unifiedDiff(llvm::StringRef before, llvm::StringRef after, llvm::StringRef oldName,
                        llvm::StringRef newName, unsigned context) {
  if (before == after)
    return "";
  std::vector<Line> a = splitLines(before), b = splitLines(after);
  size_t pre = 0;
  while (pre < a.size() && pre < b.size() && a[pre] == b[pre])
    ++pre;
  size_t suf = 0;
  while (suf < a.size() - pre && suf < b.size() - pre &&
         a[a.size() - 1 - suf] == b[b.size() - 1 - suf])
    ++suf;
  std::vector<Op> ops;
  for (size_t i = 0; i < pre; ++i)
    ops.push_back({' ', &a[i], i, i});
  middle(a, b, pre, a.size() - suf, b.size() - suf, ops);
  for (size_t k = suf; k-- > 0;)
    ops.push_back({' ', &a[a.size() - 1 - k], a.size() - 1 - k, b.size() - 1 - k});

  std::string out = fmt::format("--- {}\n+++ {}\n", oldName.str(), newName.str());
  size_t i = 0;
  while (i < ops.size()) {
    while (i < ops.size() && ops[i].tag == ' ')
      ++i;
    if (i == ops.size())
      break;
    size_t start = i >= context ? i - context : 0;
    size_t end = i; // one past the last change of the hunk
    for (;;) {
      while (end < ops.size() && ops[end].tag != ' ')
        ++end;
      size_t k = end;
      while (k < ops.size() && ops[k].tag == ' ' && k - end <= 2 * context)
        ++k;
      if (k < ops.size() && ops[k].tag != ' ' && k - end <= 2 * context) {
        end = k;
        continue;
      }
      break;
    }
    size_t stop = std::min(ops.size(), end + context);
    size_t na = 0, nb = 0;
    for (size_t k = start; k < stop; ++k) {
      na += ops[k].tag != '+';
      nb += ops[k].tag != '-';
    }
    size_t la = ops[start].a + (na ? 1 : 0), lb = ops[start].b + (nb ? 1 : 0);
    auto range = [](size_t first, size_t n) {
      return n == 1 ? std::to_string(first) : fmt::format("{},{}", first, n); // as diff -u
    };
    out += fmt::format("@@ -{} +{} @@\n", range(la, na), range(lb, nb));
    for (size_t k = start; k < stop; ++k) {
      out += ops[k].tag;
      out += ops[k].line->text.str();
      out += '\n';
      if (!ops[k].line->newline)
        out += "\\ No newline at end of file\n";
    }
    i = stop;
  }
  return out;
}

} // namespace netc
