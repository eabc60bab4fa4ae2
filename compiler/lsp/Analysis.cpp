//===- Analysis.cpp - one document through netc's pipeline ----------------===//
#include "lsp/Analysis.h"

#include "driver/Compilation.h"

#include <fmt/format.h>
#include <llvm/Support/Path.h>

#include <algorithm>

namespace netc::lsp {

void Seen::add(const std::string &v) {
  ++count;
  if (values.size() < kMaxValues && std::find(values.begin(), values.end(), v) == values.end())
    values.push_back(v);
}

const DeclInfo *Analysis::findDecl(llvm::StringRef name) const {
  for (const DeclInfo &d : decls)
    if (d.name == name)
      return &d;
  return nullptr;
}

namespace {

/// Records what the elaboration sees in the document (buffer `file`).
class Recorder final : public ElabObserver {
public:
  Recorder(Analysis &a, unsigned file) : a(a), file(file) {}
  void name(SourceLoc loc, const std::string &text) override {
    if (loc.file == file)
      a.names[loc.offset].add(text);
  }
  void blockCall(SourceLoc loc, llvm::StringRef prefix, const std::string &text) override {
    if (loc.file != file)
      return;
    BlockCall &b = a.blockCalls[loc.offset];
    b.prefixes.push_back(prefix.str());
    b.results.add(text);
  }

private:
  Analysis &a;
  unsigned file;
};

/// The end of the braced body that follows `from` in `text` (after its
/// closing brace), skipping strings and comments; the text's end when the
/// braces do not close.
size_t bodyEnd(llvm::StringRef text, size_t from) {
  int depth = 0;
  for (size_t i = from; i < text.size(); ++i) {
    char c = text[i];
    if (c == '#') {
      i = text.find('\n', i);
      if (i == llvm::StringRef::npos)
        break;
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      i = text.find("*/", i + 2);
      if (i == llvm::StringRef::npos)
        break;
      ++i;
    } else if (c == '"') {
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\')
          ++i;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i + 1;
    }
  }
  return text.size();
}

/// The '#' comment lines right above the line holding `offset`.
std::string docAbove(llvm::StringRef text, size_t offset) {
  size_t lineStart = text.rfind('\n', offset);
  lineStart = lineStart == llvm::StringRef::npos ? 0 : lineStart + 1;
  std::vector<llvm::StringRef> lines;
  while (lineStart > 0) {
    size_t prevStart = text.rfind('\n', lineStart - 2);
    prevStart = prevStart == llvm::StringRef::npos ? 0 : prevStart + 1;
    llvm::StringRef line = text.slice(prevStart, lineStart - 1).trim();
    if (!line.consume_front("#"))
      break;
    lines.push_back(line.consume_front(" ") ? line : line);
    lineStart = prevStart;
  }
  std::string doc;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it)
    doc += it->str() + "\n";
  return doc;
}

class Builder {
public:
  Builder(Analysis &a, driver::Compilation &c) : a(a), c(c), sm(c.sourceMgr()) {}

  llvm::StringRef bufferText(unsigned file) const { return sm.getMemoryBuffer(file)->getBuffer(); }
  /// The file of a buffer: the standard library's are named "std/NAME".
  std::string bufferPath(unsigned file) const {
    llvm::StringRef name = sm.getMemoryBuffer(file)->getBufferIdentifier();
    if (name.consume_front("std/")) {
      llvm::SmallString<256> p(stdlibDirectory(c.options().load));
      llvm::sys::path::append(p, name);
      return std::string(p);
    }
    return name.str();
  }
  Location locationOf(SourceLoc l) const {
    return Location{bufferPath(l.file), tokenRange(bufferText(l.file), l.offset)};
  }

