//===- SweepSpec.h - --sweep NAME=START:STOP:STEP | NAME=V1,V2 -*- C++ -*-===//
//
// `--sweep NAME=START:STOP:STEP` (a range) or `--sweep NAME=V1,V2,...` (a
// list), repeatable: the variants are the cartesian product of the values,
// in odometer order (the last --sweep varies fastest). The program is loaded
// once; each variant is elaborated with its values as -D overrides, optimized
// and costed (totals only: cost::buildTotals).
//
// Ranges use exact decimal arithmetic: START, STOP and STEP are read as
// decimals (an optional exponent too), the values are START + i*STEP for
// i = 0, 1, ... while <= STOP, computed on integers, so 0.25:1.5:0.25 gives
// exactly 0.25, 0.5, ..., 1.5 and STOP is included exactly when a step lands
// on it.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_DRIVER_SWEEPSPEC_H
#define NETC_DRIVER_SWEEPSPEC_H

#include "report/SweepWriter.h"

#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace netc::sweep {

/// A decimal number mantissa / 10^scale.
struct Decimal {
  int64_t mantissa = 0;
  unsigned scale = 0;
};

/// One --sweep.
struct SweepSpec {
  std::string text; ///< as given: "width=0.25:1.5:0.25"
  std::string name;
  bool isRange = false;
  // A range: the values are (start + i*step) / 10^scale, i < count.
  int64_t start = 0, step = 0;
  unsigned scale = 0;
  uint64_t count = 0;
  /// The range is written with a '.' or an exponent: its values print with
  /// at least one decimal ("1.0") unless the parameter is an int.
  bool floatText = false;
  bool integral = true; ///< every value of the range is an integer
  std::vector<std::string> list; ///< the list form's values, as written (trimmed)

  uint64_t size() const { return isRange ? count : list.size(); }
  /// The i-th value as -D text: an integer ("128"), a decimal with trailing
  /// zeros removed ("0.25", "1.0" when `asFloat`), or a list item as written.
  std::string value(uint64_t i, bool asFloat) const;
};

/// Reads "NAME=START:STOP:STEP" or "NAME=V1,V2,..."; an error message (a
/// usage error: malformed, zero or negative step, STOP below START, an empty
/// list item, a range of more than `maxValues` values) or nothing.
std::optional<std::string> parseSweepSpec(llvm::StringRef text, SweepSpec &out,
                                          uint64_t maxValues = 1'000'000);

/// Reads a decimal: [+-]digits[.digits][(e|E)[+-]digits], at most 18
/// significant digits and scale 18. On failure, `why` (when given) is set to
/// the reason when it is a limit ("is too large (...)"), and left as it was
/// when the text is not a decimal at all.
std::optional<Decimal> parseDecimal(llvm::StringRef s, std::string *why = nullptr);

/// The number of variants (the product of the sweeps' sizes), saturating at
/// UINT64_MAX.
uint64_t variantCount(const std::vector<SweepSpec> &specs);
/// The value indices of variant `k` in odometer order (the last spec fastest).
std::vector<uint64_t> variantIndices(const std::vector<SweepSpec> &specs, uint64_t k);

/// Marks the rows on the Pareto front of (latency, MACs), both minimized:
/// a successful row is on it when no other successful row is <= in both and
/// < in one. Equal points are all on it or all off it. Failed rows are off.
void markPareto(std::vector<report::SweepRow> &rows);

} // namespace netc::sweep

#endif
