#include "sema/Value.h"

#include <fmt/format.h>

namespace netc::sema {

const char *kindName(Value::Kind k) {
  switch (k) {
  case Value::Kind::None: return "none";
  case Value::Kind::Int: return "an int";
  case Value::Kind::Float: return "a float";
  case Value::Kind::Bool: return "a bool";
  case Value::Kind::Str: return "a string";
  case Value::Kind::List: return "a list";
  case Value::Kind::Tuple: return "a tuple";
  case Value::Kind::Tensor: return "a tensor";
  case Value::Kind::Func: return "a function";
  }
  return "a value";
}

std::string formatValue(const Value &v, const ir::Graph *g) {
  switch (v.kind) {
  case Value::Kind::None: return "none";
  case Value::Kind::Int: return std::to_string(v.i);
  case Value::Kind::Float: {
    std::string s = fmt::format("{}", v.f);
    if (s.find_first_of(".eEn") == std::string::npos)
      s += ".0";
    return s;
  }
  case Value::Kind::Bool: return v.i ? "true" : "false";
  case Value::Kind::Str: return "\"" + *v.str + "\"";
  case Value::Kind::List:
  case Value::Kind::Tuple: {
    bool tuple = v.kind == Value::Kind::Tuple;
    std::string s = tuple ? "(" : "[";
    for (size_t k = 0; k < v.items().size(); ++k)
      s += (k ? ", " : "") + formatValue(v.items()[k], g);
    if (tuple && v.items().size() == 1)
      s += ",";
    return s + (tuple ? ")" : "]");
  }
  case Value::Kind::Tensor:
    return g ? "tensor " + ir::formatType(g->type(v.tensor)) : "tensor";
  case Value::Kind::Func: return v.func->name;
  }
  return "?";
}

bool valuesEqual(const Value &a, const Value &b) {
  if (a.isNumber() && b.isNumber()) {
    if (a.kind == Value::Kind::Int && b.kind == Value::Kind::Int)
      return a.i == b.i;
    return a.asDouble() == b.asDouble();
  }
  if (a.kind != b.kind)
    return false;
  switch (a.kind) {
  case Value::Kind::None: return true;
  case Value::Kind::Bool: return a.i == b.i;
  case Value::Kind::Str: return *a.str == *b.str;
  case Value::Kind::List:
  case Value::Kind::Tuple:
    if (a.items().size() != b.items().size())
      return false;
    for (size_t k = 0; k < a.items().size(); ++k)
      if (!valuesEqual(a.items()[k], b.items()[k]))
        return false;
    return true;
  case Value::Kind::Tensor: return a.tensor == b.tensor;
  case Value::Kind::Func:
    return a.func->kind == b.func->kind && a.func->block == b.func->block &&
           a.func->op == b.func->op && a.func->builtin == b.func->builtin;
  default: return false;
  }
}

} // namespace netc::sema
