//===- OptionTable.h - netc's options, internal to driver/ ------*- C++ -*-===//
//
// Options.cpp parses; OptionTable.cpp declares every option once (name,
// value, help text, how it sets Options), from which --help, the man page
// and the completions are generated; OptionRules.cpp holds the rules about
// options given together.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_DRIVER_OPTIONTABLE_H
#define NETC_DRIVER_OPTIONTABLE_H

#include "driver/Options.h"

#include <llvm/ADT/StringRef.h>

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace netc::options {

struct OptionSpec {
  const char *name;     ///< "--emit", "-I"
  const char *metavar;  ///< nullptr: a flag without a value
  const char *help;
  std::function<std::optional<std::string>(Options &, llvm::StringRef)> apply;
  /// Only -D, -I, --sweep and --compare-D may be given more than once; any
  /// other option with a value given twice is a usage error, never "the last
  /// one wins" (flags without a value may repeat: they say the same thing).
  bool repeatable = false;
};

/// Every option with a value or a flag, in --help order.
const std::vector<OptionSpec> &specs();

/// Whether the option `name` is among `seen` (the options given, by name).
inline bool given(const std::vector<llvm::StringRef> &seen, llvm::StringRef name) {
  return std::find(seen.begin(), seen.end(), name) != seen.end();
}

/// The rules about options given together (`seen`: their names, in order):
/// each returns the usage error, or nothing.
std::optional<std::string> checkSweep(const Options &o, const std::vector<llvm::StringRef> &seen);
std::optional<std::string> checkCompareAndOptReport(const Options &o,
                                                    const std::vector<llvm::StringRef> &seen);
std::optional<std::string> checkTableRows(const Options &o,
                                          const std::vector<llvm::StringRef> &seen);
/// netc measure's rules: --threads and --repeats need it; it reports layer
/// by layer in fp32, so neither --group-by, --depth, --max-batch nor another
/// --dtype.
std::optional<std::string> checkPhase(const Options &o, const std::vector<llvm::StringRef> &seen);
/// Sets the network arguments of the phase (seq, past) in the elaboration
/// options of the network and of --compare's; --generate makes the phase
/// Phase::Request. After checkPhase.
void applyPhase(Options &o);
std::optional<std::string> checkMeasure(const Options &o, const std::vector<llvm::StringRef> &seen);
std::optional<std::string> checkDot(const Options &o, const std::vector<llvm::StringRef> &seen);
std::optional<std::string> checkPassesAndOutput(const Options &o,
                                                const std::vector<llvm::StringRef> &seen);

} // namespace netc::options

#endif
