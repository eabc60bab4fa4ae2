//===- RemoveDead.cpp - drop layers whose outputs nobody reads --------------===//
//
// A layer none of whose outputs is read by another layer or returned by the
// network computes for nothing (elaboration warns about it). Walking the
// nodes backwards, a node is dead when every reader of its outputs is dead;
// so a whole dead chain goes in one walk. The network's inputs stay: they
// are its interface, even when unread.
//
//===----------------------------------------------------------------------===//
#include "passes/Pass.h"

#include "ir/GraphEditor.h"

#include <llvm/ADT/StringSet.h>

namespace netc::passes {

void removeDead(PassContext &ctx) {
  ir::Graph &g = ctx.graph;
  ir::GraphEditor ed(g);
  // live[v]: some live node reads v, or the network returns it.
  std::vector<bool> live(g.values.size(), false);
  for (ir::ValueId v : g.outputs)
    live[v] = true;
  // Nodes whose weight a live node shares (WeightSpec::tiedTo) stay, even
  // when nothing reads their output: they own the weight.
  llvm::StringSet<> owners;
  for (ir::NodeId n = g.nodes.size(); n-- > 0;) {
    const ir::Node &node = g.nodes[n];
    bool used = node.op->isInput || node.outputs.empty() || owners.count(node.name);
    for (ir::ValueId v : node.outputs)
      used = used || live[v];
    if (!used && ctx.mayRewrite()) {
      ed.erase(n);
      ctx.applied(node.name, "removed: its output is never used");
      continue;
    }
    for (ir::ValueId v : node.inputs)
      live[v] = true;
    if (node.op->weights)
      for (const ir::WeightSpec &w : g.weights(node))
        if (!w.tiedTo.empty())
          owners.insert(w.tiedTo);
  }
  ed.commit();
}

} // namespace netc::passes
