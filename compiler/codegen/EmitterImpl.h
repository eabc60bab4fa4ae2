//===- EmitterImpl.h - the C++ emitter's parts (private to codegen/) -*- C++ -*-===//
//
// What the files of the C++ emitter share:
//
//   CppEmitter.cpp     emitCpp(), Emitter::run (checks, the file list, the size
//                      limit) and the text helpers below
//   EmitKernels.cpp    one kernel function per node (generateKernel) and the
//                      set that shares identical ones (KernelSet)
//   EmitLists.cpp      the tables of tensor lists (concat's inputs) that list
//                      kernels are called with (TensorLists)
//   EmitModel.cpp      the fused path: kernels.h, model.h, model.cpp
//   EmitReference.cpp  reference.cpp: the graph as written, in double
//   EmitCheck.cpp      check.cpp (the self-check's main) and CMakeLists.txt
//
// The program text that is the same for every network lives in
// templates/*.tmpl, embedded at build time (templates/Embed.cmake) as
// netc::codegen::templates::<file name>; fillTemplate() fills their
// placeholders.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_CODEGEN_EMITTERIMPL_H
#define NETC_CODEGEN_EMITTERIMPL_H

#include "codegen/CppEmitter.h"

#include "analysis/MemoryPlanner.h"
#include "eval/Evaluator.h"
#include "ir/Kernel.h"

#include <fmt/format.h>

#include <initializer_list>
#include <map>
#include <set>
#include <string_view>
#include <utility>

namespace netc::codegen::detail {

using namespace ir;

// ---- text helpers (CppEmitter.cpp) ------------------------------------------

/// "1x32x112x112".
std::string dimsText(llvm::ArrayRef<int64_t> shape);
/// A C++ string literal of `s` (names are ASCII identifiers and dots, but
/// quote anything).
std::string cppString(llvm::StringRef s);
/// Text for a // comment: no line breaks.
std::string commentText(llvm::StringRef s);
/// A double literal that reads back exactly: 1e-05, 0.5, 1.0.
std::string real(double v);
/// The element count of `t`, as text.
std::string countOf(const TensorType &t);

/// `tmpl` with each placeholder `@NAME@` (NAME: capital letters, digits and
/// '_') replaced by its value in `values`, verbatim. A placeholder alone on
/// its line also takes that line's break: its value is whole lines (each
/// ending in '\n') or nothing. Any other '@' is text. A placeholder without a
/// value is a bug of the emitter: it throws std::logic_error.
std::string fillTemplate(
    std::string_view tmpl,
    std::initializer_list<std::pair<std::string_view, std::string_view>> values);

// ---- kernels (EmitKernels.cpp) ----------------------------------------------

/// The generated source of one node's kernel.
struct KernelSource {
  std::string baseName; ///< before deduplication
  std::string params;   ///< "const T *x0, const T *w0, T *y0"
  std::string body;     ///< indented one level
  std::string what;     ///< "conv2d(k=[3,3], ...) + relu6", for comments
};

/// Generates the kernel of node `n` of `g` (with its epilogue). Returns an
/// error message, or "".
std::string generateKernel(const Graph &g, const Node &n, KernelSource &out);

/// Kernels by content: identical sources share one function; names are made
/// unique in order of first use (deterministic).
class KernelSet {
public:
  struct Entry {
    std::string name;
    KernelSource src;
    std::vector<size_t> nodes; ///< node indices it serves
  };

  /// The function name for `src`, serving node `node`.
  const std::string &add(KernelSource src, size_t node);
  const std::vector<Entry> &all() const { return entries; }
  /// About the size of the distinct kernels' text (without comments).
  uint64_t bytes() const { return textBytes; }

private:
  std::map<std::string, size_t> byKey;
  std::set<std::string> usedNames;
  std::vector<Entry> entries;
  uint64_t textBytes = 0;
};

/// The text of one kernel function: comment lines, signature, body.
std::string kernelFunction(const std::string &comment, const std::string &storage,
                           const KernelSet::Entry &k);

// ---- tensor lists (EmitLists.cpp) -------------------------------------------

/// The tensor lists a program passes to list kernels (KernelCall::list:
/// concat's inputs), as static tables: `NAME_at[]`, where each tensor is (an
/// arena offset in model.cpp, a value number in reference.cpp), and
/// `NAME_size[]`, its element count. A list that begins another one shares
/// its table, and a list that extends a table's whole content extends that
/// table: in a DenseNet block each concat's inputs are the previous concat's
/// plus one tensor, so the tables grow with the tensors, not with the
/// graph's edges (the square of the layers).
class TensorLists {
public:
  using Row = std::pair<int64_t, int64_t>; ///< {at, size}

