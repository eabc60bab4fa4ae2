//===- OnnxText.cpp - the imported program as .net text ----------------------===//
//
// Variables are named after the ONNX nodes ("/layer1/layer1.0/conv1/Conv"
// -> layer1_0_conv1). Module scopes that repeat with the same structure
// become blocks: among the depths of the node names' scopes, the one whose
// repeated scopes save the most lines is chosen; scopes there with
// one input tensor set, one output and the same statements (numbers
// aside) share a block, the numbers that differ being its parameters.
//
//===----------------------------------------------------------------------===//
#include "onnx/OnnxInternal.h"

#include "ir/OpTable.h"

#include <fmt/format.h>
#include <llvm/ADT/StringMap.h>
#include <llvm/ADT/StringSet.h>

#include <cmath>
#include <map>

namespace netc::onnximport::detail {

namespace {

bool reserved(llvm::StringRef s) {
  static const llvm::StringSet<> kWords = {
      "import", "block", "network", "hardware", "for", "in", "if", "else", "return", "true",
      "false", "none", "abs", "floor", "ceil", "round", "int", "float", "str", "len", "range",
      "enumerate", "zip", "make_divisible", "channels", "shape", "assert", "log", "exp", "sqrt",
      "sum", "mean", "print", "tensor", "list", "tuple", "fn", "any", "bool"};
  return kWords.contains(s) || ir::OpTable::get().lookup(s) != nullptr;
}

bool endsWithIndex(llvm::StringRef s) {
  size_t dot = s.rfind('.');
  return dot != llvm::StringRef::npos && dot + 1 < s.size() &&
         llvm::all_of(s.substr(dot + 1), [](char ch) { return ch >= '0' && ch <= '9'; });
}

/// "/layer1/layer1.0/conv1/Conv" -> "layer1_0_conv1"; `drop` leading scope
/// segments (inside a block) are left out.
std::string varBase(const Stmt &s, size_t drop) {
  llvm::SmallVector<llvm::StringRef, 8> all;
  llvm::StringRef(s.node).split(all, '/', -1, false);
  std::vector<llvm::StringRef> segs(all.begin() + std::min(drop, all.size()), all.end());
  std::vector<llvm::StringRef> kept;
  for (size_t i = 0; i < segs.size(); ++i)
    if (!(i + 1 < segs.size() && segs[i + 1].startswith((segs[i] + ".").str())))
      kept.push_back(segs[i]);
  if (kept.size() >= 2 && s.lastIsOp) {
    llvm::StringRef last = kept.back(), prev = kept[kept.size() - 2];
    if ((last == s.op || last.startswith(s.op + "_")) && !endsWithIndex(prev))
      kept.pop_back();
  }
  std::string joined;
  for (llvm::StringRef k : kept)
    joined += (joined.empty() ? "" : "_") + k.str();
  return joined.empty() ? s.op : joined;
}

class Names {
public:
  std::string fresh(const std::string &base) {
    std::string id = identifier(base);
    if (reserved(id))
      id += "_";
    std::string name = id;
    for (int k = 2; !used.insert(name).second; ++k)
      name = id + "_" + std::to_string(k);
    return name;
  }

private:
  llvm::StringSet<> used;
};

/// A unit: statements [begin, end) under one scope prefix.
struct Unit {
  size_t begin, end;
  std::vector<std::string> scope;
  std::vector<std::string> inputs; ///< external tensors, in order of first use
  std::string output;              ///< the one tensor read after the unit
  std::string signature;
  std::vector<std::string> numbers;
};

bool analyse(const std::vector<Stmt> &stmts, Unit &u,
             const llvm::StringMap<size_t> &lastUse) {
  llvm::StringMap<std::string> local;
  std::string sig;
  for (size_t i = u.begin; i < u.end; ++i) {
    const Stmt &s = stmts[i];
    sig += s.op + "(";
    for (const Piece &p : s.expr) {
      if (p.kind == Piece::Text)
        sig += p.text;
      else if (p.kind == Piece::Number) {
        sig += "#";
        u.numbers.push_back(p.text);
      } else if (auto it = local.find(p.text); it != local.end())
        sig += it->second;
      else {
        auto f = std::find(u.inputs.begin(), u.inputs.end(), p.text);
        sig += "$in" + std::to_string(f - u.inputs.begin());
        if (f == u.inputs.end())
          u.inputs.push_back(p.text);
      }
    }
    sig += ")->";
    for (size_t k = 0; k < s.outputs.size(); ++k) {
      std::string ref = "$" + std::to_string(i - u.begin) + "." + std::to_string(k);
      local[s.outputs[k]] = ref;
      sig += ref + ";";
      auto last = lastUse.find(s.outputs[k]);
      if (last != lastUse.end() && last->second >= u.end) {
        if (!u.output.empty())
          return false; // two outputs
        u.output = s.outputs[k];
      }
    }
  }
  u.signature = sig + "=>" + (u.output.empty() ? "" : local[u.output]);
  return !u.output.empty() && !u.inputs.empty();
}

std::vector<Unit> unitsAt(const std::vector<Stmt> &stmts, size_t depth,
                          const llvm::StringMap<size_t> &lastUse) {
  std::vector<Unit> units;
  for (size_t i = 0; i < stmts.size();) {
    if (stmts[i].scope.size() < depth) {
      ++i;
      continue;
    }
    std::vector<std::string> prefix(stmts[i].scope.begin(), stmts[i].scope.begin() + depth);
    size_t j = i;
    while (j < stmts.size() && stmts[j].scope.size() >= depth &&
           std::equal(prefix.begin(), prefix.end(), stmts[j].scope.begin()))
      ++j;
    Unit u{i, j, prefix, {}, {}, {}, {}};
    if (j - i >= 2 && analyse(stmts, u, lastUse)) // a block of one layer says nothing
      units.push_back(std::move(u));
    i = j;
  }
  return units;
}

} // namespace

std::string identifier(llvm::StringRef s) {
  std::string id;
  for (char ch : s) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    char c = ok ? static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch) : '_';
    if (c == '_' && (id.empty() || id.back() == '_'))
      continue;
    id += c;
  }
  while (!id.empty() && id.back() == '_')
    id.pop_back();
  if (id.empty() || (id[0] >= '0' && id[0] <= '9'))
    id = "t_" + id;
  return id;
}

