//===- HardwareUnits.cpp - the units of hardware declarations ---------------===//
//
// Units are strict: exactly the spellings listed below (case matters, so
// "Gb/s" - bits - is not "GB/s"), no "FLOPS" or "TOPS" without the "/s".
// Near misses get a suggestion.
//
//===----------------------------------------------------------------------===//
#include "sema/HardwareUnits.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace netc::sema {

using llvm::StringRef;

namespace {

struct UnitSpelling {
  const char *text;
  double scale;
  UnitKind kind;
};

/// Every accepted unit, grouped by kind, in the order error messages list them.
constexpr UnitSpelling kUnits[] = {
    // Compute rates: FLOP/s, and OP/s (the usual name for integer rates).
    {"FLOP/s", 1, UnitKind::FlopRate},
    {"kFLOP/s", 1e3, UnitKind::FlopRate},
    {"MFLOP/s", 1e6, UnitKind::FlopRate},
    {"GFLOP/s", 1e9, UnitKind::FlopRate},
    {"TFLOP/s", 1e12, UnitKind::FlopRate},
    {"PFLOP/s", 1e15, UnitKind::FlopRate},
    {"OP/s", 1, UnitKind::FlopRate},
    {"kOP/s", 1e3, UnitKind::FlopRate},
    {"MOP/s", 1e6, UnitKind::FlopRate},
    {"GOP/s", 1e9, UnitKind::FlopRate},
    {"TOP/s", 1e12, UnitKind::FlopRate},
    {"POP/s", 1e15, UnitKind::FlopRate},
    // Bytes per second: decimal (k and K both mean 1000) and binary prefixes.
    {"B/s", 1, UnitKind::ByteRate},
    {"kB/s", 1e3, UnitKind::ByteRate},
    {"KB/s", 1e3, UnitKind::ByteRate},
    {"MB/s", 1e6, UnitKind::ByteRate},
    {"GB/s", 1e9, UnitKind::ByteRate},
    {"TB/s", 1e12, UnitKind::ByteRate},
    {"KiB/s", 1024.0, UnitKind::ByteRate},
    {"MiB/s", 1024.0 * 1024, UnitKind::ByteRate},
    {"GiB/s", 1024.0 * 1024 * 1024, UnitKind::ByteRate},
    {"TiB/s", 1024.0 * 1024 * 1024 * 1024, UnitKind::ByteRate},
    // Sizes in bytes, with the same prefixes.
    {"B", 1, UnitKind::Bytes},
    {"kB", 1e3, UnitKind::Bytes},
    {"KB", 1e3, UnitKind::Bytes},
    {"MB", 1e6, UnitKind::Bytes},
    {"GB", 1e9, UnitKind::Bytes},
    {"TB", 1e12, UnitKind::Bytes},
    {"KiB", 1024.0, UnitKind::Bytes},
    {"MiB", 1024.0 * 1024, UnitKind::Bytes},
    {"GiB", 1024.0 * 1024 * 1024, UnitKind::Bytes},
    {"TiB", 1024.0 * 1024 * 1024 * 1024, UnitKind::Bytes},
};

/// Times, for layer_overhead only: kept out of kUnits, so that parseUnit (and
/// every other field) still refuses "s".
constexpr UnitSpelling kTimeUnits[] = {
    {"s", 1, UnitKind::Seconds},
    {"ms", 1e-3, UnitKind::Seconds},
    {"us", 1e-6, UnitKind::Seconds},
    {"ns", 1e-9, UnitKind::Seconds},
};

} // namespace

std::optional<Unit> parseTimeUnit(StringRef text) {
  for (const UnitSpelling &u : kTimeUnits)
    if (text == u.text)
      return Unit{u.scale, u.kind};
  return std::nullopt;
}

const char *describe(UnitKind k) {
  switch (k) {
  case UnitKind::FlopRate:
    return "a compute rate";
  case UnitKind::ByteRate:
    return "bytes per second";
  case UnitKind::Bytes:
    return "a size in bytes";
  case UnitKind::Seconds:
    return "a time";
  case UnitKind::Ratio:
    return "a plain number";
  }
  return "a quantity";
}

std::optional<Unit> parseUnit(llvm::StringRef text) {
  for (const UnitSpelling &u : kUnits)
    if (text == u.text)
      return Unit{u.scale, u.kind};
  return std::nullopt;
}

std::string acceptedUnits(UnitKind kind) {
  std::string s;
  if (kind == UnitKind::Seconds)
    for (const UnitSpelling &u : kTimeUnits)
      s += (s.empty() ? "" : ", ") + std::string(u.text);
  for (const UnitSpelling &u : kUnits)
    if (u.kind == kind)
      s += (s.empty() ? "" : ", ") + std::string(u.text);
  return s;
}

/// Lower-cased, without '/': "GFLOPS", "gflop/s" and "GFLOP/s" all compare
/// equal to "gflops".
static std::string loose(StringRef s) {
  std::string out;
  for (char c : s)
    if (c != '/')
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

/// The error for a unit parseUnit does not know.
std::string unknownUnitMessage(StringRef unit, StringRef field, UnitKind kind) {
  // Bits are the commonest slip: say so rather than silently suggest bytes.
  std::string asBytes = unit.str();
  std::replace(asBytes.begin(), asBytes.end(), 'b', 'B');
  if (asBytes != unit && parseUnit(asBytes))
    return fmt::format("unknown unit '{}': netc counts bytes (B), not bits (b); 8 bits are "
                       "1 byte, so for example 8 Gb/s is 1 GB/s",
                       unit.str());
  // A case or spelling variant of a known unit: suggest it, preferring one of
  // the kind the field wants.
  const UnitSpelling *best = nullptr;
  for (const UnitSpelling &u : kUnits)
    if (loose(u.text) == loose(unit) && (!best || (best->kind != kind && u.kind == kind)))
      best = &u;
  if (best)
    return fmt::format("unknown unit '{}'; did you mean '{}'?", unit.str(), best->text);
  return fmt::format("unknown unit '{}' ({} takes {}: {})", unit.str(), field.str(),
                     describe(kind), acceptedUnits(kind));
}

} // namespace netc::sema
