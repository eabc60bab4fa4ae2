//===- Elaborator.h - from the AST to a shaped graph -----------*- C++ -*-===//
//
// Evaluates a network of a loaded program: binds its parameters (defaults,
// then -D overrides), runs its body, expands every block call, unrolls every
// loop, and adds one graph node per op call with its output types inferred
// by the op's shape rule. Errors are reported at the call site in the .net
// source, followed by a note for each block call that led there; elaboration
// stops at the first error.
//
// Node names come from the block nesting, Keras-style: each block or op call
// takes its callee's name, suffixed _1, _2, ... on the second and later calls
// of the same callee in the same scope, and nested calls are joined by '.':
// "inverted_residual_3.conv_bn_act_1.conv2d". They are stable across runs.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_SEMA_ELABORATOR_H
#define NETC_SEMA_ELABORATOR_H

#include "ir/Graph.h"
#include "support/Diagnostics.h"
#include "syntax/ModuleLoader.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace netc {

/// What an editor wants to know of an elaboration (the language server's
/// hover and inlay hints): values as names are bound and read, and block
/// calls as they return. Each hook sees formatValue()'s text of the value.
/// A statement executed many times (a loop, a block called twice) calls its
/// hooks each time.
class ElabObserver {
public:
  virtual ~ElabObserver() = default;
  /// The name at `loc` (a pattern being bound, a parameter, or a name read)
  /// has the value `text`.
  virtual void name(SourceLoc loc, const std::string &text) = 0;
  /// The block call at `loc` named its nodes `prefix` ("layer1.bottleneck_1.")
  /// and returned the value `text`.
  virtual void blockCall(SourceLoc loc, llvm::StringRef prefix, const std::string &text) = 0;
};

struct ElabOptions {
  /// Empty: the last network of the main file, else the only network of the
  /// program (a file that just imports one).
  std::string network;
  std::vector<std::pair<std::string, std::string>> overrides; ///< -D name=value
  std::string overrideFlag = "-D"; ///< how messages name the option ("--compare-D")
  /// Network arguments an LLM serving phase sets (--phase, --generate: seq
  /// and past), and the options that set them, for messages ("--phase decode
  /// --context 512"). The network must take each of them.
  std::vector<std::pair<std::string, std::string>> phaseArgs;
  std::string phaseFlag;
  uint64_t maxNodes = 2'000'000;
  /// Node inputs, all nodes together: a concat of k tensors has k. Every
  /// stage's work follows them, and a DenseNet-like chain of n concats over
  /// everything before them has O(n^2) with few nodes.
  uint64_t maxEdges = 20'000'000;
  unsigned maxCallDepth = 200;       ///< nested block calls
  uint64_t maxSteps = 100'000'000;   ///< statements and loop iterations executed
  uint64_t maxRange = 10'000'000;    ///< elements of one range()/list built
  /// Called every 65,536 steps with the nodes so far (progress output; the
  /// driver sets it when stderr is a terminal). May be empty.
  std::function<void(size_t nodes)> progress;
  /// Null, or told about names and block calls (the language server).
  ElabObserver *observer = nullptr;
};

std::optional<ir::Graph> elaborate(const Program &program, DiagEngine &diag,
                                   const ElabOptions &opts = {});

} // namespace netc

#endif