  void decls(const Program &p) {
    const ast::Module &main = p.main();
    for (auto it = p.modules.rbegin(); it != p.modules.rend(); ++it)
      for (const ast::DeclPtr &d : (*it)->decls)
        addDecl(*d, (*it)->fileId, it->get() == &main);
    for (const ast::DeclPtr &d : main.decls) {
      if (d->kind == ast::DeclKind::Import)
        addImport(*d, p);
      if (const auto *f = llvm::dyn_cast<ast::FuncDecl>(d.get())) {
        for (const ast::Param &param : f->params)
          a.bindings.push_back({param.loc.offset, param.name, false, param.loc.offset});
        addBindings(f->body);
      }
    }
    std::stable_sort(a.bindings.begin(), a.bindings.end(),
                     [](const auto &x, const auto &y) { return x.offset < y.offset; });
  }

  void diagnostics(unsigned mainFile) {
    for (const Diagnostic &d : c.diag().diagnostics())
      a.diagnostics.push_back(convert(d, mainFile));
  }

private:
  void addPattern(const ast::Pattern &p) {
    if (!p.isTuple)
      a.bindings.push_back({p.loc.offset, p.name, true,
                            std::min(a.text.size(), a.text.find('\n', p.loc.offset))});
    for (const ast::Pattern &e : p.elems)
      addPattern(e);
  }
  void addBindings(const ast::StmtList &body) {
    for (const ast::StmtPtr &s : body) {
      if (const auto *as = llvm::dyn_cast<ast::AssignStmt>(s.get()))
        for (const ast::Pattern &p : as->targets)
          addPattern(p);
      if (const auto *f = llvm::dyn_cast<ast::ForStmt>(s.get())) {
        for (const ast::Pattern &p : f->vars)
          addPattern(p);
        addBindings(f->body);
      }
      if (const auto *i = llvm::dyn_cast<ast::IfStmt>(s.get())) {
        addBindings(i->thenBody);
        addBindings(i->elseBody);
      }
    }
  }

  void addDecl(const ast::Decl &d, unsigned file, bool inDocument) {
    if (d.kind == ast::DeclKind::Import)
      return;
    DeclInfo info;
    info.kind = d.kind == ast::DeclKind::Block     ? DeclInfo::Block
                : d.kind == ast::DeclKind::Network ? DeclInfo::Network
                                                   : DeclInfo::Hardware;
    info.name = d.name;
    info.inDocument = inDocument;
    info.nameLoc = locationOf(d.loc);
    llvm::StringRef text = bufferText(file);
    size_t lineStart = text.rfind('\n', d.loc.offset);
    lineStart = lineStart == llvm::StringRef::npos ? 0 : lineStart + 1;
    info.whole = Range{positionAt(text, lineStart), positionAt(text, bodyEnd(text, d.loc.offset))};
    info.doc = docAbove(text, d.loc.offset);
    if (const auto *f = llvm::dyn_cast<ast::FuncDecl>(&d))
      for (const ast::Param &p : f->params) {
        std::string s = p.name;
        if (p.hasType)
          s += ": " + p.type.name;
        if (p.defaultValue) {
          std::string v;
          llvm::raw_string_ostream os(v);
          printSource(os, *p.defaultValue);
          s += " = " + os.str();
        }
        info.params.push_back(s);
        info.paramNames.push_back(p.name);
      }
    a.decls.push_back(std::move(info));
  }

  /// The text of a default value as written.
  void printSource(llvm::raw_ostream &os, const ast::Expr &e) {
    llvm::StringRef text = bufferText(e.loc.file);
    size_t b = e.loc.offset, end = b;
    int depth = 0;
    for (; end < text.size(); ++end) {
      char ch = text[end];
      if (ch == '(' || ch == '[')
        ++depth;
      else if ((ch == ')' || ch == ']' || ch == ',') && depth == 0)
        break;
      else if (ch == ')' || ch == ']')
        --depth;
      else if (ch == '\n')
        break;
    }
    os << text.slice(b, end).trim();
  }

  void addImport(const ast::Decl &d, const Program &p) {
    // The imported module: the one whose display path ends as the import says.
    for (const auto &m : p.modules) {
      llvm::StringRef display = m->path;
      llvm::StringRef wanted = d.name;
      if (wanted.startswith("std/"))
        wanted = wanted.drop_front(4);
      if (display.endswith(wanted) && m.get() != &p.main()) {
        a.imports.push_back({d.loc.offset, d.name, bufferPath(m->fileId)});
        return;
      }
    }
  }

