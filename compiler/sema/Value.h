//===- Value.h - values of the .net language during elaboration -*- C++ -*-===//
//
// What an expression evaluates to: none, int, float, bool, string, list,
// tuple, a tensor (a value of the graph being built) or a function (a block,
// an op or a builtin). Lists and tuples share their elements (immutable).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SEMA_VALUE_H
#define NETC_SEMA_VALUE_H

#include "ir/Graph.h"
#include "syntax/AST.h"

#include <memory>
#include <string>
#include <vector>

namespace netc::sema {

enum class Builtin : uint8_t {
  Min, Max, Abs, Floor, Ceil, Round, Int, Float, Len, Range, Enumerate, Zip,
  MakeDivisible, Channels, Shape, Assert, Str, Log, Log2, Exp, Sqrt, Sum, Mean, Print,
};

struct Value;
using ValueList = std::vector<Value>;

struct Func {
  enum class Kind : uint8_t { Block, Op, Builtin } kind;
  const ast::FuncDecl *block = nullptr;
  const ir::OpDef *op = nullptr;
  Builtin builtin = Builtin::Min;
  std::string name; ///< as the user calls it (an alias like "swish" keeps its name)
};

struct Value {
  enum class Kind : uint8_t { None, Int, Float, Bool, Str, List, Tuple, Tensor, Func };
  Kind kind = Kind::None;
  int64_t i = 0;  ///< Int; Bool (0/1)
  double f = 0;   ///< Float
  ir::ValueId tensor = 0;
  std::shared_ptr<const std::string> str;
  std::shared_ptr<const ValueList> elems; ///< List, Tuple
  std::shared_ptr<const Func> func;

  static Value none() { return {}; }
  static Value ofInt(int64_t v) {
    Value x;
    x.kind = Kind::Int;
    x.i = v;
    return x;
  }
  static Value ofFloat(double v) {
    Value x;
    x.kind = Kind::Float;
    x.f = v;
    return x;
  }
  static Value ofBool(bool v) {
    Value x;
    x.kind = Kind::Bool;
    x.i = v;
    return x;
  }
  static Value ofStr(std::string s) {
    Value x;
    x.kind = Kind::Str;
    x.str = std::make_shared<const std::string>(std::move(s));
    return x;
  }
  static Value ofList(ValueList xs, bool tuple = false) {
    Value x;
    x.kind = tuple ? Kind::Tuple : Kind::List;
    x.elems = std::make_shared<const ValueList>(std::move(xs));
    return x;
  }
  static Value ofTensor(ir::ValueId v) {
    Value x;
    x.kind = Kind::Tensor;
    x.tensor = v;
    return x;
  }
  static Value ofFunc(Func fn) {
    Value x;
    x.kind = Kind::Func;
    x.func = std::make_shared<const Func>(std::move(fn));
    return x;
  }

  bool isNumber() const { return kind == Kind::Int || kind == Kind::Float; }
  bool isSequence() const { return kind == Kind::List || kind == Kind::Tuple; }
  double asDouble() const { return kind == Kind::Int ? static_cast<double>(i) : f; }
  bool asBool() const { return i != 0; }
  const ValueList &items() const { return *elems; }
};

/// "an int", "a tensor", ... for messages.
const char *kindName(Value::Kind k);
/// The value as .net source would write it (tensors as their type).
std::string formatValue(const Value &v, const ir::Graph *g = nullptr);
/// Structural equality (numbers compare by value across int/float).
bool valuesEqual(const Value &a, const Value &b);

} // namespace netc::sema

#endif
