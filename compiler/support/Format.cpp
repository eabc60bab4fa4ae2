#include "support/Format.h"

#include <fmt/format.h>

#include <llvm/ADT/Sequence.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringMap.h>

#include <algorithm>
#include <cmath>
#include <optional>

namespace netc {

namespace {

/// Number of significant digits written in a fixed-point string.
int significantDigits(llvm::StringRef s) {
  int n = 0;
  bool started = false;
  for (char c : s) {
    if (c < '0' || c > '9')
      continue;
    started = started || c != '0';
    n += started;
  }
  return n;
}

/// v > 0 and finite, in fixed point with 3 significant digits (all integer
/// digits when v >= 1000); outside [1e-3, 1e6), where fixed point would run
/// to hundreds of digits (a profile of 1e-300 FLOP/s), in scientific
/// notation with 3 significant digits: "7.78e+136".
std::string fixedSig3(double v) {
  if (v < 1e-3 || v >= 1e6)
    return fmt::format("{:.2e}", v);
  int d = std::max(0, 2 - static_cast<int>(std::floor(std::log10(v))));
  std::string s = fmt::format("{:.{}f}", v, d);
  if (d > 0 && significantDigits(s) > 3) // rounding carried into a new digit
    s = fmt::format("{:.{}f}", v, d - 1);
  return s;
}

/// Scales v >= 1 by `base` until it is below it, then formats it with 3
/// significant digits; returns the digits and the index of the prefix used.
std::pair<std::string, size_t> scaled(double v, double base, size_t maxPrefix) {
  if (v >= 1000 * std::pow(base, static_cast<double>(maxPrefix))) // past the largest prefix
    return {fmt::format("{:.2e}", v), 0};
  size_t i = 0;
  while (v >= base && i < maxPrefix) {
    v /= base;
    ++i;
  }
  std::string t = fixedSig3(v);
  // 999.7 rounds to "1000": say 1.00 of the next prefix instead.
  if (i < maxPrefix && std::round(v) >= base) {
    v /= base;
    ++i;
    t = fixedSig3(v);
  }
  return {t, i};
}

const char *const kSiPrefix[] = {"", "k", "M", "G", "T", "P", "E"};
const char *const kBinPrefix[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
constexpr size_t kMaxPrefix = 6;

/// Inserts thousands separators into the integer part of a plain number.
std::string groupDigits(std::string s) {
  size_t begin = (!s.empty() && s[0] == '-') ? 1 : 0;
  size_t end = s.find('.');
  if (end == std::string::npos)
    end = s.size();
  std::string out = s.substr(0, begin);
  for (size_t i = begin; i < end; ++i) {
    if (i > begin && (end - i) % 3 == 0)
      out += ',';
    out += s[i];
  }
  out += s.substr(end);
  return out;
}

} // namespace

std::string withThousands(int64_t v) { return groupDigits(fmt::format("{}", v)); }

std::string withThousands(double v, int decimals) {
  if (!std::isfinite(v))
    return fmt::format("{}", v);
  // Beyond any real count, or so small it would print as 0: bounded width,
  // and never a silent zero.
  if (std::fabs(v) >= 1e15 || (v != 0 && std::fabs(v) < 0.5 * std::pow(10.0, -decimals)))
    return fmt::format("{:.{}e}", v, std::max(decimals, 2));
  return groupDigits(fmt::format("{:.{}f}", v, decimals));
}

std::string sig3(double v) {
  if (!std::isfinite(v))
    return fmt::format("{}", v);
  if (v == 0)
    return "0";
  if (v < 0)
    return "-" + fixedSig3(-v);
  return fixedSig3(v);
}

std::string siCount(double v) {
  if (!std::isfinite(v) || v < 0)
    return sig3(v);
  if (v < 1000)
    return fmt::format("{:.0f}", v);
  auto [digits, i] = scaled(v, 1000, kMaxPrefix);
  return digits + kSiPrefix[i];
}

std::string siBytes(double bytes) {
  if (!std::isfinite(bytes) || bytes < 0)
    return sig3(bytes) + " B";
  if (bytes < 1000)
    return fmt::format("{:.0f} B", bytes);
  auto [digits, i] = scaled(bytes, 1000, kMaxPrefix);
  return digits + " " + kSiPrefix[i] + "B";
}

std::string binaryBytes(double bytes) {
  if (!std::isfinite(bytes) || bytes < 0)
    return sig3(bytes) + " B";
  if (bytes < 1024)
    return fmt::format("{:.0f} B", bytes);
  auto [digits, i] = scaled(bytes, 1024, kMaxPrefix);
  return digits + " " + kBinPrefix[i] + "B";
}

std::string siRate(double v, llvm::StringRef unit) {
  if (!std::isfinite(v) || v < 1000)
    return sig3(v) + " " + unit.str();
  auto [digits, i] = scaled(v, 1000, kMaxPrefix);
  return digits + " " + kSiPrefix[i] + unit.str();
}

std::string humanTime(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0)
    return sig3(seconds) + " s";
  if (seconds == 0)
    return "0 s";
  static const char *const kUnits[] = {"ns", "us", "ms", "s"};
  size_t unit = seconds < 1e-6 ? 0 : seconds < 1e-3 ? 1 : seconds < 1 ? 2 : 3;
  double v = seconds * std::pow(1000.0, 3 - static_cast<int>(unit));
  std::string t = fixedSig3(v);
  if (unit < 3 && t == "1000") {
    ++unit;
    t = "1.00";
  }
  return t + " " + kUnits[unit];
}

std::string ratioText(double a, double b) {
  if (a == 0 || !std::isfinite(a) || !std::isfinite(b))
    return "-";
  // Three significant digits at every scale: 0.00704x, 0.0137x, 1.40x, 41.9x.
  return sig3(b / a) + "x";
}

std::string shortenRight(llvm::StringRef s, size_t width) {
  if (s.size() <= width)
    return s.str();
  if (width <= 3)
    return s.take_front(width).str();
  return s.take_front(width - 3).str() + "...";
}

namespace {

/// The forms a name longer than `width` may take, most readable first
/// (shortenNames says which): "..." stands for the dropped middle segments.
std::vector<std::string> shortForms(llvm::StringRef s, size_t width) {
  llvm::SmallVector<llvm::StringRef, 8> segs;
  s.split(segs, '.');
  const size_t n = segs.size();
  const size_t maxHead = std::min<size_t>(n - 1, 4); // bounds the forms of deep names
  // ends[i]: the length of the first i segments with their dots between.
  std::vector<size_t> ends(n + 1, 0);
  for (size_t i = 1; i <= n; ++i)
    ends[i] = ends[i - 1] + segs[i - 1].size() + (i > 1);
  auto head = [&](size_t h) { return s.take_front(ends[h]); };
  auto tail = [&](size_t t) { return s.take_back(s.size() - ends[n - t] - (n - t > 0)); };
  std::vector<std::string> whole, cut;
  for (size_t h : llvm::seq<size_t>(0, maxHead + 1)) {
    for (size_t t = 1; h + t < n; ++t)
      if (ends[h] + 3 + tail(t).size() <= width)
        whole.push_back(head(h).str() + "..." + tail(t).str());
    if (ends[h] + 3 < width) // the tail cut by characters, filling the width
      cut.push_back(head(h).str() + "..." + s.take_back(width - 3 - ends[h]).str());
  }
  // Forms that keep the first segment (the top-level block) first, the
  // longest first among them.
  std::stable_sort(whole.begin(), whole.end(), [](const std::string &a, const std::string &b) {
    bool aHead = a.compare(0, 3, "...") != 0, bHead = b.compare(0, 3, "...") != 0;
    return aHead != bHead ? aHead : a.size() > b.size();
  });
  // Cuts after a head of one segment first, the bare "..." cut last.
  if (!cut.empty())
    std::rotate(cut.begin(), cut.begin() + 1, cut.end());
  std::vector<std::string> forms;
  for (std::string &f : whole)
    if (std::find(forms.begin(), forms.end(), f) == forms.end())
      forms.push_back(std::move(f));
  for (std::string &f : cut)
    if (std::find(forms.begin(), forms.end(), f) == forms.end())
      forms.push_back(std::move(f));
  return forms;
}

/// shortenNames at exactly `width`, or nothing when some rows would still
/// show the same text.
std::optional<std::vector<std::string>> shortenAt(const std::vector<std::string> &names,
                                                  size_t width) {
  const size_t n = names.size();
  std::vector<std::vector<std::string>> forms(n);
  std::vector<size_t> pick(n, 0);
  std::vector<std::string> texts(names);
  for (size_t i = 0; i < n; ++i) {
    if (names[i].size() <= width)
      continue;
    forms[i] = shortForms(names[i], width);
    texts[i] = forms[i].front(); // never empty: "..." + the last characters fits
  }
  // Every row of a clash moves on to its next form, round by round; the
  // outcome does not depend on the order clashes are visited in.
  for (;;) {
    llvm::StringMap<llvm::SmallVector<size_t, 2>> rows;
    for (size_t i = 0; i < n; ++i)
      rows[texts[i]].push_back(i);
    bool clash = false;
    for (auto &entry : rows) {
      if (entry.second.size() < 2)
        continue;
      clash = true;
      bool moved = false;
      for (size_t i : entry.second) {
        if (pick[i] + 1 >= forms[i].size())
          continue;
        texts[i] = forms[i][++pick[i]];
        moved = true;
      }
      if (!moved)
        return std::nullopt;
    }
    if (!clash)
      return texts;
  }
}

} // namespace

ShortNames shortenNames(const std::vector<std::string> &names, size_t width) {
  size_t longest = 0;
  for (const std::string &s : names)
    longest = std::max(longest, s.size());
  for (size_t w = std::max<size_t>(width, 4);; ++w) {
    if (w >= longest)
      return {w, names};
    if (std::optional<std::vector<std::string>> texts = shortenAt(names, w))
      return {w, std::move(*texts)};
  }
}

std::string jsonString(llvm::StringRef s) {
  std::string out = "\"";
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += fmt::format("\\u{:04X}", u);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string jsonNumber(double v) {
  if (!std::isfinite(v))
    return "null";
  return fmt::format("{}", v);
}

std::string csvField(llvm::StringRef s) {
  if (s.find_first_of(",\"\r\n") == llvm::StringRef::npos)
    return s.str();
  std::string out = "\"";
  for (char c : s) {
    if (c == '"')
      out += '"';
    out += c;
  }
  return out + "\"";
}

std::string markdownEscape(llvm::StringRef s) {
  std::string out;
  for (char c : s) {
    if (llvm::StringRef("\\`*_[]<>|").contains(c))
      out += '\\';
    out += c;
  }
  return out;
}

} // namespace netc