  DiagnosticInfo convert(const Diagnostic &d, unsigned mainFile) {
    DiagnosticInfo out;
    out.severity = d.severity == Severity::Error ? 1 : d.severity == Severity::Warning ? 2 : 3;
    out.message = d.message;
    // Elsewhere (an imported block): at the outermost call of the document
    // that led there (notes go from the innermost call out).
    std::optional<SourceLoc> at;
    if (d.loc.valid() && d.loc.file == mainFile)
      at = d.loc;
    for (const Diagnostic &n : d.notes) {
      if (!n.loc.valid())
        continue;
      out.related.emplace_back(locationOf(n.loc), n.message);
      if (n.loc.file == mainFile && d.loc.file != mainFile)
        at = n.loc;
    }
    if (d.loc.valid() && d.loc.file != mainFile) {
      Location orig = locationOf(d.loc);
      out.related.insert(out.related.begin(), {orig, d.message});
      auto lc = sm.getLineAndColumn(llvm::SMLoc::getFromPointer(
          sm.getMemoryBuffer(d.loc.file)->getBufferStart() + d.loc.offset));
      out.message = fmt::format("{}:{}:{}: {}", orig.path, lc.first, lc.second, d.message);
    } else if (!d.loc.valid() && !d.file.empty() && d.file != a.path) {
      out.message = d.file + ": " + d.message;
    }
    if (at) // else the document's first line
      out.range = tokenRange(a.text, at->offset);
    return out;
  }

  Analysis &a;
  driver::Compilation &c;
  llvm::SourceMgr &sm;
};

/// Indexes the elaborated graph's op calls made in the document.
void indexOpCalls(Analysis &a, const ir::Graph &g, unsigned mainFile) {
  for (const ir::Node &n : g.nodes) {
    if (n.loc.file != mainFile)
      continue;
    OpCall &call = a.opCalls[n.loc.offset];
    call.op = n.op->name;
    call.nodes.push_back(n.name);
    if (!n.outputs.empty())
      call.outputs.add(ir::formatType(g.type(n.outputs[0])));
  }
}

/// Indexes the optimized graph: its layers' rows and the ops fused away.
void indexReport(Analysis &a, const ir::Graph &g) {
  for (size_t i = 0; i < a.report->layers.size(); ++i)
    a.rowByName.emplace(a.report->layers[i].name, i);
  for (const ir::Node &n : g.nodes) {
    for (const ir::Epilogue &e : n.epilogue)
      a.fusedInto.emplace(e.name, n.name);
    for (const ir::FoldedNorm &f : n.folds)
      a.fusedInto.emplace(f.name, n.name);
  }
}

} // namespace

Analysis analyze(llvm::StringRef text, llvm::StringRef path, const Settings &settings) {
  Analysis a;
  a.path = path.str();
  a.text = text.str();
  driver::PipelineOptions opts;
  opts.hardware = settings.hardware;
  opts.load.stdlibDir = settings.stdlibDir;
  driver::Compilation c(opts, llvm::nulls());
  Builder b(a, c);
  unsigned mainFile = 1; // the first buffer loaded
  if (c.loadText(text, path)) {
    a.parsed = true;
    mainFile = c.program().main().fileId;
    b.decls(c.program());
    Recorder recorder(a, mainFile);
    ElabOptions elab = c.options().elab;
    elab.observer = &recorder;
    if (c.checkHardwareDecls() && c.hasNetwork())
      if (std::optional<ir::Graph> g = c.elaborate(c.program(), elab, c.diag())) {
        indexOpCalls(a, *g, mainFile);
        if ((a.report = c.report(*g)))
          indexReport(a, *g);
      }
    if (const target::HardwareProfile *hw = c.hardware())
      a.hardwareName = hw->name;
  }
  b.diagnostics(mainFile);
  return a;
}

} // namespace netc::lsp
