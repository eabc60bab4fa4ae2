//===- Analysis.h - one document through netc's pipeline --------*- C++ -*-===//
//
// The language server analyses a document by running the driver's
// Compilation on its text, as `netc --report FILE` would: load, check the
// hardware declarations, elaborate, optimize, cost. What an editor needs is
// kept in plain data, so nothing refers back into the Compilation:
//
//  - the diagnostics, each placed in the document: one in an imported file is
//    shown at the document's call or import that led there, with the
//    original location as related information;
//  - what the elaboration saw at each place of the document (ElabObserver):
//    the values names had, each block call's result and node prefix; and
//    each op call's nodes before optimization;
//  - the optimized report's rows, by name and by the call that made them,
//    and the fused ops of the optimized graph;
//  - the declarations of the program (blocks, networks, hardware), with
//    their parameters and the comment above them, for completion, hover and
//    go to definition.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_LSP_ANALYSIS_H
#define NETC_LSP_ANALYSIS_H

#include "cost/Report.h"
#include "lsp/Protocol.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace netc::lsp {

/// What the editor chooses (initializationOptions, workspace settings).
struct Settings {
  std::string hardware; ///< --hw: a profile name or file; empty: netc's default
  bool inlayHints = false;
  std::string stdlibDir; ///< empty: netc's default
};

struct Location {
  std::string path; ///< absolute, or the document's own path
  Range range;
};

struct DiagnosticInfo {
  Range range;
  int severity = 1; ///< LSP's: 1 error, 2 warning, 3 information
  std::string message;
  std::vector<std::pair<Location, std::string>> related;
};

/// Values seen at one place of the document, distinct ones in order of
/// first appearance (at most kMaxValues), and how often it was reached.
struct Seen {
  static constexpr size_t kMaxValues = 8;
  std::vector<std::string> values;
  size_t count = 0;
  void add(const std::string &v);
};

/// A block call of the document: its nodes' prefixes (one per time it ran).
struct BlockCall {
  std::vector<std::string> prefixes;
  Seen results;
};

/// An op call of the document: its nodes as elaborated.
struct OpCall {
  std::string op;
  std::vector<std::string> nodes;
  Seen outputs; ///< output types
};

/// A block, network or hardware declaration of the program.
struct DeclInfo {
  enum Kind { Block, Network, Hardware } kind = Block;
  std::string name;
  std::vector<std::string> params; ///< "name", "name: type" or "name = default" as written
  std::vector<std::string> paramNames;
  std::string doc;   ///< the comment lines just above it, without '#'
  Location nameLoc;  ///< the name in its declaration
  Range whole;       ///< the whole declaration (in its file)
  bool inDocument = false;
};

struct Analysis {
  std::string path, text;
  std::vector<DiagnosticInfo> diagnostics;
  std::vector<DeclInfo> decls;     ///< the document's first, then its imports'
  /// The document's imports: where the string is, and the file it names.
  struct Import {
    size_t offset;
    std::string spec, file;
  };
  std::vector<Import> imports;
  /// Names the document binds (parameters, assignment and loop targets), in
  /// source order; `assigned` for those an assignment or loop binds, which
  /// are seen from the end of their line on (`x = f(x)` reads the x before).
  struct Binding {
    size_t offset;
    std::string name;
    bool assigned;
    size_t visibleFrom;
  };
  std::vector<Binding> bindings;
  bool parsed = false;             ///< the program loaded (no syntax or import error)
  std::map<size_t, Seen> names;    ///< by the offset of a name in the document
  std::map<size_t, BlockCall> blockCalls; ///< by the offset of the call
  std::map<size_t, OpCall> opCalls;       ///< by the offset of the call
  std::optional<cost::Report> report;     ///< optimized, as `netc --report`
  std::map<std::string, size_t> rowByName; ///< report->layers index
  std::map<std::string, std::string> fusedInto; ///< node name -> the layer it was fused into
  std::string hardwareName;

  const DeclInfo *findDecl(llvm::StringRef name) const;
};

/// Runs netc's pipeline on `text`, the content of the document at `path`
/// (absolute; its relative imports resolve against its directory).
Analysis analyze(llvm::StringRef text, llvm::StringRef path, const Settings &settings);

} // namespace netc::lsp

#endif
