//===- Features.cpp - diagnostics, definitions, symbols, completion -------===//
#include "lsp/Features.h"

#include "ir/OpTable.h"
#include "sema/Builtins.h"

#include <llvm/ADT/StringExtras.h>

#include <set>

namespace netc::lsp {

namespace json = llvm::json;

static json::Value locationJSON(const Location &l) {
  return json::Object{{"uri", uriFromPath(l.path)}, {"range", toJSON(l.range)}};
}

json::Value diagnosticsJSON(const Analysis &a) {
  json::Array out;
  for (const DiagnosticInfo &d : a.diagnostics) {
    json::Object o{{"range", toJSON(d.range)},
                   {"severity", d.severity},
                   {"source", "netc"},
                   {"message", d.message}};
    if (!d.related.empty()) {
      json::Array rel;
      for (const auto &[loc, msg] : d.related)
        rel.push_back(json::Object{{"location", locationJSON(loc)}, {"message", msg}});
      o["relatedInformation"] = std::move(rel);
    }
    out.push_back(std::move(o));
  }
  return out;
}

/// The document's declaration whose whole range holds `offset`.
static const DeclInfo *enclosing(const Analysis &a, size_t offset) {
  Position p = positionAt(a.text, offset);
  auto before = [](const Position &x, const Position &y) {
    return x.line < y.line || (x.line == y.line && x.character <= y.character);
  };
  for (const DeclInfo &d : a.decls)
    if (d.inDocument && before(d.whole.start, p) && before(p, d.whole.end))
      return &d;
  return nullptr;
}

json::Value definition(const Analysis &a, size_t offset) {
  for (const Analysis::Import &imp : a.imports)
    if (offset >= imp.offset && offset <= imp.offset + imp.spec.size() + 2)
      return locationJSON(Location{imp.file, Range{}});
  auto [b, e] = wordAt(a.text, offset);
  if (b == e)
    return nullptr;
  llvm::StringRef word = llvm::StringRef(a.text).slice(b, e);
  // A local name: itself where it is bound, else its last binding seen from
  // here in the same declaration, or (a name a loop binds further down) the
  // first one.
  if (const DeclInfo *d = enclosing(a, b)) {
    size_t lo = offsetAt(a.text, d->whole.start), hi = offsetAt(a.text, d->whole.end);
    const Analysis::Binding *found = nullptr;
    for (const Analysis::Binding &bd : a.bindings) {
      if (bd.name != word || bd.offset < lo || bd.offset >= hi)
        continue;
      if (bd.offset == b) {
        found = &bd;
        break;
      }
      if (bd.visibleFrom <= b || !found)
        found = &bd;
    }
    if (found)
      return locationJSON(Location{a.path, tokenRange(a.text, found->offset)});
  }
  if (const DeclInfo *d = a.findDecl(word))
    return locationJSON(d->nameLoc);
  return nullptr;
}

json::Value documentSymbols(const Analysis &a) {
  json::Array out;
  for (const DeclInfo &d : a.decls) {
    if (!d.inDocument)
      continue;
    int kind = d.kind == DeclInfo::Block ? 12 : d.kind == DeclInfo::Network ? 5 : 23;
    std::string detail;
    for (size_t i = 0; i < d.params.size(); ++i)
      detail += (i ? ", " : "(") + d.params[i];
    if (d.kind != DeclInfo::Hardware)
      detail += d.params.empty() ? "()" : ")";
    out.push_back(json::Object{{"name", d.name},
                               {"detail", detail},
                               {"kind", kind},
                               {"range", toJSON(d.whole)},
                               {"selectionRange", toJSON(d.nameLoc.range)}});
  }
  return out;
}

namespace {

/// The callee of the innermost call whose '(' is open at `offset`, or "".
std::string openCall(llvm::StringRef text, size_t offset) {
  int depth = 0;
  for (size_t i = std::min(offset, text.size()); i-- > 0;) {
    char c = text[i];
    if (c == ')' || c == ']' || c == '}')
      ++depth;
    else if (c == '[' || c == '{') {
      if (depth-- == 0 && c == '{')
        return ""; // a body: not inside a call
    } else if (c == '(' && depth-- == 0) {
      size_t e = i;
      while (e > 0 && text[e - 1] == ' ')
        --e;
      auto [b, end] = wordAt(text, e);
      return end == e ? text.slice(b, e).str() : "";
    }
  }
  return "";
}

json::Object item(llvm::StringRef label, int kind, llvm::StringRef detail, llvm::StringRef doc,
                  llvm::StringRef sortPrefix) {
  json::Object o{{"label", label.str()}, {"kind", kind}, {"sortText", (sortPrefix + label).str()}};
  if (!detail.empty())
    o["detail"] = detail.str();
  if (!doc.empty())
    o["documentation"] = json::Object{{"kind", "markdown"}, {"value", doc.str()}};
  return o;
}

} // namespace

json::Value completion(const Analysis &a, llvm::StringRef text, size_t offset) {
  enum Kind { Function = 3, Field = 5, Variable = 6, Keyword = 14 }; // LSP CompletionItemKind
  json::Array items;
  // Inside a call: the callee's keyword arguments first.
  std::string callee = openCall(text, offset);
  if (!callee.empty()) {
    if (const ir::OpDef *op = ir::OpTable::get().lookup(callee)) {
      for (const ir::ParamSpec &p : op->params)
        items.push_back(item(std::string(p.name) + "=", Field,
                             p.required ? "required" : "= " + ir::formatAttrValue(p.defaultValue),
                             "", "0"));
    } else if (const DeclInfo *d = a.findDecl(callee)) {
      for (size_t i = 0; i < d->paramNames.size(); ++i)
        items.push_back(item(d->paramNames[i] + "=", Field, d->params[i], "", "0"));
    } else if (const sema::BuiltinSpec *bs = sema::lookupBuiltin(callee)) {
      for (const char *p : bs->params)
        items.push_back(item(std::string(p) + "=", Field, "", "", "0"));
    }
  }
  for (const DeclInfo &d : a.decls)
    if (d.kind == DeclInfo::Block)
      items.push_back(item(d.name, Function, "block", d.doc, "1"));
  for (const ir::OpDef *op : ir::OpTable::get().all())
    items.push_back(item(op->name, Function, opSignature(*op), opDoc(*op), "2"));
  for (const sema::BuiltinSpec &bs : sema::allBuiltins()) {
    std::string sig = std::string(bs.name) + "(";
    for (size_t i = 0; i < bs.params.size(); ++i)
      sig += (i ? ", " : "") + std::string(bs.params[i]);
    sig += bs.variadic ? "...)" : ")";
    items.push_back(item(bs.name, Function, sig, "", "3"));
  }
  // Names bound above in the same declaration.
  std::set<std::string> seen;
  for (const Analysis::Binding &bd : a.bindings)
    if (bd.offset < offset && seen.insert(bd.name).second)
      items.push_back(item(bd.name, Variable, "", "", "0"));
  if (callee.empty())
    for (const char *kw : {"import", "block", "network", "hardware", "for", "in", "if", "else",
                           "return", "true", "false", "none"})
      items.push_back(item(kw, Keyword, "", "", "4"));
  return json::Object{{"isIncomplete", false}, {"items", std::move(items)}};
}

json::Value inlayHints(const Analysis &a, size_t begin, size_t end) {
  json::Array out;
  for (const Analysis::Binding &bd : a.bindings) {
    if (!bd.assigned || bd.offset < begin || bd.offset >= end)
      continue;
    auto n = a.names.find(bd.offset);
    if (n == a.names.end() || n->second.values.empty() ||
        !llvm::StringRef(n->second.values[0]).startswith("tensor "))
      continue;
    const Seen &s = n->second;
    std::string label = ": " + llvm::StringRef(s.values[0]).drop_front(7).str();
    if (s.values.size() > 1)
      label += " | …";
    out.push_back(json::Object{{"position", toJSON(positionAt(a.text, bd.offset + bd.name.size()))},
                               {"label", label},
                               {"kind", 1},
                               {"paddingLeft", false}});
  }
  return out;
}

} // namespace netc::lsp
