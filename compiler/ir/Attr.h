//===- Attr.h - node attributes ---------------------------------*- C++ -*-===//
//
// An attribute is a named value of one of a few kinds. A node's attributes are
// kept in its op's declared order, so printing is deterministic.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_IR_ATTR_H
#define NETC_IR_ATTR_H

#include <llvm/ADT/StringRef.h>

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace netc::ir {

struct NoneAttr {
  friend bool operator==(NoneAttr, NoneAttr) { return true; }
};
using Ints = std::vector<int64_t>;
using AttrValue = std::variant<NoneAttr, int64_t, double, bool, std::string, Ints>;

struct Attr {
  std::string name;
  AttrValue value;
};

class Attrs {
public:
  void set(llvm::StringRef name, AttrValue v);
  const AttrValue *find(llvm::StringRef name) const;
  bool has(llvm::StringRef name) const { return find(name) != nullptr; }
  bool isNone(llvm::StringRef name) const;

  /// Typed getters; the op's signature guarantees the kind, so a mismatch is
  /// a programming error (asserted).
  int64_t getInt(llvm::StringRef name) const;
  double getFloat(llvm::StringRef name) const; ///< also accepts an int
  bool getBool(llvm::StringRef name) const;
  const std::string &getStr(llvm::StringRef name) const;
  const Ints &getInts(llvm::StringRef name) const;

  const std::vector<Attr> &all() const { return attrs; }
  friend bool operator==(const Attrs &a, const Attrs &b);

private:
  std::vector<Attr> attrs;
};

/// `3`, `0.5`, `true`, `"same"`, `[1,1]`, `none`.
std::string formatAttrValue(const AttrValue &v);

} // namespace netc::ir

#endif
