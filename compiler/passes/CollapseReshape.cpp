//===- CollapseReshape.cpp - one reshape for a chain of views ---------------===//
//
// reshape(flatten(x)) and longer chains of shape-changing views read the same
// elements in the same order: one reshape of x to the final shape does it.
//
//===----------------------------------------------------------------------===//
#include "passes/Pass.h"

#include "ir/GraphEditor.h"

namespace netc::passes {

namespace {
bool isReshapeLike(const ir::Node &n) {
  return n.op->view && n.inputs.size() == 1 && n.outputs.size() == 1 && n.epilogue.empty();
}
} // namespace

void collapseReshape(PassContext &ctx) {
  ir::Graph &g = ctx.graph;
  ir::GraphEditor ed(g);
  const ir::OpDef *reshape = ir::OpTable::get().lookup("reshape");
  for (ir::NodeId n = 0; n < g.nodes.size(); ++n) {
    ir::Node &node = g.nodes[n];
    if (!isReshapeLike(node))
      continue;
    ir::NodeId p = g.values[node.inputs[0]].producer;
    const ir::Node &prev = g.nodes[p];
    if (ed.erased(p) || !isReshapeLike(prev) || prev.op->isInput ||
        !ed.hasSingleUse(prev.outputs[0]))
      continue;
    if (!ctx.mayRewrite())
      break;
    // y = view2(view1(x))  ->  y = reshape(x, shape(y))
    const ir::Shape &shape = g.type(node.outputs[0]).shape;
    ir::ValueId source = prev.inputs[0];
    ed.replaceUses(prev.outputs[0], source);
    ed.erase(p);
    std::string was = prev.op->name + " and " + node.op->name;
    node.op = reshape;
    node.attrs = ir::Attrs();
    node.attrs.set("shape", ir::Ints(shape.begin(), shape.end()));
    ctx.applied(node.name, "merged " + was + " ('" + prev.name + "') into one reshape");
  }
  ed.commit();
}

} // namespace netc::passes
