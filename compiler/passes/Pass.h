//===- Pass.h - optimization passes and the pass manager -------*- C++ -*-===//
//
// A pass rewrites the graph through an ir::GraphEditor and records what it
// did, and what it left alone and why, as Rewrites (--opt-report). Passes
// are declared once in Passes.def, one file each. When a WeightStore is
// attached (tests, kernel checks), passes keep the weights in step with the
// graph, so the graph before and after a pass can be evaluated and compared.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_PASSES_PASS_H
#define NETC_PASSES_PASS_H

#include "ir/Buffer.h"
#include "ir/Graph.h"

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/raw_ostream.h>

#include <functional>
#include <string>
#include <vector>

namespace netc::passes {

/// What the opt report shows of a graph (see PassOptions::measure).
struct Snapshot {
  int64_t nodes = 0;
  int64_t params = 0;
  int64_t bytes = 0;
  double latency = 0;
};

struct Rewrite {
  std::string pass;
  std::string node;    ///< the node rewritten, or left alone
  std::string message; ///< "folded into 'conv2d'", or why it was left
  bool applied = true;
  bool measured = false;    ///< before/after are set (--opt-report)
  Snapshot before, after;   ///< the graph around this one rewrite
};

struct PassContext {
  ir::Graph &graph;
  ir::WeightStore *weights = nullptr;
  std::string currentPass;
  std::vector<Rewrite> rewrites;
  /// Rewrites this run of a pass may still apply (the opt report applies
  /// them one at a time to measure each).
  size_t budget = SIZE_MAX;

  /// A pass calls this before each rewrite and stops when it is false.
  bool mayRewrite() const { return budget > 0; }
  void applied(const std::string &node, std::string msg) {
    rewrites.push_back({currentPass, node, std::move(msg), true, false, {}, {}});
    if (budget != SIZE_MAX)
      --budget;
  }
  void left(const std::string &node, std::string why) {
    rewrites.push_back({currentPass, node, std::move(why), false, false, {}, {}});
  }
};

using PassFn = void (*)(PassContext &ctx);

struct PassInfo {
  const char *name;
  PassFn run;
  const char *description;
};

/// Every pass, in the order they run.
const std::vector<PassInfo> &allPasses();
const PassInfo *findPass(llvm::StringRef name);

#define NETC_PASS(NAME, FN, DESC) void FN(PassContext &ctx);
#include "passes/Passes.def"
#undef NETC_PASS

struct PassStep {
  std::string pass;
  Snapshot before, after;
};

struct PassOptions {
  std::vector<std::string> passes; ///< names to run, in the list's order; empty: all
  bool verifyEach = false;
  llvm::raw_ostream *printAfterAll = nullptr; ///< prints the graph after every pass
  /// For the opt report; may be empty. When set, every rewrite is applied and
  /// measured on its own (each pass runs once per rewrite, until it has
  /// nothing left to do), so each Rewrite carries its own delta.
  std::function<Snapshot(const ir::Graph &)> measure;
};

/// Runs the selected passes in the order of Passes.def. Returns an error
/// message (an unknown pass, or a verifier failure naming the pass), or "".
std::string runPasses(PassContext &ctx, const PassOptions &opts, std::vector<PassStep> *steps);

} // namespace netc::passes

#endif
