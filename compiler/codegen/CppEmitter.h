//===- CppEmitter.h - C++ kernels and a self-checking model -----*- C++ -*-===//
//
// `netc --emit=cpp FILE -o DIR` writes a standalone C++17 program of the
// optimized graph, depending on nothing but the standard library:
//
//   kernels.h       one function per distinct fused group (nodes with the same
//                   op, attributes, shapes and epilogue share one; a concat's
//                   inputs are a table, so only its output shape counts), a naive
//                   loop nest with the epilogue fused in; a comment gives the
//                   layers it serves, shapes and its cost on the report's
//                   hardware profile
//   model.h/.cpp    prepare_weights(): PyTorch-style state dict (unfolded:
//                   conv weight, BN gamma/beta/mean/var) -> folded weights;
//                   run(): every node in order over one activation arena laid
//                   out by the memory planner (its size is the report's peak
//                   activation memory); the tables of tensor lists it passes
//   reference.cpp   the graph as written, every op separately, BN unfolded,
//                   in double precision
//   check.cpp       main: seeded random weights and inputs (the same numbers
//                   as netc's evaluator draws), runs both paths, prints the
//                   largest error, exits 0 only within 1e-4
//   CMakeLists.txt  builds `check` with -Wall -Wextra -Werror -O2
//
// Everything happens in memory; the driver writes the files. The same input
// gives byte-identical files.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_CODEGEN_CPPEMITTER_H
#define NETC_CODEGEN_CPPEMITTER_H

#include "cost/Report.h"
#include "ir/Graph.h"
#include "support/Diagnostics.h"
#include "support/FileOutput.h"

#include <optional>
#include <string>
#include <vector>

namespace netc::codegen {

/// One file of the emitted program (written by writeOutputDir).
using EmittedFile = OutputFile;

struct EmitOptions {
  /// Limit on the size of the generated program (--max-emit-bytes). Its
  /// size follows the graph's nodes, not its edges: a concat of k inputs
  /// passes them as the first k rows of a table that lists sharing their
  /// beginning share (EmitterImpl.h, TensorLists), so a DenseNet-like chain
  /// of n concats over everything before them writes O(n) bytes (it was
  /// O(n^2)). 1 GiB: every file is built in memory.
  uint64_t maxBytes = uint64_t(1) << 30;
};

/// The program of `optimized`, whose graph as written (before the passes,
/// same node names) is `original`; `report` is the cost report of
/// `optimized` (kernel comments). Errors (an op or dtype the emitter does not
/// support, a program over opts.maxBytes) go to `diag`, located at the
/// node's source.
std::optional<std::vector<EmittedFile>> emitCpp(const ir::Graph &original,
                                                const ir::Graph &optimized,
                                                const cost::Report &report, DiagEngine &diag,
                                                const EmitOptions &opts = {});

/// The name of the marker file in every directory netc writes: a directory
/// holding it may be replaced without --force.
inline constexpr const char *kEmitMarker = ".netc-output";

} // namespace netc::codegen

#endif
