//===- GraphEditor.h - rewriting a graph in place ---------------*- C++ -*-===//
//
// Passes rewrite through this: find a value's users, redirect uses, erase
// nodes, then commit(), which drops erased nodes and renumbers nodes and
// values while keeping the execution order (so printing stays stable).
//
//===----------------------------------------------------------------------===//
#ifndef NETC_IR_GRAPHEDITOR_H
#define NETC_IR_GRAPHEDITOR_H

#include "ir/Graph.h"

#include <vector>

namespace netc::ir {

class GraphEditor {
public:
  explicit GraphEditor(Graph &g);

  Graph &graph() { return g; }
  /// Nodes reading `v` (each once), in execution order.
  const std::vector<NodeId> &users(ValueId v) const { return userLists[v]; }
  bool isOutput(ValueId v) const;
  /// `v` is read by exactly one node and is not a graph output.
  bool hasSingleUse(ValueId v) const { return users(v).size() == 1 && !isOutput(v); }
  bool erased(NodeId n) const { return dead[n]; }

  /// Makes every reader of `from` (and the graph outputs) read `to`.
  void replaceUses(ValueId from, ValueId to);
  /// Adds `v` to node `n`'s inputs; returns its index there.
  int32_t addInput(NodeId n, ValueId v);
  /// Marks a node erased; its outputs must have no users left.
  void erase(NodeId n);
  /// Applies the erasures and renumbers.
  void commit();

private:
  /// One read of a value: node `node`'s input number `slot`.
  struct Use {
    NodeId node;
    uint32_t slot;
  };
  void rebuildUsers();
  Graph &g;
  std::vector<std::vector<NodeId>> userLists;
  /// Every read of each value, so that replaceUses touches only those
  /// inputs, not every input of every reader (a DenseNet-like chain has
  /// readers with thousands of inputs: scanning them made the passes cubic).
  std::vector<std::vector<Use>> useLists;
  std::vector<bool> dead;
};

} // namespace netc::ir

#endif
