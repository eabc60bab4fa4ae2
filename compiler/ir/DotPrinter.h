//===- DotPrinter.h - the graph for Graphviz (--emit=dot) -------*- C++ -*-===//
//
//   // netc graph: small_resnet (optimized)
//   digraph "small_resnet" {
//     n0 [label="input\nx\nf32[1,3,32,32]", shape=ellipse];
//     subgraph cluster_n1 {
//       label="fused: conv2d + batchnorm (folded) + relu";
//       n1 [label="conv2d+relu\nconv_bn.conv2d\nf32[1,16,32,32]"];
//     }
//     n0 -> n1 [label="[1,3,32,32]"];
//     ...
//
// One DOT node per graph node (layer), labelled with its op and fused
// epilogues, its name and its output types; `input` nodes are ellipses,
// `param` nodes (a stored weight) cylinders, nodes holding a network output
// have a double border. One edge per tensor use (every entry of every node's
// `inputs`, epilogue operands included, in order), labelled with the shape it
// carries ("#1 [..]" when it comes from output 1 of a multi-output node, and
// "(add)" when it feeds an epilogue rather than the op itself). A node the
// passes fused into (epilogues or folded batchnorms) sits alone in a
// `subgraph cluster_nI` naming what it absorbed; the graph as written has
// none. Labels are plain quoted strings, so only `"`, `\` and line breaks need
// escaping (record-label characters `<>{}|` are ordinary here).
//
// It lives in ir/ beside the text printer: it needs the graph only. Colouring
// by bound needs the cost model, which ir/ must not include, so the caller
// (tools/netc.cpp) passes the bound of each node as plain data (DotStyle).
// Output is deterministic (execution order, no pointers, no hashing) and
// linear in nodes + edges. A graph of more than 500 edges gets layout limits
// (nslimit, straight edges) so that Graphviz draws it in seconds, not minutes.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_IR_DOTPRINTER_H
#define NETC_IR_DOTPRINTER_H

#include "ir/Graph.h"

#include <llvm/Support/raw_ostream.h>

#include <string>
#include <vector>

namespace netc::ir {

/// What limits a node's time on a target, for colouring.
enum class DotBound : uint8_t {
  None,    ///< no time (inputs, views): not coloured
  Memory,  ///< bytes / bandwidth dominates
  Compute, ///< FLOPs / peak dominates
};

struct DotStyle {
  /// "optimized" or "as written": the graph's title and the file's first line.
  std::string stage = "as written";
  /// Empty: no colours. Else one entry per node of the graph, and a legend
  /// titled `legend` (e.g. "roofline bound on xeon_silver_4210, fp32").
  std::vector<DotBound> bounds;
  std::string legend;
};

/// Writes `g` as a DOT digraph, beginning with "// netc graph: NAME (STAGE)".
void printDot(llvm::raw_ostream &os, const Graph &g, const DotStyle &style = {});

/// `s` as the inside of a DOT quoted string: `"` and `\` escaped, a line
/// break as `\n`, other control characters as spaces.
std::string escapeDot(llvm::StringRef s);

} // namespace netc::ir

#endif
