//===- Format.h - number and text formatting for the reports ----*- C++ -*-===//
//
// Locale-free helpers shared by the report writers. Human-readable forms use
// 3 significant digits and decimal SI prefixes (k, M, G, T, P, E); exact
// forms use thousands separators. Everything is ASCII so that a string's size
// is its width in terminal columns.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SUPPORT_FORMAT_H
#define NETC_SUPPORT_FORMAT_H

#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <string>
#include <vector>

namespace netc {

/// 1234567 -> "1,234,567"; -1234 -> "-1,234".
std::string withThousands(int64_t v);
/// A non-negative real with `decimals` digits after the point and thousands
/// separators in the integer part: 12345.678, 1 -> "12,345.7".
std::string withThousands(double v, int decimals);

/// 3 significant digits, no prefix: 12.345 -> "12.3", 0.25 -> "0.250",
/// 1234.5 -> "1235" (values of 1000 and more keep all integer digits).
std::string sig3(double v);
/// A count with an SI prefix: 999 -> "999", 1234 -> "1.23k", 118013952 ->
/// "118M". Counts below 1000 are exact.
std::string siCount(double v);
/// Bytes, decimal prefixes: 999 -> "999 B", 1234 -> "1.23 kB", 3.5e6 -> "3.50 MB".
std::string siBytes(double bytes);
/// Bytes, binary prefixes: 137438953472 -> "128 GiB".
std::string binaryBytes(double bytes);
/// A rate with an SI prefix before `unit`: (9.6e11, "FLOP/s") -> "960 GFLOP/s".
std::string siRate(double v, llvm::StringRef unit);
/// Seconds in ns, us, ms or s: 1.234e-3 -> "1.23 ms", 0 -> "0 s".
std::string humanTime(double seconds);
/// The ratio b/a as "1.40x"; "-" when a is 0 (or either is not finite).
std::string ratioText(double a, double b);

/// Shortens `s` to at most `width` characters by replacing its end with "...".
std::string shortenRight(llvm::StringRef s, size_t width);

/// The texts a column of distinct hierarchical names shows (shortenNames).
struct ShortNames {
  size_t width = 0; ///< the column's width: the one asked for, or wider
  std::vector<std::string> texts; ///< one per name, in order
};
/// Shortens every name longer than `width` so that no two rows show the same
/// text. Middle segments go first: a long name tries, in order, its first
/// segments (up to 4), "..." and whole trailing segments, longest first
/// ("layer3.bottleneck_2...conv2d", "layer3...conv_bn_act_1.conv2d"); then
/// "..." and whole trailing segments; then a tail cut by characters after
/// the first 1 to 4 segments ("layer3...act_2.conv2d"), and after none.
/// Rows that would show the same text move on to their next form; when
/// every form of a clash is used up, the column widens by one and all start
/// again. Names must be distinct; `width` below 4 counts as 4.
ShortNames shortenNames(const std::vector<std::string> &names, size_t width);

/// A JSON string literal (RFC 8259): quotes, backslashes and control
/// characters escaped (controls as \u00XX).
std::string jsonString(llvm::StringRef s);
/// A JSON number that reads back to the same double; null when not finite.
std::string jsonNumber(double v);
/// A CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF,
/// with quotes doubled.
std::string csvField(llvm::StringRef s);
/// Text for a GitHub Markdown table cell: Markdown punctuation and '|' escaped.
std::string markdownEscape(llvm::StringRef s);

} // namespace netc

#endif
