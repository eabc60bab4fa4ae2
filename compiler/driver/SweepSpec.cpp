//===- SweepSpec.cpp - --sweep values: exact decimal ranges and lists --------===//
#include "driver/SweepSpec.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <numeric>

namespace netc::sweep {

namespace {

constexpr unsigned kMaxScale = 18;
constexpr int64_t kMaxMantissa = 999'999'999'999'999'999; // 18 digits

int64_t pow10(unsigned n) {
  int64_t p = 1;
  while (n--)
    p *= 10;
  return p;
}

/// `d` at the larger scale `scale`; nothing when it does not fit.
std::optional<int64_t> rescale(const Decimal &d, unsigned scale) {
  __int128 v = static_cast<__int128>(d.mantissa) * pow10(scale - d.scale);
  if (v > kMaxMantissa || v < -kMaxMantissa)
    return std::nullopt;
  return static_cast<int64_t>(v);
}

std::string formatScaled(int64_t v, unsigned scale, bool asFloat) {
  std::string s = std::to_string(v < 0 ? -static_cast<uint64_t>(v) : static_cast<uint64_t>(v));
  std::string intPart, frac;
  if (scale == 0) {
    intPart = s;
  } else {
    if (s.size() <= scale)
      s = std::string(scale + 1 - s.size(), '0') + s;
    intPart = s.substr(0, s.size() - scale);
    frac = s.substr(s.size() - scale);
    while (!frac.empty() && frac.back() == '0')
      frac.pop_back();
  }
  if (frac.empty() && asFloat)
    frac = "0";
  std::string out = (v < 0 ? "-" : "") + intPart;
  return frac.empty() ? out : out + "." + frac;
}

} // namespace

std::optional<Decimal> parseDecimal(llvm::StringRef s, std::string *why) {
  auto fail = [&](const char *reason) -> std::optional<Decimal> {
    if (why)
      *why = reason;
    return std::nullopt;
  };
  Decimal d;
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-'))
    negative = s[i++] == '-';
  __int128 mant = 0;
  int digits = 0, scale = 0;
  bool seenDigit = false, seenPoint = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.' && !seenPoint) {
      seenPoint = true;
      continue;
    }
    if (c < '0' || c > '9')
      break;
    seenDigit = true;
    if (mant != 0 || c != '0')
      ++digits;
    mant = mant * 10 + (c - '0');
    if (seenPoint)
      ++scale;
    if (digits > 18)
      return fail("has more than 18 significant digits");
  }
  if (!seenDigit)
    return std::nullopt;
  int exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool expNeg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
      expNeg = s[i++] == '-';
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 4)
      exponent = exponent * 10 + (s[i++] - '0');
    if (i == start)
      return std::nullopt;
    if (expNeg)
      exponent = -exponent;
  }
  if (i != s.size())
    return std::nullopt;
  scale -= exponent;
  // Drop trailing zeros of the fraction, then bring a negative scale to 0.
  while (scale > 0 && mant % 10 == 0 && mant != 0) {
    mant /= 10;
    --scale;
  }
  if (mant == 0)
    scale = 0;
  while (scale < 0) {
    mant *= 10;
    ++scale;
    if (mant > kMaxMantissa)
      return fail("is too large (at most 18 digits before the point)");
  }
  if (scale > static_cast<int>(kMaxScale))
    return fail("has too many decimal places (at most 18)");
  if (mant > kMaxMantissa)
    return fail("is too large (at most 18 digits before the point)");
  d.mantissa = static_cast<int64_t>(negative ? -mant : mant);
  d.scale = static_cast<unsigned>(scale);
  return d;
}

std::string SweepSpec::value(uint64_t i, bool asFloat) const {
  if (!isRange)
    return list[i];
  return formatScaled(start + static_cast<int64_t>(i) * step, scale, asFloat);
}

