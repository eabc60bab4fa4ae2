//===- Builtins.h - the builtin functions of the .net language -*- C++ -*-===//
//
// min, max, abs, floor, ceil, round, int, float, str, len, range, enumerate,
// zip, make_divisible, channels, shape, assert, log, log2, exp, sqrt, sum,
// mean, print. Each is declared once in Builtins.cpp with its parameter names
// (for keyword arguments).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SEMA_BUILTINS_H
#define NETC_SEMA_BUILTINS_H

#include "sema/Value.h"

#include <llvm/ADT/STLFunctionalExtras.h>

#include <cstdint>
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

/// What builtins use besides their arguments.
struct BuiltinEnv {
  uint64_t maxRange;
  /// Where print() writes its line: its values as str() formats them,
  /// separated by spaces.
  llvm::function_ref<void(const std::string &line)> print;
};

/// Why a builtin call failed.
struct BuiltinError {
  std::string message; ///< empty: no error
  /// The argument the error is about (an index into the call's `args`): the
  /// error points at it. npos: at the call.
  size_t arg = npos;
  static constexpr size_t npos = SIZE_MAX;
};

/// Applies a builtin to arguments already bound to its parameters (`args[i]`
/// is parameter i, or none if not given; variadic builtins get them all).
/// Returns the value, or the error in `error`.
Value callBuiltin(const BuiltinSpec &spec, const std::vector<Value> &args,
                  const std::vector<bool> &given, const ir::Graph &g,
                  const BuiltinEnv &env, BuiltinError &error);

} // namespace netc::sema

#endif
