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

Value range(const std::vector<Value> &args, const std::vector<bool> &given,
            const BuiltinLimits &limits, std::string &err) {
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
  if (count > static_cast<__int128>(limits.maxRange)) {
    err = fmt::format("would have {} elements, more than the limit of {}",
                      static_cast<int64_t>(count), limits.maxRange);
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

} // namespace

Value callBuiltin(const BuiltinSpec &spec, const std::vector<Value> &args,
                  const std::vector<bool> &given, const ir::Graph &g,
                  const BuiltinLimits &limits, std::string &err) {
  const Value &x = args.empty() ? Value() : args[0];
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
    return x.kind == K::Str ? x : Value::ofStr(formatValue(x, &g));
  case Builtin::Len:
    if (x.isSequence())
      return Value::ofInt(static_cast<int64_t>(x.items().size()));
    if (x.kind == K::Str)
      return Value::ofInt(static_cast<int64_t>(x.str->size()));
    err = fmt::format("expects a list, tuple or string, got {}", kindName(x.kind));
    return {};
  case Builtin::Range:
    return range(args, given, limits, err);
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
  }
  err = "unknown builtin";
  return {};
}

} // namespace netc::sema
