#include "ir/Attr.h"

#include <fmt/format.h>

#include <cassert>

namespace netc::ir {

void Attrs::set(llvm::StringRef name, AttrValue v) {
  for (Attr &a : attrs)
    if (a.name == name) {
      a.value = std::move(v);
      return;
    }
  attrs.push_back({name.str(), std::move(v)});
}

const AttrValue *Attrs::find(llvm::StringRef name) const {
  for (const Attr &a : attrs)
    if (a.name == name)
      return &a.value;
  return nullptr;
}

bool Attrs::isNone(llvm::StringRef name) const {
  const AttrValue *v = find(name);
  return !v || std::holds_alternative<NoneAttr>(*v);
}

int64_t Attrs::getInt(llvm::StringRef name) const {
  const AttrValue *v = find(name);
  assert(v && std::holds_alternative<int64_t>(*v) && "attribute is not an int");
  return std::get<int64_t>(*v);
}

double Attrs::getFloat(llvm::StringRef name) const {
  const AttrValue *v = find(name);
  assert(v && "missing attribute");
  if (const auto *i = std::get_if<int64_t>(v))
    return static_cast<double>(*i);
  return std::get<double>(*v);
}

bool Attrs::getBool(llvm::StringRef name) const {
  const AttrValue *v = find(name);
  assert(v && std::holds_alternative<bool>(*v) && "attribute is not a bool");
  return std::get<bool>(*v);
}

const std::string &Attrs::getStr(llvm::StringRef name) const {
  const AttrValue *v = find(name);
  assert(v && std::holds_alternative<std::string>(*v) && "attribute is not a string");
  return std::get<std::string>(*v);
}

const Ints &Attrs::getInts(llvm::StringRef name) const {
  const AttrValue *v = find(name);
  assert(v && std::holds_alternative<Ints>(*v) && "attribute is not an int list");
  return std::get<Ints>(*v);
}

bool operator==(const Attrs &a, const Attrs &b) {
  if (a.attrs.size() != b.attrs.size())
    return false;
  for (size_t i = 0; i < a.attrs.size(); ++i)
    if (a.attrs[i].name != b.attrs[i].name || !(a.attrs[i].value == b.attrs[i].value))
      return false;
  return true;
}

std::string formatAttrValue(const AttrValue &v) {
  struct Fmt {
    std::string operator()(NoneAttr) const { return "none"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      std::string s = fmt::format("{}", d);
      if (s.find_first_of(".eEn") == std::string::npos)
        s += ".0";
      return s;
    }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(const std::string &s) const { return "\"" + s + "\""; }
    std::string operator()(const Ints &xs) const {
      std::string s = "[";
      for (size_t i = 0; i < xs.size(); ++i)
        s += (i ? "," : "") + std::to_string(xs[i]);
      return s + "]";
    }
  };
  return std::visit(Fmt{}, v);
}

} // namespace netc::ir