std::optional<std::string> parseSweepSpec(llvm::StringRef text, SweepSpec &out,
                                          uint64_t maxValues) {
  out = SweepSpec();
  out.text = text.str();
  auto [name, rest] = text.split('=');
  name = name.trim();
  rest = rest.trim();
  if (!text.contains('=') || name.empty() || rest.empty())
    return fmt::format("--sweep expects NAME=START:STOP:STEP or NAME=V1,V2,..., got '{}'",
                       text.str());
  out.name = name.str();
  if (rest.contains(':')) {
    llvm::SmallVector<llvm::StringRef, 4> parts;
    rest.split(parts, ':');
    if (parts.size() != 3)
      return fmt::format("--sweep {}: a range is START:STOP:STEP, got '{}'", out.name,
                         rest.str());
    Decimal d[3];
    const char *what[3] = {"start", "stop", "step"};
    for (int k = 0; k < 3; ++k) {
      std::string why = "is not a decimal number";
      std::optional<Decimal> v = parseDecimal(parts[k].trim(), &why);
      if (!v)
        return fmt::format("--sweep {}: {} '{}' {}", out.name, what[k], parts[k].trim().str(),
                           why);
      d[k] = *v;
      out.floatText |= parts[k].contains('.') || parts[k].contains_insensitive("e");
    }
    out.isRange = true;
    out.scale = std::max({d[0].scale, d[1].scale, d[2].scale});
    std::optional<int64_t> a = rescale(d[0], out.scale), b = rescale(d[1], out.scale),
                           st = rescale(d[2], out.scale);
    if (!a || !b || !st)
      return fmt::format("--sweep {}: '{}' has too many digits", out.name, rest.str());
    if (*st <= 0)
      return fmt::format("--sweep {}: the step must be positive, got '{}'", out.name,
                         parts[2].trim().str());
    if (*b < *a)
      return fmt::format("--sweep {}: stop {} is below start {}", out.name,
                         parts[1].trim().str(), parts[0].trim().str());
    out.start = *a;
    out.step = *st;
    out.count = static_cast<uint64_t>((*b - *a) / *st) + 1;
    const int64_t unit = pow10(out.scale);
    out.integral = out.start % unit == 0 && (out.count == 1 || out.step % unit == 0);
  } else {
    llvm::SmallVector<llvm::StringRef, 8> items;
    rest.split(items, ',');
    for (llvm::StringRef item : items) {
      if (item.trim().empty())
        return fmt::format("--sweep {}: empty value in the list '{}'", out.name, rest.str());
      out.list.push_back(item.trim().str());
    }
  }
  if (out.size() > maxValues)
    return fmt::format("--sweep {}: {} values, more than the limit of {} (--max-variants)",
                       out.name, out.size(), maxValues);
  return std::nullopt;
}

uint64_t variantCount(const std::vector<SweepSpec> &specs) {
  uint64_t n = 1;
  for (const SweepSpec &s : specs) {
    uint64_t k = s.size();
    if (k != 0 && n > std::numeric_limits<uint64_t>::max() / k)
      return std::numeric_limits<uint64_t>::max();
    n *= k;
  }
  return n;
}

std::vector<uint64_t> variantIndices(const std::vector<SweepSpec> &specs, uint64_t k) {
  std::vector<uint64_t> idx(specs.size());
  for (size_t i = specs.size(); i-- > 0;) {
    idx[i] = k % specs[i].size();
    k /= specs[i].size();
  }
  return idx;
}

void markPareto(std::vector<report::SweepRow> &rows) {
  std::vector<size_t> order;
  for (size_t i = 0; i < rows.size(); ++i) {
    rows[i].pareto = false;
    if (rows[i].ok)
      order.push_back(i);
  }
  // By MACs, then latency; a group of equal MACs is on the front at its
  // lowest latency when that beats every group of fewer MACs.
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const cost::Totals &x = rows[a].totals, &y = rows[b].totals;
    return x.macs != y.macs ? x.macs < y.macs : x.latency < y.latency;
  });
  double best = std::numeric_limits<double>::infinity();
  for (size_t g = 0; g < order.size();) {
    size_t end = g;
    const int64_t macs = rows[order[g]].totals.macs;
    while (end < order.size() && rows[order[end]].totals.macs == macs)
      ++end;
    const double lowest = rows[order[g]].totals.latency;
    if (lowest < best) {
      for (size_t k = g; k < end && rows[order[k]].totals.latency == lowest; ++k)
        rows[order[k]].pareto = true;
      best = lowest;
    }
    g = end;
  }
}

} // namespace netc::sweep
