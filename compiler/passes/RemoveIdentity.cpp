//===- RemoveIdentity.cpp - drop no-ops at inference ------------------------===//
//
// A view whose output has its input's type (dropout and identity at
// inference, a reshape to the same shape) computes nothing: its readers read
// its input instead.
//
//===----------------------------------------------------------------------===//
#include "passes/Pass.h"

#include "ir/GraphEditor.h"

namespace netc::passes {

void removeIdentity(PassContext &ctx) {
  ir::Graph &g = ctx.graph;
  ir::GraphEditor ed(g);
  for (ir::NodeId n = 0; n < g.nodes.size(); ++n) {
    const ir::Node &node = g.nodes[n];
    if (!node.op->view || node.inputs.size() != 1 || node.outputs.size() != 1 ||
        g.type(node.inputs[0]) != g.type(node.outputs[0]))
      continue;
    if (!ctx.mayRewrite())
      break;
    ed.replaceUses(node.outputs[0], node.inputs[0]);
    ed.erase(n);
    ctx.applied(node.name, "removed: " + node.op->name + " does nothing at inference");
  }
  ed.commit();
}

} // namespace netc::passes
