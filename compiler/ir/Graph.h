//===- Graph.h - netc's graph IR --------------------------------*- C++ -*-===//
//
// A network after elaboration: nodes (op, attributes, inputs, outputs, name,
// source location) over tensor values with inferred types. Nodes are stored
// in execution order, which is a topological order: a node only reads values
// produced by nodes before it. Weights are not values: each op's weights rule
// derives them from its attributes and input types.
//
//===----------------------------------------------------------------------===//
#ifndef NETC_IR_GRAPH_H
#define NETC_IR_GRAPH_H

#include "ir/Attr.h"
#include "ir/OpTable.h"
#include "ir/Types.h"
#include "support/SourceLoc.h"

#include <llvm/ADT/SmallVector.h>

#include <string>
#include <vector>

namespace netc::ir {

using NodeId = uint32_t;
using ValueId = uint32_t;

struct TensorValue {
  TensorType type;
  NodeId producer;
  uint32_t index; ///< which output of the producer
};

struct Node {
  const OpDef *op = nullptr;
  Attrs attrs;
  llvm::SmallVector<ValueId, 2> inputs;
  llvm::SmallVector<ValueId, 1> outputs;
  std::string name; ///< hierarchical, unique: "inverted_residual_3.conv_bn_act.conv2d"
  SourceLoc loc;    ///< the call in the .net source that created it
};

class Graph {
public:
  std::string name;
  /// The network's parameters as bound (after -D overrides), for printing.
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<Node> nodes;
  std::vector<TensorValue> values;
  std::vector<ValueId> outputs;

  /// Appends a node and its output values; returns the node's id.
  NodeId addNode(const OpDef *op, Attrs attrs, llvm::ArrayRef<ValueId> inputs,
                 llvm::ArrayRef<TensorType> outputTypes, std::string name, SourceLoc loc);

  const TensorType &type(ValueId v) const { return values[v].type; }
  /// The input types of a node, in order.
  std::vector<TensorType> inputTypes(const Node &n) const;
  /// The weights (parameters and buffers) a node owns, from its op's rule.
  std::vector<WeightSpec> weights(const Node &n) const;
  /// Values produced by `input` nodes, in order.
  std::vector<ValueId> inputs() const;
  /// "%name" or "%name#i" for a node with several outputs.
  std::string valueName(ValueId v) const;
};

} // namespace netc::ir

#endif
