//===- Builtins.h - the builtin functions of the .net language -*- C++ -*-===//
//
// min, max, abs, floor, ceil, round, int, float, str, len, range, enumerate,
// zip, make_divisible, channels, shape, assert. Each is declared once in
// Builtins.cpp with its parameter names (for keyword arguments).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SEMA_BUILTINS_H
#define NETC_SEMA_BUILTINS_H

#include "sema/Value.h"

#include <optional>
#include <string>

namespace netc::sema {

struct BuiltinSpec {
  const char *name;
  Builtin id;
  std::vector<const char *> params; ///< names, for keyword arguments
  size_t minArgs;
  bool variadic; ///< takes any number of positional arguments
};

const BuiltinSpec *lookupBuiltin(llvm::StringRef name);
const std::vector<BuiltinSpec> &allBuiltins();

struct BuiltinLimits {
  uint64_t maxRange;
};

/// Applies a builtin to arguments already bound to its parameters (`args[i]`
/// is parameter i, or none if not given; variadic builtins get them all).
/// Returns the value, or an error message in `error`.
Value callBuiltin(const BuiltinSpec &spec, const std::vector<Value> &args,
                  const std::vector<bool> &given, const ir::Graph &g,
                  const BuiltinLimits &limits, std::string &error);

} // namespace netc::sema

#endif