  /// The name of a table whose first rows are `rows` (not empty).
  const std::string &add(const std::vector<Row> &rows);
  /// The arguments of a list kernel for `rows` (add()s them): the pointers
  /// `tensors(base, NAME_at, n).data()` (the program's helper), the sizes
  /// `NAME_size` and the count `n`.
  std::vector<std::string> callArgs(const std::vector<Row> &rows, const std::string &base);
  /// The definitions of the tables, in order of first use, after a comment
  /// that says what `at` is; "" without tables.
  std::string text(const std::string &at) const;
  /// About the size of text().
  uint64_t bytes() const { return textBytes; }

private:
  /// A trie of the tables' rows: the path to a node is the first rows of
  /// `table` (the first table that had them).
  struct TrieNode {
    std::map<Row, uint32_t> next;
    uint32_t table = 0;
  };
  struct Table {
    std::string name;
    std::vector<Row> rows;
  };
  std::vector<TrieNode> trie{1};
  std::vector<Table> tables;
  uint64_t textBytes = 0;
};

// ---- the emitter ------------------------------------------------------------

/// A weight of the state dict (the graph as written).
struct StateEntry {
  std::string node, tensor;
  Shape shape;
  size_t size = 0;
  eval::WeightDistribution dist;
};

class Emitter {
public:
  Emitter(const Graph &original, const Graph &optimized, const cost::Report &report,
          DiagEngine &diag, const EmitOptions &opts)
      : orig(original), opt(optimized), report(report), diag(diag), opts(opts) {}

  std::optional<std::vector<EmittedFile>> run();

private:
  bool fail(const Node &n, const std::string &msg) {
    diag.error(n.loc, fmt::format("cannot emit C++ for '{}': {}", n.name, msg));
    return false;
  }
  /// False (an error at `n`) once the program so far, `bytes` plus what
  /// earlier parts made, passes the limit: checked after every node, so the
  /// work done is bounded by the limit, not by the graph's edges.
  bool withinLimit(const Node &n, uint64_t bytes) {
    if (doneBytes + bytes <= opts.maxBytes)
      return true;
    return fail(n, tooLarge(""));
  }
  /// The one message of the size limit; `detail` is the exact size if known.
  std::string tooLarge(const std::string &detail) const {
    return fmt::format("the generated program would pass {} bytes{}; raise the limit with "
                       "--max-emit-bytes",
                       opts.maxBytes, detail);
  }
  // CppEmitter.cpp
  bool checkTypes(const Graph &g);
  bool collectStateDict();
  // EmitModel.cpp
  /// What emitFused makes: kernels.h, and the parts of model.cpp.
  struct FusedParts {
    std::string kernelsH, runBody, prepareBody, lists;
    uint64_t size() const {
      return kernelsH.size() + runBody.size() + prepareBody.size() + lists.size();
    }
  };
  std::string kernelComment(const KernelSet::Entry &k);
  bool emitPrepare(const Node &n, const std::vector<int64_t> &offsets, CodeWriter &prep);
  std::string fusedArgs(const Node &n, const analysis::MemoryPlan &plan,
                        const std::vector<int64_t> &weightOffsets, TensorLists &lists);
  bool emitFused(FusedParts &out);
  std::string kernelsHeader(const KernelSet &kernels);
  std::string modelSource(const FusedParts &parts);
  std::string modelHeader();
  // EmitReference.cpp
  void referenceCall(const Node &n, const std::string &fn, TensorLists &lists, CodeWriter &body);
  bool emitReference(std::string &text);
  // EmitCheck.cpp
  std::string checkSource();
  std::string cmakeLists();

  const Graph &orig, &opt;
  const cost::Report &report;
  DiagEngine &diag;
  const EmitOptions &opts;
  uint64_t doneBytes = 0; ///< the size of the parts finished
  std::vector<StateEntry> state;
  int64_t weightFloats = 0;
  int64_t arenaFloats = 0;
};

} // namespace netc::codegen::detail

#endif