std::string numberText(double v) {
  if (std::isfinite(v) && v == std::trunc(v) && std::abs(v) < 1e15)
    return fmt::format("{}.0", static_cast<int64_t>(v));
  // ONNX's numbers are mostly f32: the shortest text of the f32 (1e-06,
  // not 9.999999974752427e-07) when it is one.
  const float f = static_cast<float>(v);
  std::string s = static_cast<double>(f) == v ? fmt::format("{}", f) : fmt::format("{}", v);
  if (s.find_first_of(".en") == std::string::npos)
    s += ".0";
  return s;
}

std::string writeProgram(const Program &p, bool blocks) {
  llvm::StringMap<size_t> lastUse; // tensor -> index of the last statement reading it
  for (size_t i = 0; i < p.stmts.size(); ++i)
    for (const Piece &piece : p.stmts[i].expr)
      if (piece.kind == Piece::Tensor)
        lastUse[piece.text] = i;
  for (const std::string &o : p.outputs)
    lastUse[o] = p.stmts.size();

  // The depth whose repeated units cover the most statements.
  std::vector<Unit> chosen;
  std::map<std::string, std::vector<size_t>> classes;
  size_t maxDepth = 0, best = 0;
  for (const Stmt &s : p.stmts)
    maxDepth = std::max(maxDepth, s.scope.size());
  for (size_t depth = 1; blocks && depth <= maxDepth; ++depth) {
    std::vector<Unit> units = unitsAt(p.stmts, depth, lastUse);
    std::map<std::string, std::vector<size_t>> byShape;
    for (size_t k = 0; k < units.size(); ++k)
      byShape[units[k].signature].push_back(k);
    // Lines saved: each call replaces its unit, each block is written once.
    size_t covered = 0;
    for (const auto &[sig, members] : byShape)
      if (members.size() >= 2) {
        size_t size = units[members[0]].end - units[members[0]].begin;
        covered += members.size() * (size - 1) - std::min(members.size() * (size - 1), size + 3);
      }
    if (covered > best) {
      best = covered;
      chosen = std::move(units);
      classes = std::move(byShape);
    }
  }

  std::string out;
  for (const std::string &h : p.header)
    out += "# " + h + "\n";
  Names global;
  llvm::StringMap<std::string> var;
  auto text = [&](const std::vector<Piece> &e, const llvm::StringMap<std::string> &vars,
                  const std::vector<std::string> *numbers, size_t *next) {
    std::string s;
    for (const Piece &piece : e) {
      if (piece.kind == Piece::Tensor) {
        auto it = vars.find(piece.text);
        s += it == vars.end() ? identifier(piece.text) : it->second;
      } else if (piece.kind == Piece::Number && numbers)
        s += (*numbers)[(*next)++];
      else
        s += piece.text;
    }
    return s;
  };

  // Blocks first: one per class of two or more units.
  std::vector<int> blockOf(chosen.size(), -1);
  std::vector<std::string> blockNames;
  std::vector<std::vector<size_t>> blockParams; // number positions that vary
  std::string blocksText;
  Names blockNamer;
  std::vector<std::vector<size_t>> ordered; // classes by their first unit
  for (const auto &entry : classes)
    if (entry.second.size() >= 2)
      ordered.push_back(entry.second);
  std::sort(ordered.begin(), ordered.end());
  for (const std::vector<size_t> &members : ordered) {
    const Unit &first = chosen[members[0]];
    int id = static_cast<int>(blockNames.size());
    std::string stem = first.scope.back();
    while (!stem.empty() && (std::isdigit(static_cast<unsigned char>(stem.back())) ||
                             stem.back() == '.' || stem.back() == '_'))
      stem.pop_back();
    blockNames.push_back(blockNamer.fresh((stem.empty() ? "unit" : stem) + "_block"));
    for (size_t k : members)
      blockOf[k] = id;
    // Parameters: the inputs, then the numbers that differ between members.
    Names local;
    std::vector<std::string> params, numbers = first.numbers;
    llvm::StringMap<std::string> vars;
    for (size_t k = 0; k < first.inputs.size(); ++k) {
      std::string name = local.fresh(k == 0 ? "x" : "x" + std::to_string(k + 1));
      vars[first.inputs[k]] = name;
      params.push_back(name);
    }
    std::vector<size_t> varying;
    std::vector<std::string> hints;
    for (const Stmt *s = &p.stmts[first.begin]; s != &p.stmts[first.end]; ++s)
      for (const Piece &piece : s->expr)
        if (piece.kind == Piece::Number)
          hints.push_back(piece.hint);
    std::map<std::vector<std::string>, std::string> paramOfValues; // one per column of values
    for (size_t n = 0; n < numbers.size(); ++n) {
      std::vector<std::string> column;
      for (size_t k : members)
        column.push_back(chosen[k].numbers[n]);
      if (std::all_of(column.begin(), column.end(),
                      [&](const std::string &v) { return v == column[0]; }))
        continue;
      auto [it, isNew] = paramOfValues.try_emplace(column, "");
      if (isNew) {
        it->second = local.fresh(hints[n]);
        params.push_back(it->second);
        varying.push_back(n);
      }
      numbers[n] = it->second;
    }
    blockParams.push_back(varying);
    std::string body;
    size_t next = 0;
    for (size_t i = first.begin; i < first.end; ++i) {
      const Stmt &s = p.stmts[i];
      std::vector<std::string> names;
      for (size_t k = 0; k < s.outputs.size(); ++k)
        names.push_back(local.fresh(varBase(s, first.scope.size()) +
                                    (s.outputs.size() > 1 ? "_" + std::to_string(k) : "")));
      std::string rhs = text(s.expr, vars, &numbers, &next);
      for (size_t k = 0; k < s.outputs.size(); ++k)
        vars[s.outputs[k]] = names[k];
      std::string lhs;
      for (size_t k = 0; k < names.size(); ++k)
        lhs += (k ? ", " : "") + names[k];
      body += "  " + lhs + " = " + rhs + "\n";
    }
    body += "  return " + vars[first.output] + "\n";
    std::string plist;
    for (size_t k = 0; k < params.size(); ++k)
      plist += (k ? ", " : "") + params[k];
    blocksText += fmt::format("# {} scopes with this structure: {}\nblock {}({}) {{\n{}}}\n\n",
                              members.size(), "/" + fmt::format("{}", fmt::join(first.scope, "/")),
                              blockNames.back(), plist, body);
  }
  out += "\n" + blocksText;
  out += "network " + p.network + "() {\n";
  for (const Input &in : p.inputs) {
    std::string name = global.fresh(in.tensor);
    var[in.tensor] = name;
    out += "  " + name + " = input(" + listText(in.shape) + (in.ids ? ", dtype=\"i64\"" : "") +
           ")\n";
  }
  size_t u = 0;
  for (size_t i = 0; i < p.stmts.size();) {
    while (u < chosen.size() && chosen[u].end <= i)
      ++u;
    if (u < chosen.size() && chosen[u].begin == i && blockOf[u] >= 0) {
      const Unit &unit = chosen[u];
      std::string args;
      for (const std::string &t : unit.inputs)
        args += (args.empty() ? "" : ", ") + var.lookup(t);
      for (size_t n : blockParams[static_cast<size_t>(blockOf[u])])
        args += ", " + unit.numbers[n];
      std::string scopeName;
      for (size_t k = 0; k < unit.scope.size(); ++k)
        if (!(k + 1 < unit.scope.size() &&
              llvm::StringRef(unit.scope[k + 1]).startswith(unit.scope[k] + ".")))
          scopeName += (scopeName.empty() ? "" : "_") + unit.scope[k];
      std::string name = global.fresh(scopeName);
      var[unit.output] = name;
      out += fmt::format("  {} = {}({})  # /{}\n", name, blockNames[static_cast<size_t>(blockOf[u])],
                         args, fmt::join(unit.scope, "/"));
      i = unit.end;
      continue;
    }
    const Stmt &s = p.stmts[i++];
    std::vector<std::string> names;
    for (size_t k = 0; k < s.outputs.size(); ++k)
      names.push_back(global.fresh(varBase(s, 0) + (s.outputs.size() > 1 ? "_" + std::to_string(k) : "")));
    std::string rhs = text(s.expr, var, nullptr, nullptr);
    std::string lhs;
    for (size_t k = 0; k < names.size(); ++k) {
      var[s.outputs[k]] = names[k];
      lhs += (k ? ", " : "") + names[k];
    }
    out += "  " + lhs + " = " + rhs + "  # " + s.comment + "\n";
  }
  std::string ret;
  for (const std::string &o : p.outputs)
    ret += (ret.empty() ? "" : ", ") + var.lookup(o);
  out += "  return " + ret + "\n}\n";
  return out;
}

} // namespace netc::onnximport::detail
