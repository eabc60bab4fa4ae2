#include "sema/Builtins.h"

#include "support/Checked.h"

#include <fmt/format.h>

#include <cmath>

namespace netc::sema {

const std::vector<BuiltinSpec> &allBuiltins() {
  static const std::vector<BuiltinSpec> specs = {
      {"min", Builtin::Min, {}, 1, true},
      {"max", Builtin::Max, {}, 1, true},
      {"abs", Builtin::Abs, {"x"}, 1, false},
      {"floor", Builtin::Floor, {"x"}, 1, false},
      {"ceil", Builtin::Ceil, {"x"}, 1, false},
      {"round", Builtin::Round, {"x"}, 1, false},
      {"int", Builtin::Int, {"x"}, 1, false},
      {"float", Builtin::Float, {"x"}, 1, false},
      {"str", Builtin::Str, {"x"}, 1, false},
      {"len", Builtin::Len, {"x"}, 1, false},
      {"range", Builtin::Range, {"start", "stop", "step"}, 1, false},
      {"enumerate", Builtin::Enumerate, {"xs"}, 1, false},
      {"zip", Builtin::Zip, {}, 1, true},
      {"make_divisible", Builtin::MakeDivisible, {"v", "divisor", "min_value"}, 1, false},
      {"channels", Builtin::Channels, {"x"}, 1, false},
      {"shape", Builtin::Shape, {"x"}, 1, false},
      {"assert", Builtin::Assert, {"cond", "message"}, 1, false},
      {"log", Builtin::Log, {"x"}, 1, false},
      {"log2", Builtin::Log2, {"x"}, 1, false},
      {"exp", Builtin::Exp, {"x"}, 1, false},
      {"sqrt", Builtin::Sqrt, {"x"}, 1, false},
      {"sum", Builtin::Sum, {"xs"}, 1, false},
      {"mean", Builtin::Mean, {"xs"}, 1, false},
      {"print", Builtin::Print, {}, 0, true},
  };
  return specs;
}

const BuiltinSpec *lookupBuiltin(llvm::StringRef name) {
  for (const BuiltinSpec &s : allBuiltins())
    if (name == s.name)
      return &s;
  return nullptr;
}

namespace {

using K = Value::Kind;

bool toInt64(double d, int64_t &out) {
  if (!std::isfinite(d) || d < -9.2e18 || d > 9.2e18)
    return false;
  out = static_cast<int64_t>(d);
  return true;
}

/// min/max over arguments or over one list.
Value minMax(bool isMax, const std::vector<Value> &args, std::string &err) {
  const std::vector<Value> *xs = &args;
  if (args.size() == 1 && args[0].isSequence())
    xs = &args[0].items();
  if (xs->empty()) {
    err = "needs at least one value";
    return {};
  }
  Value best = (*xs)[0];
  for (const Value &v : *xs) {
    if (!v.isNumber()) {
      err = fmt::format("expects numbers, got {}", kindName(v.kind));
      return {};
    }
    if (isMax ? v.asDouble() > best.asDouble() : v.asDouble() < best.asDouble())
      best = v;
  }
  return best;
}

Value roundLike(Builtin id, const Value &x, std::string &err) {
  if (x.kind == K::Int)
    return x;
  if (x.kind != K::Float) {
    err = fmt::format("expects a number, got {}", kindName(x.kind));
    return {};
  }
  double r = id == Builtin::Floor ? std::floor(x.f)
             : id == Builtin::Ceil ? std::ceil(x.f)
             : id == Builtin::Int  ? std::trunc(x.f)
                                   : std::nearbyint(x.f); // half to even, as Python's round
  int64_t out;
  if (!toInt64(r, out)) {
    err = fmt::format("{} does not fit in a 64-bit int", formatValue(x));
    return {};
  }
  return Value::ofInt(out);
}

Value range(const std::vector<Value> &args, const std::vector<bool> &given, uint64_t maxRange,
            std::string &err) {
  for (size_t k = 0; k < 3; ++k)
    if (given[k] && args[k].kind != K::Int) {
      err = fmt::format("expects ints, got {}", kindName(args[k].kind));
      return {};
    }
  int64_t start = 0, stop, step = 1;
  if (!given[1]) {
    stop = args[0].i;
  } else {
    start = args[0].i;
    stop = args[1].i;
  }
  if (given[2])
    step = args[2].i;
  if (step == 0) {
    err = "step must not be zero";
    return {};
  }
  // Count without overflow: the number of k >= 0 with start + k*step in range.
  __int128 span = static_cast<__int128>(stop) - start;
  __int128 count = 0;
  if ((step > 0 && span > 0) || (step < 0 && span < 0))
    count = (span + (step > 0 ? step - 1 : step + 1)) / step;
  if (count > static_cast<__int128>(maxRange)) {
    err = fmt::format("would have {} elements, more than the limit of {}",
                      static_cast<int64_t>(count), maxRange);
    return {};
  }
  ValueList xs;
  xs.reserve(static_cast<size_t>(count));
  for (__int128 k = 0; k < count; ++k)
    xs.push_back(Value::ofInt(static_cast<int64_t>(start + k * step)));
  return Value::ofList(std::move(xs));
}

/// torchvision's _make_divisible: round v to the nearest multiple of
/// divisor, at least min_value (default divisor), and never below 90% of v.
Value makeDivisible(const std::vector<Value> &args, const std::vector<bool> &given,
                    std::string &err) {
  if (!args[0].isNumber()) {
    err = fmt::format("expects a number, got {}", kindName(args[0].kind));
    return {};
  }
  int64_t divisor = 8;
  if (given[1]) {
    if (args[1].kind != K::Int || args[1].i <= 0) {
      err = "divisor must be a positive int";
      return {};
    }
    divisor = args[1].i;
  }
  int64_t minValue = divisor;
  if (given[2] && args[2].kind != K::None) {
    if (args[2].kind != K::Int) {
      err = "min_value must be an int";
      return {};
    }
    minValue = args[2].i;
  }
  double v = args[0].asDouble();
  int64_t t;
  if (!toInt64(std::trunc(v + static_cast<double>(divisor) / 2), t)) {
    err = fmt::format("{} is out of range", formatValue(args[0]));
    return {};
  }
  int64_t newV = std::max(minValue, floorDiv(t, divisor) * divisor);
  if (static_cast<double>(newV) < 0.9 * v)
    newV += divisor;
  return Value::ofInt(newV);
}

/// log, log2, exp and sqrt of an int or a float, as a float, as Python's math
/// module computes them: a value outside the domain, or a finite value whose
/// exp overflows, is an error (nan passes through).
Value mathFn(Builtin id, const Value &x, std::string &err) {
  if (!x.isNumber()) {
    err = fmt::format("expects a number, got {}", kindName(x.kind));
    return {};
  }
  const double v = x.asDouble();
  if ((id == Builtin::Log || id == Builtin::Log2) && v <= 0) {
    err = fmt::format("needs a number > 0, got {}", formatValue(x));
    return {};
  }
  if (id == Builtin::Sqrt && v < 0) {
    err = fmt::format("needs a number >= 0, got {}", formatValue(x));
    return {};
  }
  const double r = id == Builtin::Log    ? std::log(v)
                   : id == Builtin::Log2 ? std::log2(v)
                   : id == Builtin::Sqrt ? std::sqrt(v)
                                         : std::exp(v);
  if (std::isinf(r) && std::isfinite(v)) {
    err = fmt::format("exp({}) overflows a float", formatValue(x));
    return {};
  }
  return Value::ofFloat(r);
}

/// sum (of ints: an int, overflow checked; with any float: a float) or mean
/// (always a float) of a list or tuple of numbers. Floats are summed with
/// Neumaier's compensation, as Python's sum (3.12 on): sum([0.1] * 10) is 1.0.
Value sumOrMean(bool mean, const Value &xs, std::string &err) {
  if (!xs.isSequence()) {
    err = fmt::format("expects a list or tuple of numbers, got {}", kindName(xs.kind));
    return {};
  }
  const ValueList &items = xs.items();
  bool floats = mean;
  for (size_t k = 0; k < items.size(); ++k) {
    if (!items[k].isNumber()) {
      err = fmt::format("element {} is {}, not a number", k, kindName(items[k].kind));
      return {};
    }
    floats |= items[k].kind == K::Float;
  }
  if (mean && items.empty()) {
    err = "needs at least one value";
    return {};
  }
  if (!floats) {
    int64_t total = 0;
    for (size_t k = 0; k < items.size(); ++k) {
      std::optional<int64_t> next = checkedAdd(total, items[k].i);
      if (!next) {
        err = fmt::format("integer overflow at element {} ({} + {})", k, total, items[k].i);
        return {};
      }
      total = *next;
    }
    return Value::ofInt(total);
  }
  double total = 0, compensation = 0;
  for (const Value &item : items) {
    const double x = item.asDouble(), t = total + x;
    compensation += std::fabs(total) >= std::fabs(x) ? (total - t) + x : (x - t) + total;
    total = t;
  }
  if (std::isfinite(compensation))
    total += compensation;
  return Value::ofFloat(mean ? total / static_cast<double>(items.size()) : total);
}

/// A value as str() makes it: a string itself, anything else as written.
std::string strOf(const Value &x, const ir::Graph &g) {
  return x.kind == K::Str ? *x.str : formatValue(x, &g);
}

} // namespace

Value callBuiltin(const BuiltinSpec &spec, const std::vector<Value> &args,
                  const std::vector<bool> &given, const ir::Graph &g,
                  const BuiltinEnv &env, BuiltinError &error) {
  const Value &x = args.empty() ? Value() : args[0];
  std::string &err = error.message;
  switch (spec.id) {
  case Builtin::Min:
  case Builtin::Max:
    return minMax(spec.id == Builtin::Max, args, err);
  case Builtin::Abs:
    if (x.kind == K::Int) {
      if (x.i == INT64_MIN) {
        err = "overflows a 64-bit int";
        return {};
      }
      return Value::ofInt(x.i < 0 ? -x.i : x.i);
    }
    if (x.kind == K::Float)
      return Value::ofFloat(std::fabs(x.f));
    err = fmt::format("expects a number, got {}", kindName(x.kind));
    return {};
  case Builtin::Floor:
  case Builtin::Ceil:
  case Builtin::Round:
  case Builtin::Int:
    if (spec.id == Builtin::Int && x.kind == K::Bool)
      return Value::ofInt(x.i);
    return roundLike(spec.id, x, err);
  case Builtin::Float:
    if (x.isNumber())
      return Value::ofFloat(x.asDouble());
    err = fmt::format("expects a number, got {}", kindName(x.kind));
    return {};
  case Builtin::Str:
    return x.kind == K::Str ? x : Value::ofStr(strOf(x, g));
  case Builtin::Len:
    if (x.isSequence())
      return Value::ofInt(static_cast<int64_t>(x.items().size()));
    if (x.kind == K::Str)
      return Value::ofInt(static_cast<int64_t>(x.str->size()));
    err = fmt::format("expects a list, tuple or string, got {}", kindName(x.kind));
    return {};
  case Builtin::Range:
    return range(args, given, env.maxRange, err);
  case Builtin::Enumerate: {
    if (!x.isSequence()) {
      err = fmt::format("expects a list or tuple, got {}", kindName(x.kind));
      return {};
    }
    ValueList out;
    for (size_t k = 0; k < x.items().size(); ++k)
      out.push_back(Value::ofList({Value::ofInt(static_cast<int64_t>(k)), x.items()[k]}, true));
    return Value::ofList(std::move(out));
  }
  case Builtin::Zip: {
    size_t n = SIZE_MAX;
    for (const Value &a : args) {
      if (!a.isSequence()) {
        err = fmt::format("expects lists or tuples, got {}", kindName(a.kind));
        return {};
      }
      n = std::min(n, a.items().size());
    }
    ValueList out;
    for (size_t k = 0; k < n; ++k) {
      ValueList row;
      for (const Value &a : args)
        row.push_back(a.items()[k]);
      out.push_back(Value::ofList(std::move(row), true));
    }
    return Value::ofList(std::move(out));
  }
  case Builtin::MakeDivisible:
    return makeDivisible(args, given, err);
  case Builtin::Channels:
  case Builtin::Shape: {
    if (x.kind != K::Tensor) {
      err = fmt::format("expects a tensor, got {}", kindName(x.kind));
      return {};
    }
    const ir::TensorType &t = g.type(x.tensor);
    if (spec.id == Builtin::Channels) {
      if (t.rank() < 2) {
        err = fmt::format("needs a tensor with a channel dimension, got {}",
                          ir::formatType(t));
        return {};
      }
      return Value::ofInt(t.shape[1]);
    }
    ValueList dims;
    for (int64_t d : t.shape)
      dims.push_back(Value::ofInt(d));
    return Value::ofList(std::move(dims));
  }
  case Builtin::Assert:
    if (x.kind != K::Bool) {
      err = fmt::format("expects a bool condition, got {}", kindName(x.kind));
      return {};
    }
    if (!x.asBool())
      err = given[1] && args[1].kind == K::Str ? "assertion failed: " + *args[1].str
                                               : std::string("assertion failed");
    return {};
  case Builtin::Log:
  case Builtin::Log2:
  case Builtin::Exp:
  case Builtin::Sqrt:
  case Builtin::Sum:
  case Builtin::Mean: {
    Value v = spec.id == Builtin::Sum || spec.id == Builtin::Mean
                  ? sumOrMean(spec.id == Builtin::Mean, x, err)
                  : mathFn(spec.id, x, err);
    if (!err.empty())
      error.arg = 0; // the errors are about the argument: they point at it
    return v;
  }
  case Builtin::Print: {
    std::string line;
    for (size_t k = 0; k < args.size(); ++k)
      line += (k ? " " : "") + strOf(args[k], g);
    env.print(line);
    return {};
  }
  }
  err = "unknown builtin";
  return {};
}

} // namespace netc::sema
